from datetime import datetime

EPOCH = datetime(2025, 1, 1)
HALF_LIFE_DAYS = 7.0


def weight(moment: datetime) -> float:
    """A support now counts twice as much as one a half-life ago.

    Ordering by the stored sum of weights equals ordering by recency-weighted supports, and it
    changes only on writes. Doubles hold 2^1023: about 19 years of weeks from the epoch.
    """
    days = (moment - EPOCH).total_seconds() / 86400
    return 2.0 ** (days / HALF_LIFE_DAYS)

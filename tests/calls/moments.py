"""A call's phases on the library's clock, and moments inside each of them."""
from datetime import datetime, timedelta

# A call's phases, on the library's clock (Asia/Shanghai, UTC+8), as staff enter them.
OPENS = datetime(2026, 3, 2, 9, 0)
LENGTHS = {"collecting": 7, "supporting": 5, "reviewing": 4, "results": 30}


def phases(opens: datetime = OPENS) -> dict:
    moments, start = {}, opens
    for phase, days in LENGTHS.items():
        moments[f"{phase}_starts_at"] = start
        start = start + timedelta(days=days)
        moments[f"{phase}_ends_at"] = start
    return moments


def utc(local: datetime) -> datetime:
    return local - timedelta(hours=8)


# Moments (UTC, as stored) inside each phase of a call that opens at OPENS.
BEFORE = utc(OPENS) - timedelta(minutes=1)
COLLECTING = utc(OPENS) + timedelta(days=1)
SUPPORTING = utc(OPENS) + timedelta(days=8)
REVIEWING = utc(OPENS) + timedelta(days=13)
RESULTS = utc(OPENS) + timedelta(days=20)
ENDED = utc(OPENS) + timedelta(days=47)

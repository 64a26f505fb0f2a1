"""Which period the dashboard shows: the one chosen in the address, or the default one that a job
keeps worked out (app/jobs.py)."""
from datetime import date, timedelta

from werkzeug.datastructures import MultiDict

from app.insight import metrics
from app.timeutil import library_today

DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366
EARLIEST = date(1970, 1, 1)


def chosen(args: MultiDict) -> metrics.Period:
    """The chosen period and branch; anything unreadable falls back to the last 90 days."""
    today = library_today()

    def day(name: str, default: date) -> date:
        try:
            return date.fromisoformat((args.get(name) or "")[:10])
        except ValueError:
            return default

    end = max(min(day("to", today), today), EARLIEST)  # 0001-01-01 minus 90 days overflows
    start = day("from", end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end or (end - start).days > MAX_DAYS:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    branch = args.get("branch", "")
    branch_id = int(branch) if branch.isascii() and branch.isdigit() and len(branch) < 9 else None
    return metrics.Period(start, end, branch_id)


def default_period() -> metrics.Period:
    """The last 90 days, all branches: what staff see first, kept worked out by a job."""
    today = library_today()
    return metrics.Period(today - timedelta(days=DEFAULT_DAYS - 1), today)

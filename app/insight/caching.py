"""When the dashboard's figures are worked out and when kept ones are shown (kept in the
database for every worker, app/insight/snapshots.py): as they are while younger than
INSIGHT_CACHE_SECONDS; then still, while a job works them out again, until INSIGHT_STALE_SECONDS,
after which the view works them out before answering. INSIGHT_CACHE_SECONDS = 0 keeps nothing.

The view and the jobs (app/insight/tasks.py) both follow these rules; this module imports
neither."""
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import get_locale

from app.insight import metrics, snapshots
from app.timeutil import utcnow


def kept_for() -> timedelta | None:
    """How long figures are shown as they were worked out; None when nothing is kept."""
    seconds = current_app.config["INSIGHT_CACHE_SECONDS"]
    return timedelta(seconds=seconds) if seconds else None


def shown_for() -> timedelta:
    """How long older figures are still shown while they are worked out again."""
    return timedelta(seconds=current_app.config["INSIGHT_STALE_SECONDS"])


def figures_of(period: metrics.Period, *, refresh_later: Callable[[metrics.Period, str], None]
               ) -> tuple[snapshots.Figures, datetime]:
    """The report for a period in this language, and when it was worked out; `refresh_later`
    queues the work when old figures are shown."""
    keep = kept_for()
    if keep is None:
        return snapshots.compute(period)
    locale = str(get_locale())
    kept = snapshots.read(period, locale)
    age = utcnow() - kept[1] if kept else None
    if kept and age < keep:
        return kept
    if kept and age < shown_for():
        refresh_later(period, locale)
        return kept
    figures, computed_at = snapshots.compute(period)
    snapshots.store(period, locale, figures, computed_at)
    return figures, computed_at

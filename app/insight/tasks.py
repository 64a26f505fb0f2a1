"""The dashboard's jobs: the default figures every 5 minutes, and any figures a view found old
(app/jobs.py runs them)."""
from flask_babel import force_locale
from huey import crontab

from app.i18n import LANGUAGES
from app.insight import caching, snapshots
from app.insight.periods import default_period
from app.jobs import huey, reading_context


@huey.periodic_task(crontab(minute="*/5"), name="refresh_dashboard")
@huey.lock_task("refresh_dashboard")  # a run takes seconds; a second one at once would add load
def refresh_dashboard() -> int:
    """Work out the default dashboard in every language, so staff find it ready, and forget
    figures too old to show; how many were worked out."""
    with reading_context():
        if caching.kept_for() is None:
            return 0  # figures are worked out on every view: nothing is kept
        period = default_period()
        for locale in LANGUAGES:
            with force_locale(locale):
                snapshots.refresh(period, locale)
        snapshots.forget_older_than(caching.shown_for())
        return len(LANGUAGES)


@huey.task(name="refresh_figures")
def refresh_figures(period, locale: str) -> bool:
    """Queued by a dashboard view that showed figures older than INSIGHT_CACHE_SECONDS."""
    with reading_context(), force_locale(locale):
        return snapshots.refresh(period, locale, unless_within=caching.kept_for())

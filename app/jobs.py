"""Background jobs (huey): the outbox every minute, the weekly digests once a day, the staff
dashboard's default figures every 5 minutes, and other figures when a view finds them old.

One process runs them: `make worker` (huey_consumer worker.huey). The queue is a SQLite file under
instance/ on one host, Redis (HUEY_REDIS_URL or REDIS_URL) when there are several; the tests run
tasks at once in their own process (HUEY_IMMEDIATE).

Every job may run twice (a worker killed after the work but before huey recorded it, a
scheduler on two hosts by mistake) without harm: the outbox marks a message sent before it goes
out, and a digest moves the patron's last_digest_at in the same commit that queues it. Two digest
runs at the same time could both see a patron as due, so they take turns by a lock (in Redis
when there are several hosts). Figures are stored by an upsert: worked out twice, the newer stay.
"""
import os
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.storage import SqliteStorage

from app import config

_registered: dict[str, Flask] = {}


class LazySqliteStorage(SqliteStorage):
    """Opens (and creates) its file at first use, so importing this module writes nothing."""

    def __init__(self, *args, **kwargs):
        kwargs["create_tables"] = False
        super().__init__(*args, **kwargs)

    def _create_connection(self):
        Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
        connection = super()._create_connection()
        for statement in self.ddl:
            connection.execute(statement)
        return connection


class CommonsSqliteHuey(SqliteHuey):
    storage_class = LazySqliteStorage


def make_huey(settings) -> Huey:
    """The queue for these settings (a config class or a mapping of the same names)."""
    read = settings.get if isinstance(settings, dict) else lambda name: getattr(settings, name)
    immediate = bool(read("HUEY_IMMEDIATE"))
    if read("HUEY_REDIS_URL"):
        return RedisHuey("commons", url=read("HUEY_REDIS_URL"), immediate=immediate)
    return CommonsSqliteHuey("commons", filename=read("HUEY_SQLITE_PATH"), immediate=immediate)


huey = make_huey(config.CONFIGS[os.environ.get("COMMONS_ENV", "development")])


def init_app(app: Flask) -> None:
    """The app whose context the jobs run in, and its HUEY_IMMEDIATE (True in testing)."""
    huey.immediate = bool(app.config["HUEY_IMMEDIATE"])
    _registered["app"] = app


def _app() -> Flask:
    if has_app_context():
        return current_app._get_current_object()
    if "app" not in _registered:
        from app import create_app

        init_app(create_app())
    return _registered["app"]


@huey.periodic_task(crontab(minute="*"), name="deliver_outbox")
def deliver_outbox() -> tuple[int, int]:
    """Send what waits in the outbox; (sent, failed)."""
    from app.mail.services import deliver_pending

    with _app().app_context():  # a context of its own: its own session, committed or not
        return deliver_pending()


@huey.periodic_task(crontab(minute="15", hour="6"), name="queue_digests")
@huey.lock_task("queue_digests")  # two runs at once would both find the same patrons due
def queue_digests() -> int:
    """Every day; each patron's digest is queued only once a week (send_digests checks).
    A run that finds the lock taken does nothing; the consumer's --flush-locks clears a lock
    left by a worker that was killed."""
    from app.mail.services import send_digests
    from app.timeutil import utcnow

    with _app().app_context():
        return send_digests(utcnow())


@contextmanager
def _reading_context():
    """A context of its own whose transactions read first: on SQLite they begin deferred
    (app/extensions.py), so seconds of working out figures hold no write lock."""
    with _app().app_context():
        g.reads_first = True
        yield


@huey.periodic_task(crontab(minute="*/5"), name="refresh_dashboard")
@huey.lock_task("refresh_dashboard")  # a run takes seconds; a second one at once would add load
def refresh_dashboard() -> int:
    """Work out the default dashboard (app/insight/periods.py) in every language, so staff find
    it ready, and forget figures too old to show; how many were worked out."""
    from flask_babel import force_locale

    from app.i18n import LANGUAGES
    from app.insight import caching, snapshots
    from app.insight.periods import default_period

    with _reading_context():
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
    from flask_babel import force_locale

    from app.insight import caching, snapshots

    with _reading_context(), force_locale(locale):
        return snapshots.refresh(period, locale, unless_within=caching.kept_for())

"""The background job queue (huey) that features put their tasks on: the outbox every minute
(app/mail/tasks.py), the weekly digests once a day and workshop reminders every five minutes
(app/notifications/tasks.py: each reminder once, by a marker row claimed with its e-mail), the staff
dashboard's default figures every 5 minutes and other figures when a view finds them old
(app/insight/tasks.py), and each e-mail with a link to choose a new password as it is asked for
(app/auth/tasks.py). `create_app` imports those modules, which registers their tasks.

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
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, g, has_app_context
from huey import Huey, RedisHuey, SqliteHuey
from huey.storage import SqliteStorage

from app import config
from app.timeutil import library_time

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


def app_of_jobs() -> Flask:
    """The app a task runs in: the current one, else the one registered, else a new one."""
    if has_app_context():
        return current_app._get_current_object()
    if "app" not in _registered:
        from app import create_app

        init_app(create_app())
    return _registered["app"]


def on_library_clock(test):
    """A schedule (huey's `crontab`) read on the library's clock: the scheduler asks it about
    moments in UTC."""
    def due(moment: datetime) -> bool:
        return test(library_time(moment).replace(tzinfo=None))

    return due


@contextmanager
def reading_context():
    """A context of its own whose transactions read first: on SQLite they begin deferred
    (app/transactions.py), so seconds of working out figures hold no write lock."""
    with app_of_jobs().app_context():
        g.reads_first = True
        yield

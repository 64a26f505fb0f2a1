"""What every connection of the app's engines is set to and which events they run, attached in
create_app to the engines Flask-SQLAlchemy made for this app (one per bind): an engine made
elsewhere (a test's, the benchmark's) gets none of them.

Both databases: the page copies' revision moves with each transaction that wrote what a visitor
may see (`app.pagecache`). SQLite: settings per connection, BEGIN chosen by `app.transactions`,
and the writers' turns handed on as connections go back to the pool (`app.writers`).
PostgreSQL: no JIT compilation. Both: a stored moment's day is the library's (LIBRARY_TIMEZONE).
"""
from datetime import datetime, timezone
from functools import partial
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import Engine, event

from app import pagecache, transactions, writers
from app.extensions import db


def init_app(app: Flask) -> None:
    """After db.init_app and the models' imports: the unseen tables are read from the models."""
    unseen = pagecache.unseen_tables(db.metadata)
    with app.app_context():
        for engine in db.engines.values():
            listen(engine, unseen, app.config["LIBRARY_TIMEZONE"])


def listen(engine: Engine, unseen: frozenset[str], zone: str) -> None:
    # The settings come first on a new connection, before the dialect's own first queries.
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", partial(_sqlite_settings, zone=zone), insert=True)
        event.listen(engine, "begin", transactions.begin_sqlite)
        event.listen(engine.pool, "checkin", writers.returned)
        event.listen(engine.pool, "invalidate", writers.invalidated)
        event.listen(engine.pool, "close", writers.closed)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", partial(_postgres_settings, zone=zone), insert=True)
    event.listen(engine, "after_cursor_execute", pagecache.note_writes(unseen))
    event.listen(engine, "commit", pagecache.bump_before_commit)
    event.listen(engine, "rollback", pagecache.forget_writes)


def _sqlite_settings(dbapi_connection, _record, *, zone: str) -> None:
    dbapi_connection.isolation_level = None  # the "begin" event issues BEGIN
    # library_date(moment): the library's day of a stored moment (app.statements.library_date).
    dbapi_connection.create_function("library_date", 1, _library_date(zone), deterministic=True)
    cursor = dbapi_connection.cursor()
    # Waiting first: turning a new file to WAL takes a lock another process may hold (two
    # hosts running `flask db upgrade` at once), and without a timeout it fails at once.
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _library_date(zone: str):
    """SQLite keeps moments as text in UTC and knows no time zones: Python works the day out."""
    library = ZoneInfo(zone)

    def library_date(stored: str | None) -> str | None:
        if stored is None:
            return None
        moment = datetime.fromisoformat(stored).replace(tzinfo=timezone.utc)
        return moment.astimezone(library).date().isoformat()

    return library_date


def _postgres_settings(dbapi_connection, _record, *, zone: str) -> None:
    """No JIT compilation: it pays off for queries that run for seconds, and none of this app's
    do; it compiled the dashboard's statement of many small counts for longer than the statement
    then ran. The session's time zone is the library's, so that a stored moment's day is the
    library's day (app.statements.library_date). Outside a transaction, so that no rollback
    undoes them."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.execute("SELECT set_config('TimeZone', %s, false)", (zone,))
    cursor.close()
    dbapi_connection.autocommit = autocommit

"""What every connection of the app's engines is set to and which events they run, attached in
create_app to the engines Flask-SQLAlchemy made for this app (one per bind): an engine made
elsewhere (a test's, the benchmark's) gets none of them.

Both databases: the page copies' revision moves with each transaction that wrote what a visitor
may see (`app.pagecache`). SQLite: settings per connection, BEGIN chosen by `app.transactions`,
and the writers' turns handed on as connections go back to the pool (`app.writers`).
PostgreSQL: no JIT compilation.
"""
from flask import Flask
from sqlalchemy import Engine, event

from app import pagecache, transactions, writers
from app.extensions import db


def init_app(app: Flask) -> None:
    """After db.init_app and the models' imports: the unseen tables are read from the models."""
    unseen = pagecache.unseen_tables(db.metadata)
    with app.app_context():
        for engine in db.engines.values():
            listen(engine, unseen)


def listen(engine: Engine, unseen: frozenset[str]) -> None:
    # The settings come first on a new connection, before the dialect's own first queries.
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_settings, insert=True)
        event.listen(engine, "begin", transactions.begin_sqlite)
        event.listen(engine.pool, "checkin", writers.returned)
        event.listen(engine.pool, "invalidate", writers.invalidated)
        event.listen(engine.pool, "close", writers.closed)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_settings, insert=True)
    event.listen(engine, "after_cursor_execute", pagecache.note_writes(unseen))
    event.listen(engine, "commit", pagecache.bump_before_commit)
    event.listen(engine, "rollback", pagecache.forget_writes)


def _sqlite_settings(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # the "begin" event issues BEGIN
    cursor = dbapi_connection.cursor()
    # Waiting first: turning a new file to WAL takes a lock another process may hold (two
    # hosts running `flask db upgrade` at once), and without a timeout it fails at once.
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _postgres_settings(dbapi_connection, _record) -> None:
    """No JIT compilation: it pays off for queries that run for seconds, and none of this app's
    do; it compiled the dashboard's statement of many small counts for longer than the statement
    then ran. Outside a transaction, so that no rollback undoes it."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.autocommit = autocommit

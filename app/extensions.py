"""Unbound extensions, initialised once in create_app."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from app import writers

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mailer = Mail()
limiter = Limiter(get_remote_address)  # storage and switches: RATELIMIT_* settings


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.split(".")[0] == "psycopg":
        _postgres_settings(dbapi_connection)
    elif type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event issues BEGIN
        cursor = dbapi_connection.cursor()
        # Waiting first: turning a new file to WAL takes a lock another process may hold (two
        # hosts running `flask db upgrade` at once), and without a timeout it fails at once.
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _postgres_settings(dbapi_connection) -> None:
    """No JIT compilation: it pays off for queries that run for seconds, and none of this app's
    do. It compiled the dashboard's statement of 160 small counts (a year, week by week) for
    0.6 s, in a statement that then ran in 0.25 s. Outside a transaction, so that no rollback
    undoes it."""
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    dbapi_connection.execute("SET jit = off")
    dbapi_connection.autocommit = autocommit


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    """On SQLite everything but a reading request takes the write lock up front, unless it says
    it reads first: a job setting `g.reads_first`, a view marked `reads_first`.

    A deferred transaction that reads and then writes fails at once with "database is locked"
    when another writer committed in between; BEGIN IMMEDIATE waits its turn (`app.writers`).
    """
    if connection.dialect.name != "sqlite":
        return
    reading = _reads_first()
    if not reading:
        writers.wait_turn(connection)
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def _reads_first() -> bool:
    if has_request_context() and request.method in READ_METHODS:
        return True
    if not has_app_context():
        return False
    if "reads_first" in g:
        return g.reads_first
    view = current_app.view_functions.get(request.endpoint) if has_request_context() else None
    return getattr(view, "reads_first", False)


def reads_first(view):
    """Marks a view that reads (the patron, the proposal) before it writes. On SQLite its reads
    run without the write lock, and `start_writing()` takes the lock for the writes alone: the
    other writers then queue only for those."""
    view.reads_first = True
    return view


def start_writing() -> None:
    """In a `reads_first` view, before its first write. Loaded rows stay loaded through this
    request's commits (this app context's session only). On SQLite it ends the reading
    transaction, nothing being written yet, so that the next one begins with the write lock: a
    deferred transaction could not take it later if another writer came between."""
    db.session().expire_on_commit = False
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.commit()
        g.reads_first = False

"""How a transaction begins on SQLite, and the views and jobs that read before they write.

SQLite lets one writer in at a time. A deferred transaction that reads and then writes fails at
once with "database is locked" when another writer committed in between, so everything but a
reading request takes the write lock up front (BEGIN IMMEDIATE, after its turn in
`app.writers`), unless it says it reads first: a job setting `g.reads_first`, a view marked
`reads_first`. PostgreSQL needs none of this.
"""
from flask import current_app, g, has_app_context, has_request_context, request

from app import writers
from app.extensions import db
from app.statements import dialect

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def begin_sqlite(connection) -> None:
    """The engine's "begin" event on SQLite, whose driver leaves BEGIN to SQLAlchemy
    (`app.database`)."""
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
    if dialect() == "sqlite":
        db.session.commit()
        g.reads_first = False

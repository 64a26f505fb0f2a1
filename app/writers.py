"""SQLite's writers of one host take turns through an OS lock instead of SQLite's busy wait.

SQLite lets one writer in at a time. A writer that finds the lock taken sleeps and looks again
after 1, 2, 5, 10 … 100 ms, so under a burst of supports a click slept on while the lock was
free most of that time, and a writer of the other worker could lose every race. Here a writing
transaction first takes an exclusive `flock` on a file beside the database
(`<database>-writers`), which wakes the next writer the moment the last one hands its connection
back to the pool. The lock is the connection's own open file, so the threads of one worker queue
on it as the workers do. SQLite's own lock and busy timeout still stand behind it, for writers that
do not queue: other programs, and a second connection a thread opens while it holds the turn.

`returned`, `invalidated` and `closed` are the pool's events (attached in `app.database`).

The wait has no timeout: while a long writer holds the turn (an import on the command line), the
site's writes wait for it to commit instead of failing after SQLite's 5-second busy timeout.
"""
import fcntl
import os
import threading

_FILE, _HELD = "writers_file", "writers_held"
_holder: dict[str, int] = {}  # database file -> the thread of this process that holds its turn


def wait_turn(connection) -> None:
    """Called just before BEGIN IMMEDIATE on a file database."""
    database = connection.engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    if _holder.get(database) == threading.get_ident():
        return  # this thread holds the turn on another connection: SQLite's wait, as before
    info = connection.connection.info  # lives as long as the DBAPI connection
    if info.get(_HELD):
        return
    if _FILE not in info:
        info[_FILE] = os.open(f"{database}-writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(info[_FILE], fcntl.LOCK_EX)  # blocks without the GIL until the turn comes
    info[_HELD] = database
    _holder[database] = threading.get_ident()


def _hand_on(info: dict) -> None:
    database = info.pop(_HELD, None)
    if database is not None:
        _holder.pop(database, None)
        fcntl.flock(info[_FILE], fcntl.LOCK_UN)


def returned(_dbapi_connection, record) -> None:
    if record is not None:
        _hand_on(record.info)


def invalidated(_dbapi_connection, record, _exception) -> None:
    _hand_on(record.info)


def closed(_dbapi_connection, record) -> None:
    _hand_on(record.info)
    descriptor = record.info.pop(_FILE, None)
    if descriptor is not None:
        os.close(descriptor)

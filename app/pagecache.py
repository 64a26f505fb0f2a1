"""Rendered public pages kept for visitors who are not signed in, exact to the last write.

A visitor's page holds nothing personal but the CSRF token of the header's language form, so
it is kept once per address, language and htmx target, with a marker where the token goes.
Every transaction that writes a table a visitor's page may show adds one to
`content_revision.number` just before it commits; a page kept under an older number is never
served. The engine's events do it (`note_writes`, `bump_before_commit`, `forget_writes`,
attached by `app.database`): they see every statement on the app's connections, the ORM's
flushes, Core statements and text alike, so no write path can forget it. Tables no visitor's page
shows are marked in their models (`UNSEEN`, a key of the table's `info`).
Reading the number before the page's data means a page is kept under a number no newer than its
data. PAGE_CACHE_SECONDS bounds the age of what time alone changes ("3 minutes ago", an answer
falling due); 0 turns the cache off. Each process keeps its copies in memory, and, with
PAGE_CACHE_FOLDER set, shares them with the other processes of its host through a file there.
"""
import hashlib
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path

from flask import Flask, Response, current_app, g, make_response, request, session
from flask.globals import request_ctx
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import BigInteger, MetaData
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

TOKEN_MARK = "\x00csrf\x00"  # noqa: S105 - a marker, never in a page: NUL bytes are refused
# The `info` key of a table no visitor's page shows: the staff dashboard's figures and roll-ups,
# mail waiting to go, patrons' own notifications, the audit log. Writing only these (the
# 5-minute dashboard job, the outbox every minute) keeps the copies.
UNSEEN = "unseen_by_visitors"
# Textual SQL names no table to look at: any that does not begin so counts as a write.
READS = ("SELECT", "SHOW", "BEGIN", "PRAGMA", "SET")
BUMP = "UPDATE content_revision SET number = number + 1 WHERE id = 1"
REVISION = "SELECT number FROM content_revision WHERE id = 1"
EXISTS = {
    "sqlite": "SELECT max(name) FROM sqlite_master WHERE name = 'content_revision'",
    "postgresql": "SELECT to_regclass('content_revision')",
}
MAX_PAGES = 2000  # per process: a page is 5–75 KB, so at most about 50 MB


class ContentRevision(db.Model):
    """One row: how many writing transactions the database has committed, give or take."""
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, default=0)


def unseen_tables(metadata: MetaData) -> frozenset[str]:
    return frozenset(name for name, table in metadata.tables.items() if table.info.get(UNSEEN))


def note_writes(unseen: frozenset[str]) -> Callable[..., None]:
    """The engine's "after_cursor_execute" (a statement that failed wrote nothing): notes on the
    connection a statement that wrote a table not in `unseen`. It runs after every statement, so
    it reads the table's name where the statement was compiled, and looks at text once only."""

    def wrote(connection, _cursor, statement, _parameters, context, _executemany) -> None:
        if context is None:  # a column default's or a sequence's own statement
            return
        if context.is_crud:  # INSERT, UPDATE or DELETE, from the ORM or Core
            if getattr(context.compiled.statement.table, "name", None) in unseen:
                return
        elif not (context.is_text and _text_writes(statement)):
            return
        connection.info["wrote"] = True

    return wrote


@lru_cache(maxsize=256)
def _text_writes(statement: str) -> bool:
    return not statement.lstrip()[:6].upper().startswith(READS)


def bump_before_commit(connection) -> None:
    """In the writing transaction itself: readers see the new data and number together."""
    if not connection.info.pop("wrote", False) or connection.info.get("migrating"):
        return
    cursor = connection.connection.cursor()  # the DBAPI cursor: no events, no recursion
    try:
        if _has_revision_table(connection, cursor):
            cursor.execute(BUMP)
    finally:
        cursor.close()


def _has_revision_table(connection, cursor) -> bool:
    """False only on a database not yet upgraded to 0006; known once per connection."""
    if not connection.info.get("has_revision"):
        cursor.execute(EXISTS[connection.dialect.name])
        connection.info["has_revision"] = cursor.fetchone()[0] is not None
    return connection.info["has_revision"]


def forget_writes(connection) -> None:
    if connection.invalidated:  # the database dropped it (a restart): its info went with it, and
        return  # asking for it would raise instead of letting the rollback finish
    connection.info.pop("wrote", None)


def current_revision() -> int | None:
    """Read on every visitor's page, so sent as plain SQL: no statement to build or compile."""
    return db.session.connection().exec_driver_sql(REVISION).scalar()


class Pages:
    """The pages of one revision, least recently used first; a new revision empties it. Behind
    it, when given, the copies every process of the host shares."""

    def __init__(self, size: int = MAX_PAGES, shared: "SharedPages | None" = None):
        self.size, self.shared, self.revision, self.pages = size, shared, None, OrderedDict()
        self.lock = threading.Lock()

    def get(self, revision: int, key: tuple, max_age: float) -> tuple | None:
        with self.lock:
            if revision != self.revision:
                self.revision = revision
                self.pages.clear()
            kept = self.pages.get(key)
            if kept is not None and time.time() - kept[0] <= max_age:
                self.pages.move_to_end(key)
                return kept[1]
        found = self.shared.get(revision, key, max_age) if self.shared else None
        if found is None:
            return None
        self._keep(revision, key, *found)
        return found[1]

    def put(self, revision: int, key: tuple, page: tuple, max_age: float) -> None:
        made = time.time()
        if self._keep(revision, key, made, page) and self.shared:
            self.shared.put(revision, key, made, page, max_age)

    def _keep(self, revision: int, key: tuple, made: float, page: tuple) -> bool:
        with self.lock:
            if revision != self.revision:
                return False  # a write came in while it was rendered
            self.pages[key] = (made, page)
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)
            return True


class SharedPages:
    """Copies shared by the processes of one host, so a page one gunicorn worker rendered is
    served by the others. A SQLite file of its own, not the app's database: keeping a copy moves
    no revision. It never waits for another writer, and a busy or broken file is only a miss."""

    SCHEMA = ("CREATE TABLE IF NOT EXISTS page (key TEXT PRIMARY KEY, revision INTEGER NOT NULL,"
              " made REAL NOT NULL, mimetype TEXT NOT NULL, body BLOB NOT NULL) WITHOUT ROWID")
    PRUNE_EVERY = 100  # copies between two size checks (old revisions go whenever it moves)

    def __init__(self, path: str, size: int = MAX_PAGES):
        self.path, self.size = path, size
        self.local = threading.local()  # a connection per thread
        self.kept, self.pruned_at = 0, None

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=1, isolation_level=None,
                                         check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # a copy lost in a crash is a miss
            connection.execute(self.SCHEMA)
            connection.execute("PRAGMA busy_timeout=0")
            self.local.connection = connection
        return connection

    def get(self, revision: int, key: tuple, max_age: float) -> tuple[float, tuple] | None:
        try:
            row = self._connection().execute(
                "SELECT made, mimetype, body FROM page WHERE key = ? AND revision = ?",
                (repr(key), revision)).fetchone()
        except sqlite3.Error:
            return None
        if row is None or time.time() - row[0] > max_age:
            return None
        return row[0], (row[2].decode(), row[1])

    def put(self, revision: int, key: tuple, made: float, page: tuple, max_age: float) -> None:
        body, mimetype = page
        try:
            connection = self._connection()
            connection.execute("INSERT OR REPLACE INTO page VALUES (?, ?, ?, ?, ?)",
                               (repr(key), revision, made, mimetype, body.encode()))
            self.kept += 1
            counted = self.kept % self.PRUNE_EVERY == 0
            if revision != self.pruned_at or counted:
                self.pruned_at = revision
                connection.execute("DELETE FROM page WHERE revision <> ? OR made < ?",
                                   (revision, made - max_age))
            if counted:  # the sort over every copy, not at each write of a burst
                connection.execute("DELETE FROM page WHERE key IN (SELECT key FROM page "
                                   "ORDER BY made DESC LIMIT -1 OFFSET ?)", (self.size,))
        except sqlite3.Error:
            pass  # another process is writing: this copy stays in this process only


def shared_file(folder: str, database_url: str) -> str:
    """One file per database, so two apps on one host (say, a test server) never mix pages."""
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return str(Path(folder) / f"pages-{digest}.sqlite3")


def init_app(app: Flask) -> None:
    folder = app.config.get("PAGE_CACHE_FOLDER")
    shared = None
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shared = SharedPages(shared_file(folder, app.config["SQLALCHEMY_DATABASE_URI"]))
    app.extensions["pagecache"] = Pages(shared=shared)


def _flashed() -> bool:
    """A flashed message, waiting or shown on this page, is for this visitor alone."""
    return bool(session.get("_flashes") or getattr(request_ctx, "flashes", None))


def _for_anyone() -> bool:
    return request.method == "GET" and not current_user.is_authenticated and not _flashed()


def for_visitors(view=None, *, vary: Callable[[int], object] | None = None):
    """Serve the view's 200 answer again to visitors until the data changes. `vary(revision)`
    names what else a page shows that changes without a write (a call's phase, moved by the
    clock): its value is part of the key, so a copy is never served once it has moved."""
    if view is None:
        return lambda page_view: for_visitors(page_view, vary=vary)

    @wraps(view)
    def wrapper(*args, **kwargs):
        max_age = current_app.config.get("PAGE_CACHE_SECONDS", 0)
        if not max_age or not _for_anyone():
            return view(*args, **kwargs)
        revision = current_revision()
        if revision is None:  # a database older than the table
            return view(*args, **kwargs)
        key = (request.full_path, str(get_locale()), request.headers.get("HX-Request"),
               request.headers.get("HX-Target"), request.headers.get("HX-History-Restore-Request"),
               vary(revision) if vary else None)
        pages = current_app.extensions["pagecache"]
        kept = pages.get(revision, key, max_age)
        if kept is not None:
            body, mimetype = kept
            return Response(body.replace(TOKEN_MARK, generate_csrf()), mimetype=mimetype)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.direct_passthrough and not _flashed():
            token = g.get("csrf_token")
            body = response.get_data(as_text=True)
            pages.put(revision, key, (body.replace(token, TOKEN_MARK) if token else body,
                                      response.mimetype), max_age)
        return response

    wrapper.shown_to_visitors = True  # a public page (app.page_meta)
    return wrapper

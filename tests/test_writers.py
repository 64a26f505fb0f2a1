"""SQLite's writers queue on an OS lock (app/writers.py) rather than SQLite's busy wait.

These run on a SQLite file of their own whatever TEST_DATABASE_URL says: the queue exists only
for SQLite. SQLite's busy timeout is cut to 50 ms here, so a writer that relied on it alone would
fail with "database is locked" where a queued one simply waits its turn.
"""
import threading

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from app.transactions import reads_first, start_writing

HOLD = 0.4  # seconds the first writer keeps its transaction open: far beyond the busy timeout


@pytest.fixture()
def sqlite_app(tmp_path):
    app = create_app({"ENV_NAME": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'writers.sqlite3'}"})
    with app.app_context():
        event.listen(db.engine, "connect",
                     lambda connection, _record: connection.execute("PRAGMA busy_timeout=50"))
        db.session.execute(text("CREATE TABLE tally (n INTEGER)"))
        db.session.commit()
    log = app.config["TALLY_LOG"] = []

    @reads_first
    def add_after_reading():  # as the support click: read first, then write
        log.append(f"read {db.session.scalars(text('SELECT n FROM tally')).all()}")
        start_writing()
        db.session.execute(text("INSERT INTO tally VALUES (3)"))
        db.session.commit()
        log.append("3 committed")
        return "", 204

    app.add_url_rule("/tally", view_func=add_after_reading, methods=["POST"])
    yield app
    with app.app_context():
        db.engine.dispose()


def write(app, n: int, log: list, *, held: threading.Event | None = None,
          release: threading.Event | None = None, rollback: bool = False) -> None:
    with app.app_context():  # a job or a POST: it takes the write lock up front
        try:
            db.session.execute(text("INSERT INTO tally VALUES (:n)"), {"n": n})
            log.append(f"{n} wrote")
            if held:
                held.set()
                release.wait(5)
            if rollback:
                db.session.rollback()
                log.append(f"{n} rolled back")
            else:
                db.session.commit()
                log.append(f"{n} committed")
        except OperationalError as error:
            log.append(f"{n} failed: {error.orig}")
        finally:
            db.session.remove()


def hold_then(app, log, action):
    """Writer 1 holds its turn while `action` runs in another thread, then lets go."""
    held, release = threading.Event(), threading.Event()
    first = threading.Thread(target=write, args=(app, 1, log),
                             kwargs={"held": held, "release": release,
                                     "rollback": action == "rollback"})
    first.start()
    assert held.wait(5)
    return first, release


def tally(app) -> list[int]:
    with app.app_context():
        return sorted(db.session.scalars(text("SELECT n FROM tally")))


@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_a_second_writer_waits_its_turn_longer_than_sqlites_busy_timeout(sqlite_app, ending):
    log = []
    first, release = hold_then(sqlite_app, log, ending)
    second = threading.Thread(target=write, args=(sqlite_app, 2, log))
    second.start()
    second.join(HOLD)
    assert second.is_alive() and log == ["1 wrote"]  # queued, not failed after 50 ms
    release.set()
    first.join(5), second.join(5)
    ended = "1 committed" if ending == "commit" else "1 rolled back"
    assert log[0] == "1 wrote" and sorted(log[1:]) == sorted([ended, "2 wrote", "2 committed"])
    assert tally(sqlite_app) == ([1, 2] if ending == "commit" else [2])


def test_readers_do_not_queue_behind_a_writer(sqlite_app):
    log = []
    first, release = hold_then(sqlite_app, log, "commit")
    try:
        with sqlite_app.test_request_context("/", method="GET"):
            assert db.session.scalars(text("SELECT n FROM tally")).all() == []  # not yet committed
            db.session.remove()
    finally:
        release.set()
        first.join(5)
    assert tally(sqlite_app) == [1]


def test_a_thread_holding_the_turn_is_refused_by_sqlite_not_stuck_on_a_second_connection(
        sqlite_app):
    log = []

    def two_connections():
        with sqlite_app.app_context():
            db.session.execute(text("INSERT INTO tally VALUES (1)"))  # holds the turn
            with db.engine.connect() as other:
                try:
                    other.execute(text("INSERT INTO tally VALUES (2)"))
                except OperationalError as error:
                    log.append(str(error.orig))
            db.session.commit()
            db.session.remove()

    worker = threading.Thread(target=two_connections)
    worker.start()
    worker.join(5)
    assert not worker.is_alive()
    assert log == ["database is locked"]
    assert tally(sqlite_app) == [1]


def test_a_view_that_reads_first_queues_only_for_its_writes(sqlite_app):
    log = sqlite_app.config["TALLY_LOG"]
    first, release = hold_then(sqlite_app, log, "commit")
    click = threading.Thread(target=lambda: sqlite_app.test_client().post("/tally"))
    click.start()
    click.join(HOLD)
    assert click.is_alive() and log == ["1 wrote", "read []"]  # read at once, waits to write
    release.set()
    first.join(5), click.join(5)
    assert sorted(log[2:]) == ["1 committed", "3 committed"] and tally(sqlite_app) == [1, 3]

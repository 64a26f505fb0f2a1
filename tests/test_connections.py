"""What every database connection of the app is set to, whatever its transactions did, and
that the app sets its own engines only (app/database.py)."""
import pytest
from sqlalchemy import create_engine, event

from app import create_app, pagecache, transactions
from app.extensions import db


def test_each_connection_keeps_its_settings_after_a_rollback(app):
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
        connection.rollback()
        if db.engine.dialect.name == "postgresql":
            # JIT compiled the dashboard's small counts for longer than they then ran
            assert connection.exec_driver_sql("SHOW jit").scalar() == "off"
        else:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.fixture
def new_sqlite_app(tmp_path):
    """An app on a SQLite file of its own, whatever TEST_DATABASE_URL says."""
    app = create_app({"ENV_NAME": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.sqlite3'}"})
    with app.app_context():
        yield db.engine
        db.engine.dispose()


def settings_and_lock(engine) -> tuple[str, int, bool]:
    """Journal mode, foreign keys, and whether a transaction that only read holds the write
    lock (BEGIN IMMEDIATE)."""
    with engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
        return mode, keys, connection.connection.driver_connection.in_transaction


def test_a_new_apps_sqlite_file_is_set_up_by_the_app(new_sqlite_app):
    assert settings_and_lock(new_sqlite_app) == ("wal", 1, True)


def test_an_engine_made_outside_the_app_gets_none_of_its_listeners(new_sqlite_app, tmp_path):
    outside = create_engine(f"sqlite:///{tmp_path / 'outside.sqlite3'}")
    try:
        assert settings_and_lock(outside) == ("delete", 0, False)  # SQLite's and the driver's own
        assert not event.contains(outside, "begin", transactions.begin_sqlite)
        assert not event.contains(outside, "commit", pagecache.bump_before_commit)
    finally:
        outside.dispose()
    assert event.contains(new_sqlite_app, "begin", transactions.begin_sqlite)
    assert event.contains(new_sqlite_app, "commit", pagecache.bump_before_commit)

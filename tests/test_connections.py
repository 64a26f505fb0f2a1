"""What every database connection of the app is set to, whatever its transactions did."""
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

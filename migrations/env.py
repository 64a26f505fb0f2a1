import logging
import time
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import text

from app.schema import include_object

config = context.config
fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
MIGRATION_LOCK = 0x636F6D6D6F6E73  # "commons": the advisory lock `flask db upgrade` holds



def run_migrations_offline():
    context.configure(
        url=str(target_db.engine.url), target_metadata=target_db.metadata, literal_binds=True,
        include_object=include_object, render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args["include_object"] = include_object

    with target_db.engine.connect() as connection:
        connection.info["migrating"] = True  # app.pagecache: content_revision may not exist yet
        try:
            _upgrade(connection, conf_args)
        finally:
            connection.info.pop("migrating")


def _upgrade(connection, conf_args):
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:  # batch mode rebuilds tables; foreign keys are checked again afterwards
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    with _one_upgrade_at_a_time(connection):
        context.configure(connection=connection, target_metadata=target_db.metadata, **conf_args)
        with context.begin_transaction():
            context.run_migrations()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


@contextmanager
def _one_upgrade_at_a_time(connection):
    """Hosts that run `flask db upgrade` at once take turns: the next one waits for this one's
    commit, then reads the new version and finds nothing to do. A session-level lock, so that a
    migration committing part-way (an autocommit block) keeps it. SQLite needs none: every
    transaction outside a request begins IMMEDIATE, which already takes turns."""
    if connection.dialect.name != "postgresql":
        yield
        return
    # Asked for again and again, each time in a transaction of its own: a host waiting inside
    # one would hold back an index built CONCURRENTLY by the host upgrading, which waits for
    # every transaction open when it starts, while that host holds the lock: a deadlock.
    while not connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                 {"key": MIGRATION_LOCK}).scalar():
        connection.commit()
        time.sleep(0.2)
    connection.commit()
    try:
        yield
    finally:
        connection.rollback()  # whatever a failed migration left open
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

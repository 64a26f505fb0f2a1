"""Schema changes without downtime (deploy/README.md, "Expand, then contract").

Each test builds its own database (the session's stays as the migrations left it): a SQLite file,
or a new PostgreSQL database when TEST_DATABASE_URL is set.
"""
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, Table, create_engine, inspect, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, registry

from app import create_app
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent
HEAD = ScriptDirectory(str(ROOT / "migrations")).get_current_head()
MIGRATION_LOCK = 0x636F6D6D6F6E73  # as in migrations/env.py


@pytest.fixture
def fresh_url(tmp_path):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"commons_ec_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                                "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def flask_db_upgrade(url: str) -> subprocess.Popen:
    """`flask db upgrade` as another host would run it: its own process."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"TEST_DATABASE_URL", "REDIS_URL", "HUEY_REDIS_URL"}}
    env |= {"DATABASE_URL": url, "COMMONS_ENV": "development"}
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def finished(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    return output


def version(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


@pytest.fixture
def migrated(fresh_url):
    finished(flask_db_upgrade(fresh_url))
    engine = create_engine(fresh_url)
    yield engine
    engine.dispose()


def test_old_code_reads_and_writes_after_a_nullable_column_is_added(migrated):
    old_category = Table("category", MetaData(), autoload_with=migrated)  # the old host's model

    class OldCategory:  # the old host's ORM class, mapped to that table
        pass

    registry().map_imperatively(OldCategory, old_category)

    with migrated.begin() as connection:  # expand: what the new release's migration does
        Operations(MigrationContext.configure(connection)).add_column(
            "category", Column("note", String(200), nullable=True))

    with Session(migrated) as old_host:  # old code: the column it does not know is no trouble
        old_host.add(OldCategory(slug="makerspace", name_en="Makerspace", name_zh="创客空间",
                                 position=99))
        old_host.commit()
        old_host.execute(update(old_category).where(old_category.c.slug == "makerspace")
                         .values(name_en="Maker space"))
        old_host.commit()
        assert old_host.scalars(select(OldCategory).where(
            OldCategory.slug == "makerspace")).one().name_en == "Maker space"

    new_category = Table("category", MetaData(), autoload_with=migrated)  # the new release
    with migrated.begin() as new_host:
        assert new_host.execute(select(new_category.c.note).where(
            new_category.c.slug == "makerspace")).scalar_one() is None  # old rows: NULL
        new_host.execute(new_category.insert().values(
            slug="podcast-studio", name_en="Podcast studio", name_zh="播客录音室", position=100,
            note="Bookable by the hour"))
    with migrated.connect() as old_host:  # and the old code reads what the new one wrote
        assert old_host.execute(select(old_category.c.name_en).where(
            old_category.c.slug == "podcast-studio")).scalar_one() == "Podcast studio"


def test_contracting_too_early_breaks_the_old_code(migrated):
    """Why a column goes only in a later release, once no running code reads it."""
    old_category = Table("category", MetaData(), autoload_with=migrated)
    with migrated.begin() as connection:
        Operations(MigrationContext.configure(connection)).drop_column("category", "position")
    with migrated.connect() as old_host, pytest.raises(DBAPIError):
        old_host.execute(select(old_category)).all()


def test_a_not_null_column_without_default_is_refused_on_a_table_with_rows(migrated):
    """The expand step adds columns nullable (or with a server default), never bare NOT NULL."""
    with migrated.begin() as connection, pytest.raises(DBAPIError):
        Operations(MigrationContext.configure(connection)).add_column(
            "category", Column("code", String(10), nullable=False))


def test_two_hosts_upgrading_at_once_take_turns(fresh_url):
    first, second = flask_db_upgrade(fresh_url), flask_db_upgrade(fresh_url)
    output = finished(first) + finished(second)
    engine = create_engine(fresh_url)
    assert version(engine) == [HEAD]
    steps = [line for line in output.splitlines() if "Running upgrade" in line]
    assert len(steps) == len(set(steps)), "a migration ran twice"  # the second found nothing
    assert "category" in inspect(engine).get_table_names()
    engine.dispose()


def test_upgrading_an_up_to_date_database_does_nothing(migrated):
    assert "Running upgrade" not in finished(flask_db_upgrade(migrated.url.render_as_string(
        hide_password=False)))
    assert version(migrated) == [HEAD]


def host_engine(url: str):
    """The engine of another host of the app: its connections set as the app sets them."""
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        return db.engine


def test_an_upgrade_waits_while_another_host_holds_the_lock(fresh_url):
    """PostgreSQL: the migrations' advisory lock. SQLite: one writer at a time (BEGIN IMMEDIATE,
    waited for within the busy timeout)."""
    engine = host_engine(fresh_url)
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as other_host:
        if postgres:
            other_host.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            other_host.commit()
        else:
            other_host.exec_driver_sql("CREATE TABLE other_host_work (n INTEGER)")
            other_host.commit()
            other_host.exec_driver_sql("INSERT INTO other_host_work VALUES (1)")  # holds the lock
        waiting = flask_db_upgrade(fresh_url)
        time.sleep(2 if not postgres else 4)
        assert waiting.poll() is None  # still waiting
        if postgres:
            assert "alembic_version" not in inspect(engine).get_table_names()
            other_host.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
        other_host.commit()
    finished(waiting)
    assert version(engine) == [HEAD]
    engine.dispose()

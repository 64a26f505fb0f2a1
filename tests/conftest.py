"""Test fixtures: one migrated database per run (SQLite file, or a fresh PostgreSQL database
when TEST_DATABASE_URL is set), emptied before every test."""
import itertools
import os
import uuid
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from babel.messages.frontend import CommandLineInterface
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app, jobs, timeutil
from app.auth import passwords
from app.auth import services as accounts
from app.calls import services as calls
from app.extensions import db
from app.projects import services as projects
from app.proposals import services as proposals
from app.proposals.models import Branch, Category, Status
from tests.calls.moments import phases as call_phases

PASSWORD = "correct horse battery"
KEEP = {"category", "branch", "alembic_version", "content_revision", "glossary_term"}  # seeded by migrations


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """`make setup` compiles the catalogue; a bare pytest run after editing the .po sees it too."""
    catalogue = Path(__file__).resolve().parent.parent / "app/translations/zh_Hans/LC_MESSAGES"
    compiled, source = catalogue / "messages.mo", catalogue / "messages.po"
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        CommandLineInterface().run(["pybabel", "-q", "compile", "-d", str(catalogue.parents[1])])


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    name = f"commons_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' "
            "LC_COLLATE 'C.UTF-8'"
        ))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_app(database_url, tmp_path_factory):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "MEDIA_FOLDER": str(tmp_path_factory.mktemp("media"))})
    app.test_client_class = IsolatedClient
    jobs.init_app(app)  # HUEY_IMMEDIATE: a task a request queues runs at once, in the request
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production: its own session and `g`
    (Flask-Login caches the user there). The test's session is committed before and reset after,
    so both sides see each other's writes."""

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.rollback()
        return response


def empty_database() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(migrated_app):
    with migrated_app.app_context():
        empty_database()
        yield migrated_app
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


_serial = itertools.count(1)


@pytest.fixture
def make_user(app):
    def make(role="patron", *, email=None, name=None, patron_type="undergraduate",
             password=PASSWORD):
        n = next(_serial)
        user = accounts.register(
            email=email or f"user{n}@example.edu", display_name=name or f"Patron {n}",
            password=password, patron_type=patron_type, role=role,
        )
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_proposal(app, make_user):
    def make(author=None, *, status=Status.OPEN, title=None, **fields):
        n = next(_serial)
        author = author or make_user()
        values = {
            "title": title or f"Proposal number {n} about the library",
            "problem": "The reading room is too noisy in the evening.",
            "suggestion": "Mark the third floor as a silent zone after six.",
            "category_id": db.session.query(Category.id).order_by(Category.id).first()[0],
            "branch_id": db.session.query(Branch.id).order_by(Branch.id).first()[0],
        } | fields
        proposal = proposals.create(author=author, **values)
        proposal.status = Status(status).value
        db.session.commit()
        return proposal
    return make


@pytest.fixture
def login(client):
    def sign_in(user, password=PASSWORD):
        response = client.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code == 303, response.text
        return response
    return sign_in


def count(model) -> int:
    return db.session.query(model).count()


@pytest.fixture
def make_project(make_proposal, make_user):
    def make(places=3, **fields):
        proposal = make_proposal(status=Status.ACCEPTED)
        project = projects.start(
            proposal, by=make_user(role="staff", name="Librarian Wang"),
            goal="Open the east reading room on Sundays.", volunteer_tasks="Welcome readers and count seats.", places=places,
            starts_on=date(2026, 12, 1), milestones=[("Survey seats", date(2026, 12, 15))],
            **fields,
        )
        db.session.commit()
        return project
    return make


@pytest.fixture
def make_outcome(make_proposal, staff):
    """A completed project's outcome; `staff` comes from the test folder's conftest."""
    def make(proposal=None, *, summary="Quiet seats went up from 180 to 300.",
             indicators=(("Quiet seats", Decimal("180"), Decimal("300"), "seats"),),
             evidence="https://library.example.edu/report", **fields):
        proposal = proposal or make_proposal(status=Status.ACCEPTED, **fields)
        project = projects.start(proposal, by=staff, goal="Open the east reading room.",
                                 volunteer_tasks="Count seats.", places=3,
                                 starts_on=date(2026, 12, 1))
        outcome = projects.complete(project, by=staff, summary=summary,
                                    indicators=list(indicators), evidence=evidence)
        db.session.commit()
        return outcome
    return make


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock every call for ideas reads (app.proposals.calls.clock)."""
    def move(moment: datetime) -> None:
        monkeypatch.setattr(timeutil, "utcnow", lambda: moment)
    return move


@pytest.fixture
def make_call(app, make_user):
    """A call whose phases are tests/calls/moments.py's, opened by library staff."""
    def make(**fields):
        values = {"title_en": "Ideas for the new learning commons",
                  "title_zh": "新学习共享空间征集", "description_en": "Tell us.",
                  "category_id": db.session.query(Category.id).order_by(Category.id).first()[0],
                  "branch_id": None} | call_phases() | fields
        call = calls.create(by=make_user(role="staff"), **values)
        db.session.commit()
        return call
    return make

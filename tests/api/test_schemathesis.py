"""Schemathesis reads the API's own OpenAPI document, served by the app, and sends the requests
it describes through the WSGI app, in process: cases that fit the document (which the API must
answer with 2xx, or the errors it documents) and cases that do not (which it must refuse with a
4xx). Every check runs on every answer: no server error, status codes, content types, headers
and bodies as documented, schema-valid data accepted, schema-violating data refused.

What no schema can say is which slugs and cursors exist. The document says their form (printable,
so long), and that an unknown one is a 400; a case that fits the document gets real ones here, so
that what the API must accept is tested against what it holds; so do half of the proposal ids.
Cases that do not fit the document are sent as generated.
"""
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from app import create_app
from app.calls import services as calls
from app.extensions import db
from app.proposals.queries import DEFAULT_SORT, SORTS
from tests.api.test_proposals import get_json

EXAMPLES = 100  # generated per operation, besides the coverage phase's: 10 s on SQLite, 25 s on PG

CONFIG = SchemathesisConfig.from_dict({
    "seed": 20261207,  # the same cases on every run: a failure can be replayed
    "generation": {"max-examples": EXAMPLES},
    "checks": {"enabled": True},
})

# The document as an app serves it, read when the file is collected (which needs no database);
# the cases then go to the test's app and database (`case.call_and_validate(app=...)`).
# (`schemathesis.pytest.from_fixture` would read it from the test's app, but fails on pytest 9.2:
# it sets a `_nodeid` that pytest's items no longer have.)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json",
    create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"}), config=CONFIG)


def next_cursor(client, url: str) -> str:
    following = get_json(client, url)["next"]
    assert following, url
    return parse_qs(urlsplit(following).query)["cursor"][0]


@pytest.fixture
def existing(client, world, make_outcome, places, staff):
    """Published proposals, calls, slugs and cursors that exist: a cursor of each listing and
    order, as the API gives it out."""
    make_outcome()  # two public outcomes and projects: a second page
    categories, branches = places
    called = [_call(staff, title, days) for title, days in (("Floor 3", -3), ("Exams", 10))]
    _two_workshops(staff, branches[0].id)
    return {
        "proposal_id": [world["open"].id, world["anonymous"].id, world["outcome"].proposal_id],
        "call_id": [call.id for call in called],
        "category": [category.slug for category in categories],
        "branch": [branch.slug for branch in branches],
        "cursor": {
            **{("/api/v1/proposals", sort): next_cursor(client, f"/api/v1/proposals?limit=1&sort={sort}")
               for sort in SORTS},
            ("/api/v1/outcomes", None): next_cursor(client, "/api/v1/outcomes?limit=1"),
            ("/api/v1/projects", None): next_cursor(client, "/api/v1/projects?limit=1"),
            ("/api/v1/calls", None): next_cursor(client, "/api/v1/calls?limit=1"),
            ("/api/v1/workshops", None): next_cursor(client, "/api/v1/workshops?limit=1"),
        },
    }


def _call(staff, title: str, opens_in_days: int):
    start = datetime.now().replace(second=0, microsecond=0) + timedelta(days=opens_in_days)
    moments = {}
    for phase in ("collecting", "supporting", "reviewing", "results"):
        moments[f"{phase}_starts_at"], start = start, start + timedelta(days=7)
        moments[f"{phase}_ends_at"] = start
    call = calls.create(by=staff, title_en=title, title_zh="", description_en="Tell us.",
                        branch_id=None, category_id=None, **moments)
    db.session.commit()
    return call


def _two_workshops(staff, branch_id: int) -> None:
    from datetime import timedelta

    from app.extensions import db
    from app.timeutil import utcnow
    from app.workshops import services as workshops

    for days in (3, 4):
        starts = utcnow() + timedelta(days=days)
        workshops.schedule(workshops.Plan(
            title=f"Workshop in {days} days", description="A co-design session.",
            starts_at=starts, ends_at=starts + timedelta(hours=2), places=5,
            opens_at=utcnow(), closes_at=starts, branch_id=branch_id), by=staff)
    db.session.commit()


def name_what_exists(case, existing) -> None:
    """In a case that fits the document, a slug or cursor that exists in place of any other, and
    every other time a proposal that exists (the others answer the documented 404)."""
    for name in ("proposal_id", "call_id"):
        known = (case.path_parameters or {}).get(name)
        if type(known) is int and known % 2 == 0:
            case.path_parameters[name] = existing[name][known // 2 % len(existing[name])]
    query = case.query or {}
    if type(query.get("call")) is int and query["call"] % 2 == 0:
        query["call"] = existing["call_id"][query["call"] // 2 % len(existing["call_id"])]
    for name in ("category", "branch"):
        if query.get(name):
            query[name] = existing[name][sum(map(ord, query[name])) % len(existing[name])]
    if query.get("cursor"):
        sort = query.get("sort", DEFAULT_SORT) if case.path == "/api/v1/proposals" else None
        query["cursor"] = existing["cursor"][(case.path, sort)]


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_does_what_its_document_says(case, app, existing):
    if case.meta is not None and case.meta.generation.mode.is_positive:
        name_what_exists(case, existing)
    db.session.commit()
    with app.app_context():  # each request in a context of its own, as in production
        case.call_and_validate(app=app)

"""Workshops in the API (public fields only: never the online link, the answers or who
registered), its OpenAPI schema, the Atom feed and the events every write path publishes."""
import json
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from app import events
from app.audit import AuditEntry
from app.extensions import db
from app.timeutil import utcnow
from app.workshops import services
from tests.conftest import count


@pytest.fixture
def booked(make_workshop, make_user, staff):
    workshop = make_workshop(online_url="https://meet.example.edu/secret-room",
                             question="Accessibility needs?", title="Focus group on search")
    patron = make_user(name="Secret Registrant", email="secret.registrant@example.edu")
    services.register(workshop, patron, answer="Private answer about my needs")
    db.session.commit()
    return workshop, patron


def test_the_api_lists_public_fields_only(client, booked):
    workshop, patron = booked
    response = client.get("/api/v1/workshops")
    assert response.status_code == 200
    body = response.data
    for private in (b"secret-room", b"Private answer", b"Secret Registrant", b"example.edu",
                    b"user_id", workshop.check_in_code.encode()):
        assert private not in body
    [item] = response.get_json()["items"]
    assert item["online"] is True and item["registered"] == 1 and item["free_places"] == 2
    assert item["starts_at"].endswith("Z")


def test_the_api_filters_and_answers_bad_parameters(client, booked, make_workshop):
    past = make_workshop(title="Past session")
    past.starts_at -= timedelta(days=30)
    past.ends_at -= timedelta(days=30)
    db.session.commit()
    titles = [w["title"] for w in client.get("/api/v1/workshops?when=past").get_json()["items"]]
    assert titles == ["Past session"]
    assert client.get("/api/v1/workshops?when=soon").status_code == 400
    assert client.get("/api/v1/workshops?branch=nowhere").status_code == 400
    page = client.get("/api/v1/workshops?limit=1").get_json()
    assert len(page["items"]) == 1 and page["next"]


def test_responses_match_the_openapi_schema(client, booked):
    document = json.loads(client.get("/api/v1/openapi.json").data)
    schema = {"$ref": "#/components/schemas/WorkshopPage", "components": document["components"]}
    errors = list(Draft202012Validator(schema).iter_errors(
        client.get("/api/v1/workshops").get_json()))
    assert not errors
    assert {p["name"] for p in document["paths"]["/api/v1/workshops"]["get"]["parameters"]} == {
        "when", "branch", "call", "limit", "cursor"}


def test_the_atom_feed_lists_new_workshops_without_the_link(client, booked):
    response = client.get("/feeds/workshops.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert b"Focus group on search" in response.data and b"secret-room" not in response.data


@pytest.fixture
def heard(app):
    log = []
    receivers = [(signal, lambda sender, _name=signal.name, **kw: log.append(_name))
                 for signal in events.ALL]
    for signal, receiver in receivers:
        signal.connect(receiver)
    yield log
    for signal, receiver in receivers:
        signal.disconnect(receiver)


def test_every_write_path_publishes_its_event_once_and_staff_actions_are_audited(
        heard, make_workshop, make_user, staff):
    audited = count(AuditEntry)
    workshop = make_workshop(places=1)
    first, second = make_user(), make_user()
    services.register(workshop, first)
    services.register(workshop, second)
    services.cancel_registration(workshop, first)
    later = workshop.starts_at + timedelta(days=1)
    services.edit(workshop, services.Plan(
        title=workshop.title, description=workshop.description, starts_at=later,
        ends_at=later + timedelta(hours=2), places=1, opens_at=workshop.opens_at,
        closes_at=later, branch_id=workshop.branch_id), by=staff)
    services.mark_attendance(services.seat_of(workshop, second)[0], by=staff, attended=True)
    workshop.starts_at, workshop.ends_at = utcnow() - timedelta(hours=3), utcnow()
    services.publish_minutes(workshop, by=staff, minutes="Three zones agreed.")
    services.cancel_workshop(workshop, by=staff, reason="Not needed any more.")
    assert heard == ["workshop_scheduled", "workshop_registered", "workshop_registered",
                     "workshop_registration_cancelled", "workshop_changed", "attendance_taken",
                     "minutes_published", "workshop_cancelled"]
    assert count(AuditEntry) == audited + 5  # schedule, move, attendance, minutes, cancel

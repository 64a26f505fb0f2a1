"""The workshop pages and their POSTs, with and without htmx, role by role."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.proposals.models import Branch
from app.timeutil import library_time, utcnow
from app.workshops import services
from app.workshops.models import Registration, Workshop

HX = {"HX-Request": "true"}


def form_for(branch_id, **changes):
    start = library_time(utcnow() + timedelta(days=10)).replace(hour=14, minute=0)
    values = {
        "title": "Focus group on catalogue search",
        "description": "Tell us how you search the catalogue.",
        "starts_at": f"{start:%Y-%m-%dT%H:%M}",
        "ends_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "branch_id": str(branch_id), "room": "Room 3", "places": "12",
        "opens_at": f"{start - timedelta(days=12):%Y-%m-%dT%H:%M}",
        "closes_at": f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "patron_types": ["undergraduate", "postgraduate"], "question": "Accessibility needs?",
        "project_id": "", "online_url": "",
    }
    return values | changes


@pytest.fixture
def branch_id(app):
    return db.session.scalar(select(Branch.id).order_by(Branch.id))


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 200), ("admin", 200)])
def test_only_staff_open_the_scheduling_form(client, login, make_user, role, expected):
    login(make_user(role=role))
    assert client.get("/workshops/new").status_code == expected


def test_visitors_are_sent_to_sign_in_to_schedule(client):
    assert client.get("/workshops/new").status_code == 302


def test_staff_schedule_on_the_library_clock(client, login, staff, branch_id, make_project):
    project = make_project()
    login(staff)
    assert project.proposal.title in client.get("/workshops/new").text
    values = form_for(branch_id, project_id=str(project.id))
    response = client.post("/workshops/new", data=values)
    assert response.status_code == 303
    workshop = db.session.scalar(select(Workshop))
    assert f"{library_time(workshop.starts_at):%Y-%m-%dT%H:%M}" == values["starts_at"]
    assert workshop.starts_at.hour == 6  # 14:00 in Shanghai is 06:00 UTC
    assert workshop.patron_types == "postgraduate,undergraduate"
    assert workshop.project_id == project.id
    assert project.proposal.title in client.get(f"/workshops?project={project.id}").text
    page = client.get(response.location)
    assert "Focus group on catalogue search" in page.text and "12 of 12 places left" in page.text


def test_a_bad_schedule_comes_back_with_the_reason_and_what_was_typed(client, login, staff,
                                                                     branch_id):
    login(staff)
    values = form_for(branch_id, ends_at=form_for(branch_id)["starts_at"])
    response = client.post("/workshops/new", data=values)
    assert response.status_code == 422
    assert "must end after it starts" in response.text
    assert "Focus group on catalogue search" in response.text
    assert db.session.scalar(select(Workshop)) is None


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 200)])
def test_only_staff_edit_take_attendance_and_write_minutes(client, login, make_user,
                                                          make_workshop, role, expected):
    workshop = make_workshop()
    login(make_user(role=role))
    for page in ("edit", "attendance", "minutes", "attendance.csv"):
        assert client.get(f"/workshops/{workshop.id}/{page}").status_code == expected


def test_patrons_cannot_post_staff_actions(client, login, make_user, make_workshop, branch_id):
    workshop, patron = make_workshop(), make_user()
    services.register(workshop, patron)
    db.session.commit()
    registration = db.session.scalar(select(Registration))
    login(patron)
    assert client.post(f"/workshops/{workshop.id}/edit", data=form_for(branch_id)) \
        .status_code == 403
    assert client.post(f"/workshops/{workshop.id}/call-off",
                       data={"reason": "No reason at all"}).status_code == 403
    assert client.post(f"/workshops/{workshop.id}/attendance/{registration.id}",
                       data={"attended": "1"}).status_code == 403
    assert client.post(f"/workshops/{workshop.id}/minutes",
                       data={"minutes": "Minutes by a patron"}).status_code == 403


def test_the_list_shows_upcoming_and_past_and_filters(client, make_workshop, make_user):
    soon = make_workshop(title="Upcoming sprint", places=1)
    other = make_workshop(title="Roomy focus group", places=5)
    past = make_workshop(title="Past walk-through")
    past.starts_at -= timedelta(days=30)
    past.ends_at -= timedelta(days=30)
    services.register(soon, make_user())
    db.session.commit()
    page = client.get("/workshops").text
    assert "Upcoming sprint" in page and "Roomy focus group" in page
    assert "Past walk-through" not in page
    assert "Past walk-through" in client.get("/workshops?when=past").text
    with_places = client.get("/workshops?places=1").text
    assert "Roomy focus group" in with_places and "Upcoming sprint" not in with_places
    assert other.branch is not None
    assert "Roomy focus group" in client.get(f"/workshops?branch={other.branch.slug}").text
    assert "No workshops match." in client.get("/workshops?branch=nowhere").text


def test_register_and_cancel_without_and_with_htmx(client, login, make_user, make_workshop):
    workshop, patron = make_workshop(places=1), make_user()
    login(patron)
    response = client.post(f"/workshops/{workshop.id}/register")
    assert response.status_code == 303
    assert "You are registered" in client.get(f"/workshops/{workshop.id}").text
    fragment = client.post(f"/workshops/{workshop.id}/cancel", headers=HX)
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Register" in fragment.text and "1 of 1 place left" in fragment.text
    fragment = client.post(f"/workshops/{workshop.id}/register", headers=HX)
    assert "You are registered" in fragment.text


def test_a_refused_registration_says_why(client, login, make_user, make_workshop):
    workshop = make_workshop(patron_types=("faculty",))
    login(make_user(patron_type="undergraduate"))
    page = client.get(f"/workshops/{workshop.id}").text
    assert "This workshop is for Faculty only." in page
    response = client.post(f"/workshops/{workshop.id}/register", follow_redirects=True)
    assert "This workshop is for Faculty only." in response.text
    assert db.session.scalar(select(Registration)) is None


def test_the_online_link_and_answers_stay_private(client, login, make_user, make_workshop, staff):
    workshop = make_workshop(online_url="https://meet.example.edu/secret",
                             question="Accessibility needs?")
    patron = make_user(name="Zhang Wei")
    assert "meet.example.edu/secret" not in client.get(f"/workshops/{workshop.id}").text
    login(patron)
    assert "meet.example.edu/secret" not in client.get(f"/workshops/{workshop.id}").text
    client.post(f"/workshops/{workshop.id}/register", data={"answer": "A wheelchair space"})
    page = client.get(f"/workshops/{workshop.id}").text
    assert "meet.example.edu/secret" in page and "A wheelchair space" not in page
    login(staff)
    assert "A wheelchair space" in client.get(f"/workshops/{workshop.id}/attendance").text


def test_staff_take_attendance_by_tapping_names_and_searching(client, login, make_user,
                                                              make_workshop, staff):
    workshop = make_workshop()
    alice, bob = make_user(name="Alice Chen"), make_user(name="Bob Li")
    for patron in (alice, bob):
        services.register(workshop, patron)
    db.session.commit()
    mine = services.seat_of(workshop, alice)[0]
    login(staff)
    found = client.get(f"/workshops/{workshop.id}/attendance?q=alice").text
    assert "Alice Chen" in found and "Bob Li" not in found
    response = client.post(f"/workshops/{workshop.id}/attendance/{mine.id}",
                           data={"attended": "1", "q": "alice"})
    assert response.status_code == 303 and "q=alice" in response.location
    db.session.expire_all()
    assert db.session.get(Registration, mine.id).attended_at is not None
    fragment = client.post(f"/workshops/{workshop.id}/attendance/{mine.id}",
                           data={"attended": "0"}, headers=HX)
    assert fragment.status_code == 200 and 'aria-pressed="false"' in fragment.text
    csv = client.get(f"/workshops/{workshop.id}/attendance.csv")
    assert "Alice Chen" in csv.text and alice.email not in csv.text


def test_a_patron_checks_in_with_the_code(client, login, make_user, make_workshop):
    workshop = make_workshop(starts_in=timedelta(minutes=20))
    patron = make_user()
    services.register(workshop, patron)
    db.session.commit()
    login(patron)
    wrong = client.post(f"/workshops/{workshop.id}/check-in", data={"code": "ZZZZZZ"})
    assert wrong.status_code == 422 and "not this workshop&#39;s code" in wrong.text
    right = client.post(f"/workshops/{workshop.id}/check-in",
                        data={"code": workshop.check_in_code})
    assert right.status_code == 303
    assert "You attended" in client.get(f"/workshops/{workshop.id}").text


def test_minutes_published_after_are_public_and_no_shows_are_not(client, login, make_user,
                                                                make_workshop, staff):
    workshop = make_workshop()
    services.register(workshop, make_user())
    workshop.starts_at -= timedelta(days=8)
    workshop.ends_at -= timedelta(days=8)
    db.session.commit()
    login(staff)
    assert "no-shows" in client.get(f"/workshops/{workshop.id}").text
    response = client.post(f"/workshops/{workshop.id}/minutes",
                           data={"minutes": "We chose **three** zones."})
    assert response.status_code == 303
    client.post("/auth/logout")
    page = client.get(f"/workshops/{workshop.id}").text
    assert "<strong>three</strong>" in page and "no-shows" not in page


def test_staff_move_and_cancel_through_the_form(client, login, make_workshop, make_user, staff):
    workshop = make_workshop()
    login(staff)
    page = client.get(f"/workshops/{workshop.id}/edit")
    assert page.status_code == 200
    short = client.post(f"/workshops/{workshop.id}/call-off", data={"reason": ""})
    assert short.status_code == 422
    done = client.post(f"/workshops/{workshop.id}/call-off", data={"reason": "The room flooded."})
    assert done.status_code == 303
    assert "The room flooded." in client.get(f"/workshops/{workshop.id}").text


def test_the_recognition_page_lists_attended_workshops(client, login, make_user, make_workshop,
                                                       staff):
    workshop = make_workshop(title="Makerspace design sprint", hours=3)
    patron = make_user()
    services.register(workshop, patron)
    services.mark_attendance(services.seat_of(workshop, patron)[0], by=staff, attended=True)
    db.session.commit()
    login(patron)
    page = client.get("/account/recognition").text
    assert "Makerspace design sprint" in page and ">3<" in page

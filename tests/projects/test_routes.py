import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from app.projects import services
from app.projects.models import Outcome, Project
from app.proposals import services as proposals
from app.proposals.models import Status
from tests.proposals.test_routes import statements_for


def test_projects_and_outcomes_pages_render_for_visitors(client, make_project):
    project = make_project()
    assert project.proposal.title in client.get("/projects").text
    page = client.get(f"/projects/{project.id}").text
    assert "Open the east reading room on Sundays." in page and "Sign in to volunteer" in page
    assert client.get("/outcomes").status_code == 200


@pytest.mark.parametrize("query", ["status=nope", "year=abc", "year=99999", "category=x" * 50,
                                   "branch=main&status=completed&year=2026"])
def test_hostile_filters_do_not_fail(client, make_project, query):
    make_project()
    assert client.get(f"/projects?{query}").status_code == 200
    assert client.get(f"/outcomes?{query}").status_code == 200


def test_join_with_htmx_swaps_the_button_and_without_redirects(client, login, make_user,
                                                               make_project):
    project = make_project(places=1)
    login(make_user())
    swapped = client.post(f"/projects/{project.id}/join", headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and "<html" not in swapped.text
    assert "Leave the project" in swapped.text and 'data-free-places="0"' in swapped.text
    client.post("/auth/logout")
    login(make_user())
    response = client.post(f"/projects/{project.id}/join")
    assert response.status_code == 303
    assert "number 1 on the waiting list" in client.get(response.location).text
    client.post(f"/projects/{project.id}/leave")
    assert "Join the waiting list" in client.get(f"/projects/{project.id}").text


def test_volunteer_contact_details_are_for_staff_only(client, login, make_user, make_project):
    project = make_project()
    volunteer = make_user(email="quiet.reader@example.edu")
    services.join(project, volunteer)
    db.session.commit()
    login(make_user())
    assert "quiet.reader@example.edu" not in client.get(f"/projects/{project.id}").text
    client.post("/auth/logout")
    login(make_user(role="staff"))
    assert "quiet.reader@example.edu" in client.get(f"/projects/{project.id}").text


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 200)])
def test_start_and_complete_pages_are_staff_only(client, login, make_user, make_proposal,
                                                 make_project, role, expected):
    accepted = make_proposal(status=Status.ACCEPTED)
    project = make_project()
    login(make_user(role=role))
    assert client.get(f"/proposals/{accepted.id}/project").status_code == expected
    assert client.get(f"/projects/{project.id}/complete").status_code == expected
    assert client.post(f"/projects/{project.id}/updates", data={"body": "News!"}).status_code \
        in ((403,) if role == "patron" else (303,))


def test_staff_start_a_project_from_an_accepted_proposal(client, login, make_user, make_proposal):
    staff = make_user(role="staff")
    proposal = make_proposal(status=Status.ACCEPTED)
    login(staff)
    form = {"goal": "Open the east room on Sundays.", "volunteer_tasks": "Welcome readers.",
            "places": "5", "starts_on": "2026-12-01", "lead_id": str(staff.id),
            "milestones": "Survey | 2026-12-10\nOpen the room"}
    bad = client.post(f"/proposals/{proposal.id}/project", data=form | {"places": "-3"})
    assert bad.status_code == 422 and "Open the east room" in bad.text
    bad_date = client.post(f"/proposals/{proposal.id}/project", data=form | {"milestones": "x | soon"})
    assert bad_date.status_code == 422 and "YYYY-MM-DD" in bad_date.text
    response = client.post(f"/proposals/{proposal.id}/project", data=form)
    assert response.status_code == 303
    project = db.session.query(Project).one()
    assert [m.title for m in project.milestones] == ["Survey", "Open the room"]
    assert db.session.get(type(proposal), proposal.id).status == "in_progress"


def test_complete_with_outcome_then_rate(client, login, make_user, make_project):
    project = make_project()
    supporter = make_user()
    project.proposal.status = Status.OPEN.value
    proposals.support(project.proposal, supporter)
    project.proposal.status = Status.IN_PROGRESS.value
    db.session.commit()
    login(project.lead)
    form = {"summary": "The east room now opens on Sundays.",
            "indicators-0-name": "Quiet seats", "indicators-0-before": "180",
            "indicators-0-after": "300", "indicators-0-unit": "seats"}
    half = client.post(f"/projects/{project.id}/complete",
                       data=form | {"indicators-0-after": ""})
    assert half.status_code == 422 and "both before and after" in half.text
    none = client.post(f"/projects/{project.id}/complete", data={"summary": form["summary"]})
    assert none.status_code == 422 and "at least one measured indicator" in none.text
    assert client.post(f"/projects/{project.id}/complete", data=form).status_code == 303
    client.post("/auth/logout")
    login(supporter)
    assert "Rate the outcome" in client.get("/outcomes").text
    outcome = db.session.query(Outcome).one()
    client.post(f"/outcomes/{outcome.id}/rate", data={"stars": "4", "comment": "Lovely"})
    page = client.get("/outcomes").text
    assert re.search(r'data-rating-count="1"', page) and "Rated 4.0 of 5" in page
    assert "Quiet seats" in page and "180" in page and "300" in page
    assert "Rate the outcome" not in page
    again = client.post(f"/outcomes/{outcome.id}/rate", data={"stars": "1"}, follow_redirects=True)
    assert "already rated" in again.text
    assert db.session.get(Outcome, outcome.id).rating_total == Decimal(4)


def test_outcomes_come_ten_to_a_page_newest_first(client, make_outcome):
    made = [make_outcome(summary=f"Change number {n}.") for n in range(12)]
    for n, outcome in enumerate(made):  # one a day, the last made the newest
        outcome.published_at = datetime(2026, 3, 1) + timedelta(days=n)
    db.session.commit()
    first = client.get("/outcomes").text
    shown = re.findall(r"Change number (\d+)\.", first)
    assert shown == [str(n) for n in range(11, 1, -1)]
    assert 'rel="next" href="/outcomes?page=2"' in first and 'rel="prev"' not in first
    second = client.get("/outcomes?page=2").text
    assert re.findall(r"Change number (\d+)\.", second) == ["1", "0"]
    assert 'rel="prev" href="/outcomes"' in second and 'rel="next"' not in second
    assert '<ol class="outcome-list" start="11">' in second
    filtered = client.get("/outcomes?year=2026&page=2").text
    assert 'rel="prev" href="/outcomes?year=2026"' in filtered
    assert "No completed outcomes match yet." in client.get("/outcomes?page=3").text


def test_projects_come_twenty_to_a_page_under_way_first(client, make_project, make_outcome):
    completed = make_outcome(summary="Done.").project_id
    under_way = [make_project().id for _ in range(20)]
    first = client.get("/projects").text
    assert [int(i) for i in re.findall(r'href="/projects/(\d+)"', first)] == sorted(
        under_way, reverse=True)
    assert 'rel="next" href="/projects?page=2"' in first
    second = client.get("/projects?page=2").text
    assert re.findall(r'href="/projects/(\d+)"', second) == [str(completed)]
    assert client.get("/projects?status=completed&page=2").status_code == 200
    assert 'rel="prev" href="/projects?status=active"' in client.get(
        "/projects?status=active&page=2").text


@pytest.mark.parametrize("signed_in", [False, True])
def test_project_and_outcome_pages_read_a_constant_number_of_statements(
        client, login, make_user, make_outcome, signed_in):
    if signed_in:
        login(make_user())
    make_outcome()
    few = [statements_for(client, url) for url in ("/outcomes", "/projects")]
    for _ in range(9):
        make_outcome()
    assert [statements_for(client, url) for url in ("/outcomes", "/projects")] == few

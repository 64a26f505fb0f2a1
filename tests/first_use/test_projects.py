"""Issue 21, item 8 (the project part built): a project that starts later says so and cannot be
completed before it starts; a completed project says how many took part."""
from datetime import timedelta
from decimal import Decimal

import pytest

from app.domain import Refused
from app.extensions import db
from app.projects import services as projects
from app.proposals.models import Status
from app.timeutil import library_today


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


def started(make_proposal, staff, starts_on, places=3):
    project = projects.start(make_proposal(status=Status.ACCEPTED), by=staff,
                             goal="Open the east reading room on Sundays.",
                             volunteer_tasks="Welcome readers and count seats.", places=places,
                             starts_on=starts_on)
    db.session.commit()
    return project


def test_a_project_starting_later_says_so_and_cannot_be_completed(client, make_proposal, staff):
    later = library_today() + timedelta(days=3)
    project = started(make_proposal, staff, later)
    page = client.get(f"/projects/{project.id}").text
    assert "Starts on" in page and "Under way" not in page.split("<h1>", 1)[1].split("</p>")[0]
    assert "Starts on" in client.get("/projects").text
    with pytest.raises(Refused, match="cannot be completed before it starts"):
        projects.complete(project, by=staff, summary="Done already?",
                          indicators=[("Seats", Decimal(1), Decimal(2), "seats")])
    db.session.rollback()
    assert db.session.get(type(project), project.id).completed_at is None


def test_a_completed_project_says_how_many_took_part(client, make_proposal, make_user, staff):
    project = started(make_proposal, staff, library_today() - timedelta(days=30), places=6)
    for _n in range(2):
        projects.join(project, make_user())
    projects.complete(project, by=staff, summary="The room is open on Sundays.",
                      indicators=[("Sunday seats", Decimal(0), Decimal(120), "seats")])
    db.session.commit()
    page = client.get(f"/projects/{project.id}").text
    assert "2 volunteers took part" in page and "places taken" not in page
    assert "Completed" in page


def test_the_list_filters_projects_with_free_places(client, make_proposal, make_user, staff):
    today = library_today()
    full = started(make_proposal, staff, today, places=1)
    projects.join(full, make_user())
    free = started(make_proposal, staff, today, places=2)
    db.session.commit()
    page = client.get("/projects?status=places").text
    assert f'href="/projects/{free.id}"' in page and f'href="/projects/{full.id}"' not in page
    assert '<option value="places" selected>Has free places</option>' in page


def test_done_and_pending_milestones_look_and_read_differently(client, make_project, staff):
    project = make_project()
    milestone = project.milestones[0]
    projects.complete_milestone(milestone, by=staff, done_on=library_today())
    db.session.commit()
    page = client.get(f"/projects/{project.id}").text
    assert 'class="milestone is-done"' in page and "(done)" in page

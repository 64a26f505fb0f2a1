from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.extensions import db
from app.projects import services as projects
from app.projects.models import Outcome
from app.proposals.models import Status
from tests.api.test_proposals import get_json, walk
from tests.proposals.test_routes import statements_for


def test_outcomes_show_what_changed_with_evidence_and_ratings(client, world):
    items = get_json(client, "/api/v1/outcomes")["items"]
    assert [o["id"] for o in items] == [world["outcome"].id]  # not the flagged proposal's
    outcome = items[0]
    assert outcome["proposal"]["title"] == "Silent zone on the third floor"
    assert outcome["indicators"] == [{"name": "Quiet seats", "before": 180, "after": 300,
                                      "unit": "seats"}]
    assert outcome["evidence"] == ["https://library.example.edu/report"]
    assert outcome["rating"] == {"average": None, "count": 0}
    assert outcome["published_at"].endswith("Z") and outcome["supporters"] == 0


def test_outcomes_filter_by_category_branch_and_year(client, make_outcome, places):
    categories, branches = places
    first = make_outcome(category_id=categories[1].id, branch_id=branches[1].id,
                         indicators=[("Opening hours", Decimal("8.5"), Decimal("12"), "h")])
    second = make_outcome()
    db.session.execute(update(Outcome).where(Outcome.id == second.id)
                       .values(published_at=datetime(2025, 6, 1)))
    db.session.commit()

    def ids(query):
        return [o["id"] for o in get_json(client, f"/api/v1/outcomes?{query}")["items"]]

    assert ids(f"category={categories[1].slug}") == [first.id]
    assert ids(f"branch={branches[1].slug}") == [first.id]
    assert ids("year=2025") == [second.id]
    assert ids("year=2024") == []
    assert get_json(client, f"/api/v1/outcomes?category={categories[1].slug}")["items"][0][
        "indicators"][0]["before"] == 8.5


def test_outcomes_page_with_next_links(client, make_outcome):
    made = [make_outcome() for _ in range(3)]
    items, sizes = walk(client, "/api/v1/outcomes?limit=2")
    assert sizes == [2, 1] and sorted(o["id"] for o in items) == sorted(o.id for o in made)


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "year=20255", "limit=abc",
                                   "category=nowhere"])
def test_outcome_filters_refuse_nonsense(client, query):
    assert get_json(client, f"/api/v1/outcomes?{query}", status=400)["parameter"] in query


def test_projects_filter_by_status_and_place(client, world, make_proposal, staff, places):
    categories, _branches = places
    active = projects.start(make_proposal(status=Status.ACCEPTED, category_id=categories[1].id),
                            by=staff, goal="Lend laptops.", volunteer_tasks="Hand them out.",
                            places=2, starts_on=date(2027, 1, 10))
    db.session.commit()

    def ids(query=""):
        return [p["id"] for p in get_json(client, f"/api/v1/projects?{query}")["items"]]

    completed = world["outcome"].project_id
    assert ids() == [active.id, completed]  # the flagged proposal's project is not there
    assert ids("status=active") == [active.id]
    assert ids("status=completed") == [completed]
    assert ids(f"category={categories[1].slug}") == [active.id]
    project = get_json(client, "/api/v1/projects?status=active")["items"][0]
    assert project["places"] == 2 and project["free_places"] == 2 and project["status"] == "active"
    assert project["starts_on"] == "2027-01-10" and project["outcome_id"] is None
    assert get_json(client, "/api/v1/projects?status=done", status=400)["parameter"] == "status"


def test_projects_page_with_next_links(client, world, make_outcome):
    for _ in range(2):
        make_outcome()
    items, sizes = walk(client, "/api/v1/projects?limit=2")
    assert sizes == [2, 1] and len({p["id"] for p in items}) == 3


def test_listings_read_a_constant_number_of_statements(client, make_outcome):
    make_outcome()
    urls = ["/api/v1/proposals?limit=100", "/api/v1/outcomes?limit=100",
            "/api/v1/projects?limit=100"]
    few = [statements_for(client, url) for url in urls]
    for _ in range(6):
        make_outcome()
    assert [statements_for(client, url) for url in urls] == few

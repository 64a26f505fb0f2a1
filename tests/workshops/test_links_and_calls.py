"""A workshop's call, and what came out of it (WorkshopLink): staff link new proposals, a
project milestone or an outcome indicator after the session; the pages on both sides show it."""
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from app.audit import AuditEntry
from app.domain import Refused
from app.extensions import db
from app.proposals.models import Status
from app.timeutil import utcnow
from app.workshops import policies, services
from app.workshops.models import WorkshopLink
from tests.conftest import count
from tests.policy_people import allowed, person
from tests.workshops.test_routes import branch_id, form_for  # noqa: F401 - a fixture


@pytest.fixture
def held(make_workshop):
    """A workshop that took place yesterday."""
    workshop = make_workshop(title="Walk-through of the quiet floor")
    workshop.starts_at = utcnow() - timedelta(days=1)
    workshop.ends_at = workshop.starts_at + timedelta(hours=2)
    workshop.opens_at, workshop.closes_at = workshop.starts_at - timedelta(days=5), \
        workshop.starts_at
    db.session.commit()
    return workshop


# --- Calls -----------------------------------------------------------------------------------

def test_staff_schedule_a_workshop_for_a_call_and_the_call_lists_it(client, login, staff,
                                                                   branch_id, make_call):  # noqa: F811
    call = make_call(title_en="Ideas for the new learning commons")
    login(staff)
    form = client.get(f"/workshops/new?call={call.id}").text
    assert f'<option selected value="{call.id}">' in form or \
        f'<option value="{call.id}" selected>' in form
    response = client.post("/workshops/new", data=form_for(branch_id, call_id=str(call.id)))
    assert response.status_code == 303
    page = client.get(f"/calls/{call.id}").text
    assert "Workshops in this call" in page and "Focus group on catalogue search" in page
    detail = client.get(response.location).text
    assert "Ideas for the new learning commons" in detail


def test_a_workshop_belongs_to_a_call_or_a_project_not_both(client, login, staff, branch_id,  # noqa: F811
                                                            make_call, make_project):
    call, project = make_call(), make_project()
    login(staff)
    response = client.post("/workshops/new", data=form_for(
        branch_id, call_id=str(call.id), project_id=str(project.id)))
    assert response.status_code == 422
    assert "a call or to a project, not to both" in response.text
    assert "Focus group on catalogue search" in response.text


def test_the_list_and_the_api_filter_by_call(client, make_workshop, make_call):
    call = make_call()
    in_call = make_workshop(title="Sprint for the learning commons")
    in_call.call_id = call.id
    make_workshop(title="Unrelated walk-through")
    db.session.commit()
    listed = client.get(f"/workshops?call={call.id}").text
    assert "Sprint for the learning commons" in listed and "Unrelated walk-through" not in listed
    assert "Unrelated walk-through" in client.get("/workshops").text
    items = client.get(f"/api/v1/workshops?call={call.id}").get_json()["items"]
    assert [item["title"] for item in items] == ["Sprint for the learning commons"]
    assert items[0]["call"]["id"] == call.id and items[0]["call"]["url"].endswith(
        f"/calls/{call.id}")
    every = client.get("/api/v1/workshops").get_json()["items"]
    assert {item["title"]: item["call"] for item in every}["Unrelated walk-through"] is None
    assert client.get("/api/v1/workshops?call=abc").status_code == 400


def test_a_workshop_with_a_call_matches_the_openapi_schema(client, make_workshop, make_call):
    workshop = make_workshop()
    workshop.call_id = make_call().id
    db.session.commit()
    document = client.get("/api/v1/openapi.json").get_json()
    schema = {"$ref": "#/components/schemas/WorkshopPage", "components": document["components"]}
    body = client.get("/api/v1/workshops").get_json()
    assert body["items"][0]["call"]["title_zh"] == "新学习共享空间征集"
    assert not list(Draft202012Validator(schema).iter_errors(body))


# --- What came out of it ------------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", allowed("staff admin"))
def test_only_staff_link_what_came_out(role, expected):
    assert policies.can_link_outcomes(person(role)) is expected


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 200), ("admin", 200)])
def test_only_staff_open_the_links_page_and_post_to_it(client, login, make_user, held,
                                                       make_proposal, role, expected):
    proposal = make_proposal(title="Clearer signs at the lift")
    login(make_user(role=role))
    assert client.get(f"/workshops/{held.id}/links").status_code == expected
    response = client.post(f"/workshops/{held.id}/links", data={"proposal": str(proposal.id)})
    assert response.status_code == (303 if expected == 200 else 403)
    assert count(WorkshopLink) == (1 if expected == 200 else 0)


def test_visitors_are_sent_to_sign_in_to_link(client, held):
    assert client.get(f"/workshops/{held.id}/links").status_code == 302
    assert client.post(f"/workshops/{held.id}/links", data={"proposal": "1"}).status_code == 302
    assert count(WorkshopLink) == 0


def test_staff_link_a_proposal_a_milestone_and_an_indicator_and_both_pages_show_it(
        client, login, staff, held, make_proposal, make_project, make_outcome):
    proposal = make_proposal(title="Clearer signs at the lift")
    project = make_project()
    outcome = make_outcome()
    milestone, indicator = project.milestones[0], outcome.indicators[0]
    login(staff)
    page = client.get(f"/workshops/{held.id}/links").text
    assert "Survey seats" in page and "Quiet seats" in page
    response = client.post(f"/workshops/{held.id}/links", data={
        "proposal": "Clearer signs at the LIFT", "milestone_id": str(milestone.id),
        "indicator_id": str(indicator.id)})
    assert response.status_code == 303
    assert count(WorkshopLink) == 3
    assert count(AuditEntry) >= 3
    client.post("/auth/logout")
    detail = client.get(f"/workshops/{held.id}").text
    assert "What came out of it" in detail
    for shown in ("Clearer signs at the lift", "Survey seats", "Quiet seats"):
        assert shown in detail
    came_out = "Came out of workshop"
    assert came_out in client.get(f"/proposals/{proposal.id}").text
    assert "Walk-through of the quiet floor" in client.get(f"/proposals/{proposal.id}").text
    assert came_out in client.get(f"/projects/{project.id}").text
    assert came_out in client.get(f"/projects/{outcome.project_id}").text
    assert came_out not in client.get(f"/projects/{make_project().id}").text


def test_a_proposal_is_found_by_its_number_with_a_hash(held, staff, make_proposal):
    proposal = make_proposal()
    assert services.find_proposal(f"#{proposal.id}") == proposal
    assert services.find_proposal(" 99999 ") is None
    waiting = make_proposal(status=Status.SUBMITTED, title="Awaiting moderation")
    assert services.find_proposal(str(waiting.id)) is None
    assert services.find_proposal("awaiting moderation") is None


def test_a_bad_link_comes_back_with_the_reason_and_writes_nothing(client, login, staff, held,
                                                                  make_proposal):
    proposal = make_proposal()
    login(staff)
    response = client.post(f"/workshops/{held.id}/links", data={"proposal": "No such title"})
    assert response.status_code == 422
    assert "No published proposal has that number or title" in response.text
    assert 'value="No such title"' in response.text
    assert client.post(f"/workshops/{held.id}/links", data={}).status_code == 422
    client.post(f"/workshops/{held.id}/links", data={"proposal": str(proposal.id)})
    again = client.post(f"/workshops/{held.id}/links", data={"proposal": str(proposal.id)})
    assert again.status_code == 422 and "linked to this workshop already" in again.text
    assert count(WorkshopLink) == 1


def test_nothing_is_linked_before_the_session(make_workshop, staff, make_proposal):
    upcoming = make_workshop()
    with pytest.raises(Refused, match="after it has taken place"):
        services.link(upcoming, by=staff, proposal=make_proposal())
    assert count(WorkshopLink) == 0


def test_staff_remove_a_link_and_the_proposal_page_forgets_the_workshop(
        client, login, staff, make_user, held, make_proposal):
    proposal = make_proposal()
    made = services.link(held, by=staff, proposal=proposal)
    db.session.commit()
    login(make_user())
    assert client.post(f"/workshops/{held.id}/links/{made.id}/remove").status_code == 403
    client.post("/auth/logout")
    login(staff)
    response = client.post(f"/workshops/{held.id}/links/{made.id}/remove")
    assert response.status_code == 303
    assert db.session.scalar(select(WorkshopLink)) is None
    assert "Came out of workshop" not in client.get(f"/proposals/{proposal.id}").text


def test_a_hidden_proposal_is_not_listed_on_the_workshop_page(client, staff, held,
                                                              make_proposal):
    proposal = make_proposal(title="Signs in two languages at the lift")
    services.link(held, by=staff, proposal=proposal)
    proposal.hidden_at = utcnow()
    db.session.commit()
    assert "Signs in two languages at the lift" not in client.get(f"/workshops/{held.id}").text


def test_a_cancelled_workshop_takes_no_links(client, login, staff, held, make_proposal):
    proposal = make_proposal()
    services.cancel_workshop(held, by=staff, reason="The room flooded.")
    db.session.commit()
    login(staff)
    response = client.post(f"/workshops/{held.id}/links", data={"proposal": str(proposal.id)})
    assert response.status_code == 303
    assert "This workshop is cancelled." in client.get(response.location).text
    assert count(WorkshopLink) == 0


def test_staff_move_a_workshop_into_a_call_and_out_again(client, login, staff, branch_id,  # noqa: F811
                                                        make_workshop, make_call):
    workshop, call = make_workshop(), make_call()
    login(staff)
    assert "Call for ideas (optional)" in client.get(f"/workshops/{workshop.id}/edit").text
    values = form_for(branch_id, title=workshop.title, call_id=str(call.id))
    assert client.post(f"/workshops/{workshop.id}/edit", data=values).status_code == 303
    db.session.refresh(workshop)
    assert workshop.call_id == call.id
    assert client.post(f"/workshops/{workshop.id}/edit",
                       data=values | {"call_id": ""}).status_code == 303
    db.session.refresh(workshop)
    assert workshop.call_id is None
    assert workshop.title not in client.get(f"/calls/{call.id}").text

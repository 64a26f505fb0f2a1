"""Calls for ideas in the API: their phase worked out when asked, the summary only from the
results phase on, and proposals filtered by the call they were made in."""
from sqlalchemy import select

from app.extensions import db
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category
from tests.api.test_proposals import get_json, walk
from tests.calls.moments import COLLECTING, RESULTS, REVIEWING, phases


def _idea(title: str) -> dict:
    return {"title": title, "problem": "Groups meet in the stairwell, nowhere to talk.",
            "suggestion": "Build four bookable group rooms with whiteboards.",
            "category_id": db.session.scalar(select(Category.id).order_by(Category.id)),
            "branch_id": db.session.scalar(select(Branch.id).order_by(Branch.id))}


def test_a_call_and_its_phase(client, make_call, clock):
    call = make_call(summary_en="Floors 4 and 5 become silent.")
    clock(REVIEWING)
    body = get_json(client, f"/api/v1/calls/{call.id}")
    assert body["phase"] == "reviewing" and body["summary_en"] is None
    assert body["phases"]["collecting"]["starts_at"] == "2026-03-02T01:00:00Z"  # 09:00 Shanghai
    clock(RESULTS)
    body = get_json(client, f"/api/v1/calls/{call.id}")
    assert body["phase"] == "results" and body["summary_en"] == "Floors 4 and 5 become silent."
    assert get_json(client, "/api/v1/calls/999999", 404)["status"] == 404


def test_calls_are_listed_the_latest_to_open_first(client, make_call):
    first = make_call(title_en="First")
    later = phases()
    later = {name: moment.replace(year=2027) for name, moment in later.items()}
    second = make_call(title_en="Second", **later)
    items, sizes = walk(client, "/api/v1/calls?limit=1")
    assert [item["id"] for item in items] == [second.id, first.id] and sizes == [1, 1]


def test_proposals_filtered_by_their_call(client, make_call, make_user, staff, clock):
    call, other = make_call(), make_call(title_en="Other")
    clock(COLLECTING)
    inside = proposals.create(author=make_user(), call=call, **_idea("Inside the call"))
    lifecycle.transition(inside, lifecycle.Action.PUBLISH, by=staff)
    proposals.create(author=staff, **_idea("Outside any call"))
    db.session.commit()
    listed = get_json(client, f"/api/v1/proposals?call={call.id}")["items"]
    assert [(p["title"], p["call_id"]) for p in listed] == [("Inside the call", call.id)]
    assert get_json(client, f"/api/v1/proposals?call={other.id}")["items"] == []
    assert get_json(client, "/api/v1/proposals?call=abc", 400)["parameter"] == "call"
    assert get_json(client, f"/api/v1/calls/{call.id}")["proposal_count"] == 1


def test_call_responses_match_the_documented_schemas(client, make_call, clock):
    from tests.api.test_openapi import validator

    document = get_json(client, "/api/v1/openapi.json")
    call = make_call(summary_en="Done.")
    for moment in (REVIEWING, RESULTS):
        clock(moment)
        for url, schema in ((f"/api/v1/calls/{call.id}", "Call"), ("/api/v1/calls", "CallPage"),
                            (f"/api/v1/proposals?call={call.id}", "ProposalPage")):
            errors = [e.message for e in validator(document, schema).iter_errors(
                get_json(client, url))]
            assert not errors, (url, errors)

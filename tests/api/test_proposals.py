from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import update

from app.extensions import db
from app.proposals import services as proposals
from app.proposals.models import Proposal, Status
from app.proposals.queries import SORTS
from app.timeutil import utcnow
from tests.api.conftest import publish_through_changes


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.mimetype == "application/json"
    return response.get_json()


def walk(client, url):
    """Every item of a listing, following `next` to the end; and the pages' sizes."""
    items, sizes = [], []
    while url:
        page = get_json(client, url)
        items += page["items"]
        sizes.append(len(page["items"]))
        url = page["next"]
    return items, sizes


def test_pages_follow_absolute_next_links_to_the_end(app, client, make_proposal):
    made = [make_proposal(title=f"Idea {n}") for n in range(5)]
    first = get_json(client, "/api/v1/proposals?limit=2&sort=newest")
    assert first["next"].startswith(f"{app.config['PUBLIC_URL']}/api/v1/proposals?")
    assert parse_qs(urlsplit(first["next"]).query)["sort"] == ["newest"]
    items, sizes = walk(client, "/api/v1/proposals?limit=2&sort=newest")
    assert sizes == [2, 2, 1]
    assert [item["id"] for item in items] == [p.id for p in reversed(made)]


@pytest.mark.parametrize("sort", ["trending", "supported", "newest", "active"])
def test_every_sort_pages_without_repeats_or_gaps(client, make_user, make_proposal, sort):
    made = [make_proposal() for _ in range(7)]
    for proposal in made[::2]:  # ties and differences in every sort key
        proposals.support(proposal, make_user())
    # pages are chosen status by status: spread them over several public statuses
    for proposal, status in zip(made, [Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED], strict=False):
        proposal.status = status.value
    db.session.commit()
    items, _sizes = walk(client, f"/api/v1/proposals?limit=3&sort={sort}")
    everything = get_json(client, f"/api/v1/proposals?limit=100&sort={sort}")["items"]
    assert [i["id"] for i in items] == [i["id"] for i in everything]
    key = SORTS[sort][1].element.key
    assert [i["id"] for i in items] == [p.id for p in sorted(
        made, key=lambda p: (getattr(p, key), p.id), reverse=True)]


def test_a_new_proposal_does_not_shift_the_next_page(client, make_proposal):
    older = [make_proposal() for _ in range(4)]
    first = get_json(client, "/api/v1/proposals?limit=2&sort=newest")
    make_proposal()  # arrives at the top while the client reads page two
    second = get_json(client, first["next"])
    assert [i["id"] for i in second["items"]] == [older[1].id, older[0].id]


def test_filters_match_the_page(client, world, make_proposal):
    categories, branches = world["categories"], world["branches"]
    by_category = get_json(client, f"/api/v1/proposals?category={categories[1].slug}")["items"]
    assert [i["id"] for i in by_category] == [world["anonymous"].id]
    by_branch = get_json(client, f"/api/v1/proposals?branch={branches[1].slug}")["items"]
    assert [i["id"] for i in by_branch] == [world["anonymous"].id]
    completed = get_json(client, "/api/v1/proposals?status=completed")["items"]
    assert [i["id"] for i in completed] == [world["outcome"].proposal_id]
    assert [i["id"] for i in get_json(client, "/api/v1/proposals?q=座位")["items"]] == [
        world["anonymous"].id]
    assert [i["id"] for i in get_json(client, "/api/v1/proposals?q=opening%20weekends")[
        "items"]] == [world["open"].id]


def test_one_proposal_with_public_timeline_responses_and_counts(client, make_user,
                                                                make_proposal, staff):
    proposal = make_proposal(status=Status.SUBMITTED)
    publish_through_changes(proposal, staff, "Please remove the phone number 555-0199.",
                            "Published after a small edit.")
    proposals.add_comment(proposal, author=staff, body="**Yes**, we will look at it.",
                          official=True)
    hidden = proposals.add_comment(proposal, author=staff, body="Withdrawn answer",
                                   official=True)
    hidden.hidden_at = utcnow()
    proposals.add_comment(proposal, author=make_user(), body="Me too")
    proposals.support(proposal, make_user())
    db.session.commit()

    body = get_json(client, f"/api/v1/proposals/{proposal.id}")
    assert body["support_count"] == 1 and body["comment_count"] == 3
    assert [(e["from"], e["to"], e["by"]) for e in body["timeline"]] == [
        (None, "submitted", "author"), ("submitted", "open", "library")]
    assert body["timeline"][1]["note"] == "Published after a small edit."
    assert [r["body"] for r in body["official_responses"]] == ["**Yes**, we will look at it."]
    raw = client.get(f"/api/v1/proposals/{proposal.id}").data
    assert b"555-0199" not in raw and b"Withdrawn answer" not in raw and b"Me too" not in raw
    assert body["url"] == f"{client.application.config['PUBLIC_URL']}/proposals/{proposal.id}"


def test_detail_names_the_project_of_a_proposal(client, world):
    outcome = world["outcome"]
    body = get_json(client, f"/api/v1/proposals/{outcome.proposal_id}")
    assert body["project_id"] == outcome.project_id and body["status"] == "completed"


@pytest.mark.parametrize("query, parameter", [
    ("limit=abc", "limit"), ("limit=0", "limit"), ("limit=101", "limit"), ("limit=-1", "limit"),
    ("limit=²", "limit"), ("sort=best", "sort"), ("status=rejected", "status"),
    ("status=submitted", "status"), ("category=no-such-place", "category"),
    ("branch=nowhere", "branch"), ("cursor=not-a-cursor", "cursor"), ("cursor=" + "A" * 500,
                                                                       "cursor"),
    ("q=%00", "q"), ("category=%00", "category"), ("q=" + "x" * 201, "q"),
    ("sort=", "sort"), ("status=", "status"), ("limit=", "limit"), ("sort=%20newest", "sort"),
    ("q=%0Aseats", "q"), ("branch=main%0A", "branch"), ("cursor=%C2%85", "cursor"),
    ("category=" + "x" * 41, "category"),
])
def test_bad_parameters_are_a_json_400(client, query, parameter):
    body = get_json(client, f"/api/v1/proposals?{query}", status=400)
    assert body["status"] == 400 and body["parameter"] == parameter and body["message"]


@pytest.mark.parametrize("value", [
    '{"o":"trending","k":[1]}', '{"o":"trending","k":["x",1]}', '{"o":"trending","k":[1e999,1]}',
    '{"o":"trending","k":[1.5,99999999999999]}', '{"o":"trending","k":[1.5,true]}', "[]",
    '{"o":"newest","k":["2026-01-01T00:00:00+08:00",1]}', '{"k":[1,1]}', "null",
])
def test_forged_cursors_are_refused_not_crashed(client, value):
    import base64

    token = base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")
    sort = "newest" if "newest" in value else "trending"
    body = get_json(client, f"/api/v1/proposals?sort={sort}&cursor={token}", status=400)
    assert body["parameter"] == "cursor"


def test_a_cursor_of_another_sort_is_refused(client, make_proposal):
    for _ in range(3):
        make_proposal()
    following = get_json(client, "/api/v1/proposals?limit=1&sort=newest")["next"]
    cursor = parse_qs(urlsplit(following).query)["cursor"][0]
    body = get_json(client, f"/api/v1/proposals?sort=supported&cursor={cursor}", status=400)
    assert "sort" in body["message"]


@pytest.mark.parametrize("url, status", [
    ("/api/v1/proposals/999999", 404), ("/api/v1/proposals/abc", 404),
    ("/api/v1/proposals/99999999999999", 404), ("/api/v1/nothing-here", 404),
])
def test_unknown_addresses_are_a_json_404(client, url, status):
    assert get_json(client, url, status=status)["status"] == status


def test_writing_methods_are_a_json_405(client, make_proposal):
    proposal = make_proposal()
    for url in ("/api/v1/proposals", f"/api/v1/proposals/{proposal.id}"):
        response = client.post(url, data={"title": "x"})
        assert response.status_code == 405 and response.get_json()["status"] == 405
        assert response.headers["Allow"] == "GET, HEAD"
    assert client.delete("/api/v1/nothing").status_code == 404


def test_an_unexpected_failure_is_a_json_500(client, monkeypatch):
    from app.api import routes

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(routes, "page", broken)
    body = get_json(client, "/api/v1/proposals", status=500)
    assert body["status"] == 500 and "database" not in body["message"]


def test_the_api_sets_no_cookie(client, make_proposal):
    proposal = make_proposal()
    for url in ("/api/v1/proposals", f"/api/v1/proposals/{proposal.id}", "/api/v1/nothing"):
        assert "Set-Cookie" not in client.get(url).headers


def test_overdue_and_promise_dates_are_shown(client, make_proposal):
    proposal = make_proposal(status=Status.UNDER_REVIEW)
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id)
                       .values(response_due_at=utcnow() - timedelta(days=1)))
    db.session.commit()
    body = get_json(client, f"/api/v1/proposals/{proposal.id}")
    assert body["overdue"] is True and body["response_due_at"].endswith("Z")

"""Conditional GET: ETag and If-None-Match, Last-Modified and If-Modified-Since, 304."""
from datetime import timedelta

import pytest
from sqlalchemy import update
from werkzeug.http import http_date, parse_date

from app.extensions import db
from app.projects import services as projects
from app.proposals import services as proposals
from app.proposals.models import Proposal, Support
from app.timeutil import utcnow


@pytest.fixture
def urls(world):
    return ["/api/v1/proposals", f"/api/v1/proposals/{world['open'].id}", "/api/v1/outcomes",
            "/api/v1/projects", "/feeds/outcomes.atom",
            f"/feeds/categories/{world['categories'][0].slug}.atom"]


def test_responses_carry_validators_and_may_be_cached_for_a_minute(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["ETag"].startswith('"'), url
        assert parse_date(response.headers["Last-Modified"]) is not None, url
        assert response.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")


def test_a_matching_etag_gets_304_without_a_body(client, urls):
    for url in urls:
        etag = client.get(url).headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"", url
        assert again.headers["ETag"] == etag
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_etag_changes_with_the_body(client, world, make_user):
    url = f"/api/v1/proposals/{world['open'].id}"
    etag = client.get(url).headers["ETag"]
    proposals.support(world["open"], make_user())  # changes the count, nothing else
    db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["support_count"] == 1
    listing = client.get("/api/v1/proposals")
    assert client.get("/api/v1/proposals",
                      headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304


def test_if_modified_since_gets_304_until_something_changes(client, world):
    for url in ("/api/v1/proposals", f"/api/v1/proposals/{world['open'].id}"):
        last_modified = client.get(url).headers["Last-Modified"]
        assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304
        earlier = http_date(parse_date(last_modified) - timedelta(seconds=5))
        assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200

    last_modified = client.get("/api/v1/proposals").headers["Last-Modified"]
    db.session.execute(update(Proposal).where(Proposal.id == world["open"].id)
                       .values(last_activity_at=utcnow() + timedelta(seconds=5)))
    db.session.commit()
    later = client.get("/api/v1/proposals", headers={"If-Modified-Since": last_modified})
    assert later.status_code == 200
    assert parse_date(later.headers["Last-Modified"]) > parse_date(last_modified)


def test_last_modified_is_the_newest_change_shown(client, world):
    body = client.get(f"/api/v1/proposals/{world['open'].id}")
    newest = max(world["open"].last_activity_at, world["open"].updated_at)
    assert parse_date(body.headers["Last-Modified"]).replace(tzinfo=None) == newest.replace(
        microsecond=0)


def test_a_newly_rated_outcome_is_modified(client, world, make_user):
    url = "/api/v1/outcomes"
    first = client.get(url)
    outcome = world["outcome"]
    supporter = make_user()  # supported before completion, so may rate
    db.session.add(Support(user_id=supporter.id, proposal_id=outcome.proposal_id))
    db.session.commit()
    projects.rate(outcome, by=supporter, stars=4)
    db.session.commit()
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert again.get_json()["items"][0]["rating"] == {"average": 4.0, "count": 1}


def test_errors_are_never_cached(client):
    assert client.get("/api/v1/proposals?limit=abc").headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/proposals/424242").headers["Cache-Control"] == "no-store"

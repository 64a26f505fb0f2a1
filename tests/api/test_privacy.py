"""Nothing private leaves through the API, the feeds or the exports: no e-mail address, no name
of an author who hid it, no unpublished or hidden item. Checked on the raw bytes."""
import pytest

from tests.api.conftest import SECRET_NAME, every_email
from tests.api.test_proposals import get_json, walk

PUBLIC_URLS = ["/api/v1/proposals?limit=100", "/api/v1/outcomes", "/api/v1/projects",
               "/api/v1/openapi.json", "/feeds/outcomes.atom"]


def public_bodies(client, world) -> dict[str, bytes]:
    urls = PUBLIC_URLS + [f"/feeds/categories/{c.slug}.atom" for c in world["categories"]]
    urls += [f"/api/v1/proposals/{p}" for p in (world["open"].id, world["anonymous"].id,
                                                 world["outcome"].proposal_id)]
    for sort in ("trending", "supported", "newest", "active"):
        urls.append(f"/api/v1/proposals?sort={sort}")
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.data
    return bodies


def test_no_email_address_in_any_public_body(client, world):
    emails = every_email()
    assert len(emails) >= 3
    for url, body in public_bodies(client, world).items():
        assert b"@example.edu" not in body, url
        assert not [email for email in emails if email in body], url


def test_an_author_who_hides_the_name_is_only_a_patron_type(client, world):
    name = SECRET_NAME.encode()
    for url, body in public_bodies(client, world).items():
        assert name not in body, url
        assert b"\"author_id\"" not in body and b"\"user_id\"" not in body
    author = get_json(client, f"/api/v1/proposals/{world['anonymous'].id}")["author"]
    assert author == {"display": "a postgraduate", "anonymous": True,
                      "patron_type": "postgraduate"}
    named = get_json(client, f"/api/v1/proposals/{world['open'].id}")["author"]
    assert named == {"display": "Ada Reader", "anonymous": False, "patron_type": None}


def test_the_anonymous_label_does_not_follow_the_browser_language(client, world):
    response = client.get(f"/api/v1/proposals/{world['anonymous'].id}",
                          headers={"Accept-Language": "zh-CN"})
    assert response.get_json()["author"]["display"] == "a postgraduate"


def test_unpublished_and_hidden_proposals_are_absent_and_404(client, world):
    listed, _sizes = walk(client, "/api/v1/proposals?limit=2")
    ids = {item["id"] for item in listed}
    assert ids == {world["open"].id, world["anonymous"].id, world["outcome"].proposal_id}
    secret = [world["hidden"], world["hidden_outcome"].proposal, *world["private"].values()]
    for proposal in secret:
        assert get_json(client, f"/api/v1/proposals/{proposal.id}", status=404)["status"] == 404
    for url, body in public_bodies(client, world).items():
        for proposal in secret:
            assert proposal.title.encode() not in body, (url, proposal.title)


@pytest.mark.parametrize("status", ["submitted", "rejected", "changes_requested", "withdrawn"])
def test_private_statuses_cannot_be_asked_for(client, status):
    assert get_json(client, f"/api/v1/proposals?status={status}", status=400)["parameter"] == \
        "status"

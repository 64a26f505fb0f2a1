"""Absolute addresses in the API, the Atom feeds and the OpenAPI document begin with PUBLIC_URL,
never with the request's Host header: the client chooses that header, and these answers are
kept by shared caches (Cache-Control: public) for whoever asks next."""
import json
import xml.etree.ElementTree as ET

import pytest

from app.links import public_url

PUBLIC = "https://commons.library.example"
FORGED = {"Host": "evil.example"}
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def public(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC + "/")  # a trailing slash or not
    return PUBLIC


def addresses(value) -> list[str]:
    """Every address of the site in a JSON document (the `evidence` of an outcome links
    elsewhere)."""
    if isinstance(value, dict):
        return [a for name, item in value.items() if name != "evidence" for a in addresses(item)]
    if isinstance(value, list):
        return [a for item in value for a in addresses(item)]
    return [value] if isinstance(value, str) and "://" in value else []


def forged(client, url: str):
    response = client.get(url, headers=FORGED)
    assert response.status_code == 200, response.text
    assert b"evil.example" not in response.data
    return response


@pytest.mark.parametrize("url", ["/api/v1/proposals?limit=1", "/api/v1/outcomes?limit=1",
                                 "/api/v1/projects?limit=1", "/api/v1/openapi.json"])
def test_api_addresses_come_from_public_url_whatever_the_host_header(
        client, world, public, make_outcome, url):
    make_outcome()  # two of everything: a `next` page
    body = json.loads(forged(client, url).data)
    found = addresses(body)
    assert found and all(f"{address}/".startswith(f"{public}/") for address in found)
    if "items" in body:
        assert body["next"].startswith(f"{public}{url.split('?')[0]}?")
        assert body["items"][0]["url"].startswith(f"{public}/")
    else:
        assert body["servers"] == [{"url": public}]


def test_a_proposals_own_addresses_come_from_public_url(client, world, public):
    proposal = world["open"]
    body = json.loads(forged(client, f"/api/v1/proposals/{proposal.id}").data)
    assert body["url"] == f"{public}/proposals/{proposal.id}"
    assert body["api_url"] == f"{public}/api/v1/proposals/{proposal.id}"


def test_feed_addresses_come_from_public_url_whatever_the_host_header(client, world, public):
    for url in ("/feeds/outcomes.atom", f"/feeds/categories/{world['categories'][0].slug}.atom"):
        feed = ET.fromstring(forged(client, url).data)
        links = [link.get("href") for link in feed.iter(f"{A}link")]
        ids = [element.text for element in feed.iter(f"{A}id")]
        assert len(links) > 2 and f"{public}{url}" in links
        assert all(address.startswith(f"{public}/") for address in links + ids)


def test_a_public_url_with_a_path_keeps_it(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://library.example.edu/commons")
    assert public_url("proposals.detail", proposal_id=7) == (
        "https://library.example.edu/commons/proposals/7")
    assert public_url("api.proposals", sort="newest", cursor="abc") == (
        "https://library.example.edu/commons/api/v1/proposals?sort=newest&cursor=abc")

"""Atom feeds: well-formed Atom 1.0, escaped, public only, discoverable from the pages."""
import xml.etree.ElementTree as ET

from app.extensions import db
from tests.api.conftest import SECRET_NAME

A = "{http://www.w3.org/2005/Atom}"


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/atom+xml"
    assert response.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{A}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{A}{required}").text, required
    assert feed.find(f"{A}author/{A}name").text  # so every entry has an author
    public = client.application.config["PUBLIC_URL"]
    assert feed.find(f"{A}link[@rel='self']").get("href") == f"{public}{url}"
    for entry in feed.findall(f"{A}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{A}{required}").text, required
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith(f"{public}/")
        assert entry.find(f"{A}updated").text.endswith("Z")
    return feed


def titles(feed):
    return [entry.find(f"{A}title").text for entry in feed.findall(f"{A}entry")]


def test_outcomes_feed_lists_public_outcomes_with_their_numbers(client, world):
    feed = atom(client, "/feeds/outcomes.atom")
    assert titles(feed) == ["Silent zone on the third floor"]
    content = feed.find(f"{A}entry/{A}content")
    assert content.get("type") == "html"
    assert "Quiet seats: 180 → 300 seats" in content.text
    assert feed.find(f"{A}entry/{A}category").get("term") == world["categories"][0].slug


def test_category_feed_lists_its_published_proposals(client, world):
    first, second = world["categories"][0], world["categories"][1]
    assert titles(atom(client, f"/feeds/categories/{second.slug}.atom")) == [
        "座位不够 quiet seats wanted"]
    listed = titles(atom(client, f"/feeds/categories/{first.slug}.atom"))
    assert set(listed) == {"Longer opening hours at weekends", "Silent zone on the third floor"}


def test_an_anonymous_author_is_a_patron_type_in_the_feed(client, world):
    slug = world["categories"][1].slug
    feed = atom(client, f"/feeds/categories/{slug}.atom")
    assert feed.find(f"{A}entry/{A}author/{A}name").text == "a postgraduate"
    assert SECRET_NAME.encode() not in client.get(f"/feeds/categories/{slug}.atom").data


def test_unknown_category_is_404(client):
    assert client.get("/feeds/categories/no-such-thing.atom").status_code == 404
    assert client.get("/feeds/categories/%00.atom").status_code == 404


def test_markup_and_control_characters_are_escaped_or_dropped(client, make_proposal, places):
    categories, _branches = places
    make_proposal(title='<script>alert("x")</script> & café',
                  problem="Try <b>bold</b> & [a link](javascript:alert(1)) \x0b\x1b end",
                  category_id=categories[2].id)
    url = f"/feeds/categories/{categories[2].slug}.atom"
    raw = client.get(url).data
    assert b"<script>" not in raw and b"\x0b" not in raw and b"\x1b" not in raw
    feed = atom(client, url)
    assert titles(feed) == ['<script>alert("x")</script> & café']
    content = feed.find(f"{A}entry/{A}content").text
    assert 'href="javascript' not in content and "<b>" not in content  # sanitised Markdown


def test_feeds_are_linked_from_the_pages(client, world):
    outcomes = client.get("/outcomes").text
    assert '<link rel="alternate" type="application/atom+xml" href="/feeds/outcomes.atom"' in \
        outcomes
    slug = world["categories"][0].slug
    assert f'href="/feeds/categories/{slug}.atom"' in client.get(
        f"/proposals?category={slug}").text
    assert "application/atom+xml" not in client.get("/proposals").text
    assert "application/atom+xml" not in client.get("/proposals?category=nonsense").text


def test_feed_of_nothing_is_still_valid(client, places):
    categories, _branches = places
    feed = atom(client, f"/feeds/categories/{categories[0].slug}.atom")
    assert titles(feed) == [] and feed.find(f"{A}updated").text == "1970-01-01T00:00:00Z"
    db.session.rollback()

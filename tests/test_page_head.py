"""What browsers and search engines read in a page's head: the icon, the page's language, a
description for each page type, and on public pages the same page in the other language."""
import html
import re

import pytest

from app.proposals.models import Status

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
CJK = re.compile(r"[\u4e00-\u9fff]")

# (role, path, endpoint): every page type; {proposal}, {accepted}, {project} are made per test.
PAGE_TYPES = [
    ("visitor", "/proposals", "proposals.index"),
    ("visitor", "/proposals/{proposal}", "proposals.detail"),
    ("visitor", "/projects", "projects.index"),
    ("visitor", "/projects/{project}", "projects.detail"),
    ("visitor", "/outcomes", "outcomes.index"),
    ("visitor", "/auth/login", "auth.login"),
    ("visitor", "/auth/register", "auth.register"),
    ("visitor", "/auth/reset", "recovery.request_reset"),
    ("visitor", "/proposals/999999", "not-found"),
    ("patron", "/proposals/new", "proposals.new"),
    ("patron", "/notifications", "notifications.index"),
    ("patron", "/notifications/settings", "notifications.settings"),
    ("patron", "/account", "account.profile"),
    ("patron", "/account/recognition", "account.recognition"),
    ("patron", "/account/close", "account.close"),
    ("staff", "/proposals/{proposal}/edit", "proposals.edit"),
    ("staff", "/proposals/{accepted}/project", "projects.start"),
    ("staff", "/projects/{project}/complete", "projects.complete"),
    ("staff", "/staff/moderation", "moderation.queue"),
    ("staff", "/staff/dashboard", "insight.dashboard"),
    ("staff", "/staff/exports", "exports.index"),
    ("admin", "/admin/users", "admin.users"),
    ("admin", "/admin/settings", "admin.edit_settings"),
    ("admin", "/admin/places", "admin.places"),
    ("admin", "/admin/glossary", "admin.glossary_terms"),
    ("admin", "/admin/audit", "admin.audit_log"),
]
PUBLIC = {"proposals.index", "proposals.detail", "projects.index", "projects.detail",
          "outcomes.index"}


@pytest.fixture
def pages(client, login, make_user, make_proposal, make_project):
    """get(role, path, lang): the page as that role sees it in that language."""
    proposal = make_proposal(
        problem="At exam time **every seat** in the main hall is taken by nine, and students "
                "who come later walk from floor to floor looking for one until they give up "
                "and go home again.")
    ids = {"proposal": proposal.id, "accepted": make_proposal(status=Status.ACCEPTED).id,
           "project": make_project().id}
    people = {"patron": make_user(), "staff": make_user(role="staff"),
              "admin": make_user(role="admin")}
    signed_in = [None]

    def get(role: str, path: str, lang: str = "en"):
        if signed_in[0] != role:
            client.post("/auth/logout")
            if role != "visitor":
                login(people[role])
            signed_in[0] = role
        client.set_cookie("lang", lang)
        return client.get(path.format(**ids))

    return get


def description(page) -> str:
    found = DESCRIPTION.findall(page.text)
    assert len(found) == 1, found
    return html.unescape(found[0])


def test_every_page_type_has_its_own_description_in_each_language(pages):
    seen = {}
    for role, path, endpoint in PAGE_TYPES:
        for lang in ("en", "zh_Hans"):
            page = pages(role, path, lang)
            assert page.status_code == (404 if endpoint == "not-found" else 200), path
            text = description(page)
            assert 10 <= len(text) <= 160, (path, text)
            if lang == "zh_Hans" and endpoint not in ("proposals.detail", "projects.detail"):
                assert CJK.search(text), (path, text)
            seen.setdefault(lang, {})[endpoint] = text
    for lang, texts in seen.items():
        assert len(set(texts.values())) == len(texts), f"two page types share one in {lang}"


def test_a_proposal_is_described_by_its_problem_without_markup_shortened(pages):
    text = description(pages("visitor", "/proposals/{proposal}"))
    assert text.startswith("At exam time every seat in the main hall is taken by nine")
    assert "**" not in text and text.endswith("…") and len(text) <= 160


def test_a_project_is_described_by_its_goal(pages):
    assert description(pages("visitor", "/projects/{project}")) == \
        "Open the east reading room on Sundays."


def test_a_missing_page_is_described_by_its_message(pages):
    assert description(pages("visitor", "/proposals/999999")) == \
        "There is nothing here. It may have moved or never existed."
    assert CJK.search(description(pages("visitor", "/proposals/999999", "zh_Hans")))


@pytest.mark.parametrize("lang, tag", [("en", "en"), ("zh_Hans", "zh-Hans")])
def test_the_html_element_names_the_pages_language(pages, lang, tag):
    for role, path, _endpoint in PAGE_TYPES[::4]:
        assert pages(role, path, lang).text.startswith(f'<!doctype html>\n<html lang="{tag}">')


def test_the_favicon_is_an_svg_and_favicon_ico_leads_to_it(client):
    page = client.get("/auth/login").text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.text.startswith("<svg") and "<script" not in icon.text
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 302 and legacy.location == "/static/favicon.svg"


def test_public_pages_link_both_languages_and_staff_pages_do_not(pages, app):
    public_url = app.config["PUBLIC_URL"]
    for role, path, endpoint in PAGE_TYPES:
        page = pages(role, path)
        alternates = ALTERNATE.findall(page.text)
        if endpoint not in PUBLIC:
            assert not alternates, path
            continue
        address = public_url + re.sub(r"\?.*", "", page.request.path)
        assert [(tag, html.unescape(href)) for tag, href in alternates] == [
            ("en", f"{address}?lang=en"), ("zh-Hans", f"{address}?lang=zh-Hans"),
            ("x-default", address)], path


def test_alternates_keep_the_pages_own_query_and_never_the_requests_host(client, make_proposal):
    make_proposal()
    page = client.get("/proposals?sort=newest&lang=zh-Hans", headers={"Host": "evil.example"})
    hrefs = [html.unescape(href) for _tag, href in ALTERNATE.findall(page.text)]
    assert hrefs == ["http://127.0.0.1:5000/proposals?sort=newest&lang=en",
                     "http://127.0.0.1:5000/proposals?sort=newest&lang=zh-Hans",
                     "http://127.0.0.1:5000/proposals?sort=newest"]


@pytest.mark.parametrize("param, tag", [("en", "en"), ("zh-Hans", "zh-Hans"),
                                        ("zh-hans", "zh-Hans"), ("zh_Hans", "zh-Hans")])
def test_lang_in_the_address_chooses_the_language_over_cookie_and_browser(client, param, tag):
    other = "en" if tag == "zh-Hans" else "zh_Hans"
    client.set_cookie("lang", other)
    page = client.get(f"/proposals?lang={param}", headers={"Accept-Language": other})
    assert f'<html lang="{tag}">' in page.text


def test_lang_in_the_address_wins_over_a_patrons_saved_choice(client, login, make_user):
    patron = make_user()
    patron.locale = "zh_Hans"
    login(patron)
    assert '<html lang="en">' in client.get("/proposals?lang=en").text
    assert '<html lang="zh-Hans">' in client.get("/proposals").text  # the choice stays


def test_an_unknown_lang_in_the_address_is_ignored(client):
    assert '<html lang="en">' in client.get("/proposals?lang=fr").text
    client.set_cookie("lang", "zh_Hans")
    assert '<html lang="zh-Hans">' in client.get("/proposals?lang=xx").text


def test_visitors_copies_are_kept_apart_per_lang_in_the_address(app, make_proposal):
    make_proposal()
    first, second = app.test_client(), app.test_client()
    assert '<html lang="zh-Hans">' in first.get("/proposals?lang=zh-Hans").text
    assert '<html lang="en">' in second.get("/proposals?lang=en").text
    assert '<html lang="zh-Hans">' in second.get("/proposals?lang=zh-Hans").text
    assert '<html lang="en">' in first.get("/proposals").text  # kept apart from ?lang=


def test_switching_language_on_a_page_asked_with_lang_drops_it(client):
    response = client.post("/language", data={"locale": "en",
                                              "next": "/proposals?sort=newest&lang=zh-Hans"})
    assert response.headers["Location"] == "/proposals?sort=newest"
    assert '<html lang="en">' in client.get(response.headers["Location"]).text

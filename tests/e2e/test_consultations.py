"""A consultation on a draft in a real browser, JavaScript on and off: staff publish a draft
with numbered sections, a patron comments on one section, the clock closes the consultation,
staff publish the response, and the comment's section links to its part of the response; axe
and the Nu checker on the new pages."""
import re
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from app import timeutil
from app.auth import services as accounts
from app.consultations import services
from app.extensions import db
from tests.e2e.conftest import Site, sign_in
from tests.e2e.test_accessibility import AXE_SCRIPT, assert_accessible, assert_valid_html
from tests.e2e.test_journeys import main_nav

DRAFT = """From next term the Main Library has three noise zones.

## Silent zone: floors 4 and 5
No talking and no phone calls.

## Quiet zone: floor 2
Short conversations in a low voice.
"""
RESPONSE = """Two rules changed after your comments.

## Silent zone: floors 4 and 5
A phone booth on each silent floor.

## Quiet zone: floor 2
Signs now show what a low voice means.
"""
COMMENT = "What counts as a low voice? Signs with examples would help."


@pytest.fixture
def page(new_context, javascript: bool):
    context = new_context(java_script_enabled=javascript,
                          viewport={"width": 1280, "height": 900})
    context.add_init_script(path=AXE_SCRIPT)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def later(monkeypatch):
    """Moves the clock every consultation reads, in the test's server too (the same process)."""
    def move(days: int) -> None:
        moment = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=days)
        monkeypatch.setattr(timeutil, "utcnow", lambda: moment)
    return move


def _library_now() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, second=0, microsecond=0)


def _sign_out(page: Page) -> None:
    main_nav(page).locator("details.account-menu > summary").click()
    main_nav(page).get_by_role("button", name="Sign out").click()


def _checked(page: Page, javascript: bool, html_checker, where: str) -> None:
    """axe runs where scripts do; the Nu checker reads the page as the server sent it."""
    if javascript:
        assert_accessible(page, where)  # opens every <details>: closed again afterwards
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = false; })")
    assert_valid_html(html_checker, page.content() if javascript else
                      page.context.request.get(page.url).text(), where)


def test_a_draft_from_publishing_to_its_response(page: Page, site: Site, javascript: bool,
                                                  later, html_checker) -> None:
    title = f"Draft noise-zone rules {uuid.uuid4().hex[:6]}"
    patron = site.add_account("Zhao Commenter")

    sign_in(page, site.staff)
    page.goto("/consultations")
    page.get_by_role("link", name="Publish a draft for comments").click()
    _checked(page, javascript, html_checker, "the new consultation form")
    page.get_by_label("Title in English").fill(title)
    page.get_by_label("Draft in English").fill(DRAFT)
    page.get_by_label("Comments open").fill((_library_now() - timedelta(hours=1))
                                            .strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Comments close").fill((_library_now() + timedelta(days=7))
                                             .strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save the consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#consultation-state")).to_have_text("Open for comments")
    _sign_out(page)

    sign_in(page, patron)
    page.goto("/consultations")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Comment on section 2").click()
    expect(page.get_by_label("About")).to_have_value("2")
    page.get_by_label("Your comment").fill(COMMENT)
    page.get_by_role("button", name="Post comment").click()
    second = page.locator("#section-2")
    expect(second.get_by_text(COMMENT)).to_be_visible()
    expect(second.get_by_text("1 comment on this section")).to_be_visible()
    _checked(page, javascript, html_checker, "a consultation as a patron")
    _sign_out(page)

    later(8)  # comments have closed
    sign_in(page, site.staff)
    page.goto("/consultations")
    page.get_by_role("link", name=title).click()
    expect(page.locator("#consultation-state")).to_have_text("Closed for comments")
    page.get_by_role("link", name="Publish the response").click()
    _checked(page, javascript, html_checker, "the response form")
    page.get_by_label("Response in English").fill(RESPONSE)
    page.get_by_role("button", name="Publish the response").click()
    expect(page.get_by_role("heading", name="The library's response")).to_be_visible()
    _checked(page, javascript, html_checker, "a consultation with its response, as staff")

    page.locator("#section-2").get_by_role("link", name="What changed in section 2").click()
    expect(page).to_have_url(re.compile(r"#response-2$"))
    expect(page.locator("#response-2")).to_contain_text("Signs now show what a low voice means.")


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
def test_the_consultation_pages_pass_axe_in_both_languages(new_context, site: Site, html_checker,
                                                          lang: str) -> None:
    """A visitor's list and a draft with comments on the whole and on a section."""
    with site.app.app_context():
        staff = accounts.find_by_email(site.staff.email)
        now = _library_now()
        consultation = services.create(
            by=staff, title_en=f"Draft quiet-floor rules {uuid.uuid4().hex[:6]}",
            title_zh="安静楼层规则（草案）", body_en=DRAFT,
            body_zh="下学期起分为两个区。\n\n## 静音区\n禁止交谈。\n\n## 安静区\n低声交谈。",
            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=7), call_id=None)
        patron = accounts.find_by_email(site.patrons[0].email)
        services.add_comment(consultation, author=patron, body=COMMENT, section=2)
        services.add_comment(consultation, author=patron, body="清楚的规则很有帮助。",
                             section=None)
        db.session.commit()
        path = f"/consultations/{consultation.id}"
        db.session.remove()
    context = new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(path=AXE_SCRIPT)
    context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
    page = context.new_page()
    for where in ("/consultations", path):
        page.goto(where)
        expect(page.locator("html")).to_have_attribute("lang",
                                                       "zh-Hans" if lang == "zh_Hans" else "en")
        assert_accessible(page, f"{where} in {lang}")
        assert_valid_html(html_checker, context.request.get(where).text(), f"{where} in {lang}")
    context.close()

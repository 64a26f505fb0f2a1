"""A patron proposes an idea the library already has, in the other language: with JavaScript the
hint shows it while the title is typed; without, a step shows it before anything is sent, with
"Support this instead" and "Submit mine anyway" (everything typed kept). axe on the hint, the
step and the glossary page, in English and Chinese."""
import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHINESE_TITLE, Site, sign_in
from tests.e2e.nu_checker import NuChecker
from tests.e2e.test_accessibility import AXE_SCRIPT, assert_accessible, assert_valid_html


def fill_mine(page: Page, title: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("What is not working?").fill(
        "In exam weeks every seat in the study room on floor 3 is taken by nine.")
    page.get_by_label("What would you change?").fill(
        "Open the seminar rooms as extra study rooms during exam weeks.")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Library branch").select_option(index=1)


def support_instead(page: Page):
    """The seeded Chinese proposal's button (the name ends with the title it supports)."""
    return page.get_by_role("button", name=re.compile(f"^Support this instead.*{CHINESE_TITLE}$"))


def a_title() -> str:
    return f"More seats in the study room, exam week {str(uuid.uuid4().int)[:6]}"


def test_the_same_idea_in_chinese_is_offered_first(page: Page, site: Site,
                                                   javascript: bool) -> None:
    title = a_title()
    if javascript:
        page.context.add_init_script(path=AXE_SCRIPT)
    sign_in(page, site.add_account("Sam Seeker"))
    page.goto("/proposals/new")
    fill_mine(page, title)
    if javascript:  # the hint, while the title is typed: the Chinese proposal, by the glossary
        page.get_by_label("Title").press("End")
        page.get_by_label("Title").type(" ")
        hint = page.locator("#similar")
        expect(hint.get_by_role("link", name=CHINESE_TITLE)).to_be_visible()
        assert_accessible(page, "the proposal form with the similar-proposals hint")
        page.get_by_role("button", name="Send for review").click()
        expect(page).to_have_url(re.compile(r"/proposals/\d+$"))  # no step: the hint was it
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        return
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Is your idea already here?")
    expect(page.get_by_role("link", name=CHINESE_TITLE)).to_be_visible()
    expect(support_instead(page)).to_be_visible()
    page.get_by_role("button", name="Submit mine anyway").click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("every seat in the study room on floor 3")).to_be_visible()


def test_support_this_instead(page: Page, site: Site, javascript: bool,
                              html_checker: NuChecker) -> None:
    """The step as a patron without the hint meets it (with JavaScript: the hint switched off),
    checked by axe in both languages; supporting from it sends nothing of one's own."""
    if javascript:
        page.context.add_init_script(path=AXE_SCRIPT)
    sign_in(page, site.add_account("Sue Supporter"))
    for lang in (["zh_Hans", "en"] if javascript else ["en"]):
        page.context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
        page.goto("/proposals/new")
        if lang == "en":
            fill_mine(page, a_title())
        else:
            page.locator("#title").fill(a_title())
            page.locator("#problem").fill("考试周三楼自习室的座位九点就满了，很多同学找不到位置。")
            page.locator("#suggestion").fill("考试周把研讨室也开放为自习室，增加座位。")
            page.locator("#category_id").select_option(index=1)
            page.locator("#branch_id").select_option(index=1)
        if javascript:
            page.evaluate("document.querySelector('[data-similar-hint]')"
                          ".removeAttribute('data-similar-hint')")
        page.locator("form.proposal-form > button[type=submit]").click()
        expect(page.locator("#yours-heading")).to_be_visible()
        if javascript:
            assert_accessible(page, f"the similar-proposals step in {lang}")
        else:  # the page as the server sent it (no script has touched it)
            assert_valid_html(html_checker, page.content(), "the similar-proposals step")
    support_instead(page).click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(CHINESE_TITLE)
    expect(page.locator(".support-button").first).to_have_attribute("aria-pressed", "true")


def test_the_glossary_page(page: Page, site: Site, javascript: bool) -> None:
    """An administrator adds a pair and removes it; axe on the page in both languages."""
    if javascript:
        page.context.add_init_script(path=AXE_SCRIPT)
    sign_in(page, site.add_account("Gil Glossary", "staff", role="admin"))
    english = "projector " + re.sub(r"\d", lambda digit: "abcdefghij"[int(digit.group())],
                                    uuid.uuid4().hex[:6])
    page.goto("/admin/glossary")
    page.get_by_label("In English").fill(english)
    page.get_by_label("In Chinese").fill("投影仪")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(english))).to_be_visible()
    if javascript:
        assert_accessible(page, "the glossary page in en")
        page.context.add_cookies([{"name": "lang", "value": "zh_Hans", "url": site.url}])
        page.goto("/admin/glossary")
        assert_accessible(page, "the glossary page in zh_Hans")
        page.context.add_cookies([{"name": "lang", "value": "en", "url": site.url}])
        page.goto("/admin/glossary")
    page.get_by_role("button", name=f"Remove {english} = 投影仪").click()
    expect(page.get_by_role("row", name=re.compile(english))).to_have_count(0)

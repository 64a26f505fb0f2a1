"""The main patron journeys in a real browser, with JavaScript on (htmx) and off (plain forms),
at phone and desktop widths. Screenshots land in tests/e2e/screenshots/."""
import re
import uuid
from urllib.parse import quote

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    CHINESE_TERM,
    CHINESE_TITLE,
    OTHER_TITLE,
    PASSWORD,
    Site,
    send_proposal,
)

SUPPORT = re.compile(r"^Support\b")  # "Support: <title>", not "Supported: <title>"
SUPPORTED = re.compile(r"^Supported\b")


def htmx_ready(page: Page) -> None:
    """Wait until htmx (a deferred script) has processed the page; a click before that would
    fall back to a full form post."""
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    main_nav(page).locator("details.account-menu > summary").click()
    main_nav(page).get_by_role("button", name="Sign out").click()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()


def support_count(page: Page):
    return page.locator("[data-support-count]")


def click_support_button(page: Page, javascript: bool, name, expected: int) -> None:
    """Click the (only) support button; with JS the count must change in place."""
    button = page.get_by_role("button", name=name)
    expect(button).to_have_count(1)
    if javascript:
        htmx_ready(page)
        page.evaluate("window.__marker = 1")
        with page.expect_response(lambda r: r.request.method == "POST"
                                  and r.url.endswith("/support")) as answer:
            button.click()
        assert answer.value.status == 200
        assert answer.value.request.headers.get("hx-request") == "true"
        expect(support_count(page)).to_have_attribute("data-support-count", str(expected))
        assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    else:
        button.click()
        page.wait_for_load_state("load")
        expect(support_count(page)).to_have_attribute("data-support-count", str(expected))
    expect(support_count(page).locator("strong")).to_have_text(str(expected))


def test_register_propose_and_support(page: Page, site: Site, javascript: bool, viewport: str,
                                      shot) -> None:
    hide_name = viewport == "phone"  # one size publishes anonymously, the other by name
    email = f"newcomer-{uuid.uuid4().hex[:8]}@example.edu"
    name = "Lin Newcomer"
    title = f"Quiet carrels on the fourth floor {uuid.uuid4().hex[:6]}"

    # A visitor registers and lands signed in.
    page.goto("/auth/register")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("I am").select_option(label="Postgraduate")
    page.get_by_label("Password").fill(PASSWORD)
    shot(page, "register-filled")
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/proposals$"))
    expect(page.get_by_role("status").filter(has_text="Welcome")).to_contain_text(
        f"Welcome, {name}. Your account is ready.")
    expect(main_nav(page)).to_contain_text(name)
    expect(main_nav(page).locator("details.account-menu > summary")).to_be_visible()
    shot(page, "signed-in")

    # ... proposes a change ...
    main_nav(page).get_by_role("link", name="Propose a change").click()
    expect(page).to_have_url(re.compile(r"/proposals/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a change")
    page.get_by_label("Title").fill(title)
    page.get_by_label("What is not working?").fill(
        "There is nowhere to work quietly for long stretches on the fourth floor.")
    page.get_by_label("What would you change?").fill(
        "Turn the empty corner by the windows into ten bookable quiet carrels.")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Library branch").select_option(index=1)
    if hide_name:
        page.get_by_label("Hide my name from the public").check()
    shot(page, "proposal-filled")
    send_proposal(page)

    # ... and sees it, waiting for staff to publish it (pre-moderation).
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("status").filter(has_text="Thank you")).to_contain_text(
        "Library staff will check your proposal and publish it soon.")
    expect(page.locator(".notice")).to_contain_text("Only you and library staff can see")
    byline = page.locator(".proposal-head .meta")
    if hide_name:
        expect(byline).to_contain_text("Proposed by a postgraduate")
        expect(byline).not_to_contain_text(name)
    else:
        expect(byline).to_contain_text(f"Proposed by {name}")
    expect(support_count(page)).to_have_attribute("data-support-count", "0")
    shot(page, "proposal-submitted")
    proposal_path = re.sub(r"^https?://[^/]+", "", page.url)

    # The author signs out; nobody else sees the proposal yet.
    sign_out(page)
    response = page.goto(proposal_path)
    assert response is not None and response.status == 404

    # A member of staff publishes it from the proposal page.
    page.goto("/auth/login?next=" + quote(proposal_path))
    sign_in(page, site.staff.email)
    expect(page).to_have_url(re.compile(re.escape(proposal_path) + "$"))
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(proposal_path) + "$"))
    expect(page.get_by_role("status").filter(has_text="now")).to_contain_text(
        "The proposal is now “Open for support”.")
    expect(page.locator(".notice")).to_have_count(0)
    shot(page, "proposal-published")
    sign_out(page)

    # Another patron finds it, signs in from the proposal page and comes back to it.
    page.goto(proposal_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("link", name="Sign in to support").click()
    supporter = site.patrons[0]
    sign_in(page, supporter.email)
    expect(page).to_have_url(re.compile(re.escape(proposal_path) + "$"))
    expect(main_nav(page)).to_contain_text(supporter.display_name)
    expect(page.get_by_role("button", name=SUPPORT)).to_have_attribute("aria-pressed", "false")
    shot(page, "before-support")

    # Support: 0 -> 1 (in place with htmx, by post and redirect without JS).
    click_support_button(page, javascript, SUPPORT, 1)
    expect(page.get_by_role("button", name=SUPPORTED)).to_have_attribute("aria-pressed", "true")
    expect(support_count(page)).to_contain_text("1 supporter")
    if javascript:
        expect(page.locator("#announcer")).to_contain_text("You support this proposal.")
    expect(page).to_have_url(re.compile(re.escape(proposal_path) + "$"))
    shot(page, "supported")

    # Clicking "Supported" withdraws: 1 -> 0.
    click_support_button(page, javascript, SUPPORTED, 0)
    expect(page.get_by_role("button", name=SUPPORT)).to_have_attribute("aria-pressed", "false")
    if javascript:
        expect(page.locator("#announcer")).to_contain_text("Your support is withdrawn.")
    shot(page, "withdrawn")

    # The count is stored, not only shown: a fresh load agrees.
    page.reload()
    expect(support_count(page)).to_have_attribute("data-support-count", "0")


def test_register_refuses_short_password(page: Page, javascript: bool, shot) -> None:
    email = f"short-{uuid.uuid4().hex[:8]}@example.edu"
    page.goto("/auth/register")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill("Sam Short")
    page.get_by_label("I am").select_option(label="Faculty")
    page.get_by_label("Password").fill("short")
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/auth/register")) as answer:
        page.get_by_role("button", name="Create my account").click()
    assert answer.value.status == 422
    page.wait_for_load_state("load")

    password = page.get_by_label("Password")
    error = page.locator(".field", has=password).locator(".error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"\b10\b.*characters"))
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile(r"\b10\b.*characters"))
    expect(password).to_have_value("")  # a password is never sent back
    expect(page.get_by_label("E-mail address")).to_have_value(email)
    expect(page.get_by_label("Display name")).to_have_value("Sam Short")
    expect(page.get_by_label("I am")).to_have_value("faculty")
    expect(page.get_by_role("alert")).to_contain_text("Please correct the marked fields.")
    if javascript:
        expect(page.locator("#form-alert")).to_be_focused()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()  # not signed in
    shot(page, "refused")


def test_search_in_chinese(page: Page, javascript: bool, shot) -> None:
    page.goto("/proposals")
    results = page.locator("#results")
    expect(results.get_by_role("link", name=CHINESE_TITLE)).to_be_visible()
    expect(results.get_by_role("link", name=OTHER_TITLE)).to_be_visible()
    shot(page, "all")

    box = page.get_by_role("searchbox", name="Search proposals")
    expect(box).to_have_id("q")
    if javascript:
        htmx_ready(page)
        page.evaluate("window.__marker = 1")
        box.press_sequentially(CHINESE_TERM, delay=50)  # htmx searches as you type
    else:
        box.fill(CHINESE_TERM)
        page.get_by_role("button", name="Show").click()

    expect(results.get_by_role("link", name=OTHER_TITLE)).to_have_count(0)
    expect(results.get_by_role("link", name=CHINESE_TITLE)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=" + re.escape(quote(CHINESE_TERM))))
    expect(box).to_have_value(CHINESE_TERM)
    if javascript:
        assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    shot(page, "found")

    # A term nothing contains says so.
    box.fill("图书馆不存在的词语")
    if not javascript:
        page.get_by_role("button", name="Show").click()
    expect(results).to_contain_text("No proposal matches")
    # No proposal in the list: the one link offers to propose what was searched for.
    expect(results.locator(".proposal-row")).to_have_count(0)
    expect(results.get_by_role("link")).to_have_text(["Propose it"])

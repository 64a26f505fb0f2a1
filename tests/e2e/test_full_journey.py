"""The whole life of an idea in a real browser, once with JavaScript (htmx) and once without
(plain forms and redirects): a visitor registers and proposes; staff publish it; another patron
supports it; staff review, accept with a public reason and start a project; a volunteer joins;
staff complete it with measured outcomes; the supporter is told and rates the outcome.

Each person has their own browser context. Every step is photographed at phone and desktop
width: tests/e2e/screenshots/full-journey-<nn>-<step>-<js-mode>-<phone|desktop>.png."""
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from tests.e2e.conftest import PASSWORD, VIEWPORTS, Site, send_proposal, shoot_both, sign_in


@pytest.fixture
def open_page(new_context, javascript: bool) -> Callable[[], Page]:
    """A new person: their own browser context, with or without JavaScript. One run per mode,
    not per size: `snap` photographs each step at both widths."""
    def make() -> Page:
        context = new_context(java_script_enabled=javascript, viewport=VIEWPORTS["desktop"])
        context.set_default_timeout(10_000)
        return context.new_page()
    return make


@pytest.fixture
def snap(screenshots_dir: Path, javascript: bool) -> Callable[[Page, str], None]:
    counter = iter(range(1, 100))
    mode = "js-on" if javascript else "js-off"

    def take(page: Page, step: str) -> None:
        shoot_both(page, screenshots_dir / f"full-journey-{next(counter):02d}-{step}-{mode}.png")
    return take


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def expect_flash(page: Page, text: str) -> None:
    expect(page.locator("#flash")).to_contain_text(text)


def htmx_ready(page: Page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")


def click_in_place(page: Page, button, url_end: str, javascript: bool) -> None:
    """With JavaScript, the click must be an htmx request that swaps part of the page (no
    reload); without, a plain form post and redirect."""
    if not javascript:
        button.click()
        page.wait_for_load_state("load")
        return
    htmx_ready(page)
    page.evaluate("window.__marker = 1")

    def posted(response: Response) -> bool:
        return response.request.method == "POST" and response.url.endswith(url_end)

    with page.expect_response(posted) as answer:
        button.click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def test_full_journey(open_page, site: Site, javascript: bool, snap) -> None:
    tag = uuid.uuid4().hex[:6]
    title = f"Standing desks in the reading room {tag}"
    reason = "Twelve desks fit by the windows; we will try them for one term."

    # 1. A visitor registers and lands signed in.
    author = open_page()
    author.goto("/proposals")
    main_nav(author).get_by_role("link", name="Create an account").click()
    author.get_by_label("E-mail address").fill(f"author-{tag}@example.edu")
    author.get_by_label("Display name").fill("Mei Author")
    author.get_by_label("I am").select_option(label="Undergraduate")
    author.get_by_label("Password").fill(PASSWORD)
    snap(author, "register")
    author.get_by_role("button", name="Create my account").click()
    expect(main_nav(author)).to_contain_text("Mei Author")
    expect_flash(author, "Welcome, Mei Author.")

    # 2. ... and proposes a change, which waits for moderation.
    main_nav(author).get_by_role("link", name="Propose a change").click()
    expect(author).to_have_url(re.compile(r"/proposals/new$"))
    author.get_by_label("Title").fill(title)
    author.get_by_label("What is not working?").fill(
        "Sitting for six hours in exam weeks hurts; there is nowhere to stand and work.")
    author.get_by_label("What would you change?").fill(
        "Put a row of standing desks by the windows of the main reading room.")
    author.get_by_label("Category").select_option(index=1)
    author.get_by_label("Library branch").select_option(index=1)
    snap(author, "propose")
    send_proposal(author)
    expect(author.get_by_role("heading", level=1)).to_have_text(title)
    expect_flash(author, "Library staff will check your proposal and publish it soon.")
    expect(author.locator(".status").first).to_have_text("Awaiting moderation")
    snap(author, "proposed")
    proposal_path = path_of(author)

    # 3. Staff sign in from the proposal's address and publish it.
    staff = open_page()
    response = staff.goto(proposal_path)
    assert response is not None and response.status == 404  # not public yet
    sign_in(staff, site.staff, "/auth/login?next=" + proposal_path)
    expect(staff).to_have_url(re.compile(re.escape(proposal_path) + "$"))
    staff.get_by_role("button", name="Publish", exact=True).click()
    expect_flash(staff, "The proposal is now “Open for support”.")
    expect(staff.locator(".status").first).to_have_text("Open for support")
    snap(staff, "published")

    # 4. Another patron supports it: with htmx the count changes in place.
    supporter_account = site.add_account(f"Sam Supporter {tag}", "postgraduate")
    supporter = open_page()
    sign_in(supporter, supporter_account, "/auth/login?next=" + proposal_path)
    expect(supporter).to_have_url(re.compile(re.escape(proposal_path) + "$"))
    count = supporter.locator("[data-support-count]")
    expect(count).to_have_attribute("data-support-count", "0")
    snap(supporter, "before-support")
    click_in_place(supporter, supporter.get_by_role("button", name=re.compile(r"^Support\b")),
                   "/support", javascript)
    expect(count).to_have_attribute("data-support-count", "1")
    expect(count).to_contain_text("1 supporter")
    expect(supporter.get_by_role("button", name=re.compile(r"^Supported\b"))).to_have_attribute(
        "aria-pressed", "true")
    if javascript:
        expect(supporter.locator("#announcer")).to_contain_text("You support this proposal.")
    snap(supporter, "supported")

    # 5. Staff start the review, then accept with a public reason.
    staff.reload()
    expect(staff.locator("[data-support-count]")).to_have_attribute("data-support-count", "1")
    staff.get_by_role("button", name="Start review").click()
    expect_flash(staff, "The proposal is now “Under review”.")
    expect(staff.locator(".promise")).to_contain_text("Answer due by")
    snap(staff, "under-review")
    accept = staff.locator("form.action-form").filter(
        has=staff.locator("summary", has_text=re.compile(r"^Accept")))
    accept.locator("summary").click()
    accept.get_by_label("Public reason").fill(reason)
    snap(staff, "accept-reason")
    accept.get_by_role("button", name="Accept", exact=True).click()
    expect_flash(staff, "The proposal is now “Accepted”.")
    expect(staff.get_by_role("region", name="Timeline")).to_contain_text(reason)
    snap(staff, "accepted")

    # 6. ... and start a project from it.
    staff.get_by_role("link", name="Start a project").click()
    expect(staff).to_have_url(re.compile(re.escape(proposal_path) + "/project$"))
    staff.get_by_label("Goal").fill("Twelve standing desks by the windows, tried for one term.")
    staff.get_by_label("What volunteers will do").fill(
        "Try the desks for a week each and tell us which height settings work.")
    staff.get_by_label("Volunteer places").fill("3")
    staff.get_by_label("Starts on").fill("2026-12-01")
    staff.get_by_label("Staff lead").select_option(label=site.staff.display_name)
    staff.get_by_label("Milestones (optional)").fill(
        "Order the desks | 2026-12-10\nAsk the volunteers | 2027-01-15")
    snap(staff, "project-form")
    staff.get_by_role("button", name="Start the project").click()
    expect(staff).to_have_url(re.compile(r"/projects/\d+$"))
    expect_flash(staff, "The project has started.")
    expect(staff.get_by_role("region", name="Milestones")).to_contain_text("Order the desks")
    project_path = path_of(staff)
    snap(staff, "project-started")

    # 7. A volunteer joins: with htmx the join area swaps in place.
    volunteer_account = site.add_account(f"Vic Volunteer {tag}", "alumnus")
    volunteer = open_page()
    sign_in(volunteer, volunteer_account, "/auth/login?next=" + project_path)
    expect(volunteer).to_have_url(re.compile(re.escape(project_path) + "$"))
    places = volunteer.locator("[data-free-places]")
    expect(places).to_have_text("0 of 3 places taken")
    snap(volunteer, "before-join")
    click_in_place(volunteer, volunteer.get_by_role("button", name="Join as a volunteer"),
                   "/join", javascript)
    expect(places).to_have_text("1 of 3 places taken")
    expect(volunteer.get_by_text("You are a volunteer")).to_be_visible()
    expect(volunteer.get_by_role("button", name="Leave the project")).to_be_visible()
    if javascript:  # the swapped-in button takes the focus of the one pressed
        expect(volunteer.get_by_role("button", name="Leave the project")).to_be_focused()
    expect_flash(volunteer, "You have joined the project.")
    snap(volunteer, "joined")

    # 8. Staff complete the project with a measured outcome.
    staff.goto(project_path)
    staff.get_by_role("link", name="Complete with an outcome").click()
    expect(staff).to_have_url(re.compile(re.escape(project_path) + "/complete$"))
    staff.get_by_label("What changed").fill(
        "Twelve standing desks are in the reading room, and they are busy all day.")
    indicators = [("Standing desks", "0", "12", "desks"),
                  ("Desk hours used a week", "0", "310", "hours")]
    for n, (name, before, after, unit) in enumerate(indicators, start=1):
        row = staff.get_by_role("group", name=f"Indicator {n}")  # one group per row
        row.get_by_label("Indicator").fill(name)
        row.get_by_label("Before").fill(before)
        row.get_by_label("After").fill(after)
        row.get_by_label("Unit").fill(unit)
    snap(staff, "outcome-form")
    staff.get_by_role("button", name="Complete and publish the outcome").click()
    expect(staff).to_have_url(re.compile(r"/outcomes#outcome-\d+$"))
    expect_flash(staff, "The project is complete and its outcome is published.")
    outcome = staff.locator(".outcome").filter(has=staff.get_by_role("link", name=title))
    expect(outcome.get_by_role("row", name=re.compile("^Standing desks"))).to_contain_text("12")
    snap(staff, "completed")

    # 9. The supporter is told: an unread count in the header, the news on /notifications.
    supporter.goto("/proposals")
    notifications = main_nav(supporter).get_by_role("link", name=re.compile(r"^Notifications"))
    expect(notifications).to_have_accessible_name(re.compile(r"^Notifications \d+ unread$"))
    snap(supporter, "notified")
    notifications.click()
    expect(supporter).to_have_url(re.compile(r"/notifications$"))
    news = supporter.locator(".notification-list")
    expect(news).to_contain_text(f"“{title}” is now Completed.")
    expect(news).to_contain_text(f"“{title}” is now Accepted.")
    expect(news).to_contain_text(reason)
    snap(supporter, "notifications")

    # 10. ... and rates the outcome; the rating shows.
    main_nav(supporter).get_by_role("link", name="You said, we did").click()
    outcome = supporter.locator(".outcome").filter(has=supporter.get_by_role("link", name=title))
    expect(outcome.locator(".rating")).to_contain_text("Not rated yet.")
    rating = outcome.get_by_role("group", name="How well did this change work for you?")
    rating.get_by_label("4 stars").check()
    outcome.get_by_label("Comment (optional)").fill("I use one every afternoon.")
    snap(supporter, "rate")
    outcome.get_by_role("button", name="Rate the outcome").click()
    expect_flash(supporter, "Thank you for rating the outcome.")
    outcome = supporter.locator(".outcome").filter(has=supporter.get_by_role("link", name=title))
    expect(outcome.locator(".rating")).to_contain_text("Rated 4.0 of 5 (1 rating)")
    expect(outcome.get_by_role("button", name="Rate the outcome")).to_have_count(0)
    snap(supporter, "rated")

    # Everyone, signed in or not, sees the rating on "You said, we did".
    visitor = open_page()
    visitor.goto("/outcomes")
    outcome = visitor.locator(".outcome").filter(has=visitor.get_by_role("link", name=title))
    expect(outcome.locator(".rating")).to_contain_text("Rated 4.0 of 5 (1 rating)")

"""A call's questionnaire in a real browser, JavaScript on and off: staff open a call and build
its questionnaire, a patron proposes into it and answers anonymously, another supports the idea,
the clock moves the call to its results, the summary and the questionnaire's results show, and
staff make them public without the anonymous patron's name anywhere."""
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import VIEWPORTS, Site, send_proposal, sign_in
from tests.e2e.test_accessibility import assert_accessible, assert_valid_html
from tests.e2e.test_calls_journey import SUMMARY, _open_a_call, _publish, later  # noqa: F401
from tests.e2e.test_journeys import SUPPORT, click_support_button, main_nav

AXE_SCRIPT = "node_modules/axe-core/axe.min.js"


@pytest.fixture
def browser_page(new_context, javascript: bool) -> Page:
    """Desktop size; axe-core loaded into every page when JavaScript runs (it cannot otherwise,
    and the HTML is the same)."""
    context = new_context(java_script_enabled=javascript, viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    if javascript:
        context.add_init_script(path=AXE_SCRIPT)
    return context.new_page()


def _sign_out(page: Page) -> None:
    menu = main_nav(page).locator("details.account-menu")
    if menu.get_attribute("open") is None:  # axe opens every <details> it checks
        menu.locator("> summary").click()
    main_nav(page).get_by_role("button", name="Sign out").click()


def _add_question(page: Page, kind: str, text: str, options: str = "") -> None:
    page.get_by_label("Kind of question").select_option(label=kind)
    page.get_by_label("Question in English").fill(text)
    if options:
        page.get_by_label("Options in English").fill(options)
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("The question is added.")).to_be_visible()
    expect(page.locator("#questions")).to_contain_text(text)


def test_a_call_with_a_questionnaire_from_opening_to_public_results(
        browser_page: Page, site: Site, javascript: bool, later,  # noqa: F811
        html_checker) -> None:
    page = browser_page

    def axe(where: str) -> None:
        """axe where JavaScript runs; the Nu checker on the same HTML where it does not."""
        if javascript:
            assert_accessible(page, where)
        else:
            assert_valid_html(html_checker, page.content(), where)

    suffix = uuid.uuid4().hex[:6]
    title, idea = f"Floor 3 questions {suffix}", f"Sockets at every desk {suffix}"
    author = site.add_account(f"Hidden Author {suffix}")
    supporter = site.add_account(f"Open Supporter {suffix}", "postgraduate")

    sign_in(page, site.staff)
    _open_a_call(page, title)
    page.get_by_role("link", name="Build the questionnaire").click()
    _add_question(page, "Single choice", "Which floor do you study on most?",
                  "Floor 2\nFloor 3\nFloor 4")
    _add_question(page, "Scale from 1 to 5", "How crowded is floor 3 in exam week?")
    axe("the questionnaire builder")
    _sign_out(page)

    sign_in(page, author)
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Propose an idea in this call").click()
    page.get_by_label("Title").fill(idea)
    page.get_by_label("What is not working?").fill("Laptops run flat by noon on floor 3.")
    page.get_by_label("What would you change?").fill("A socket at every desk on floor 3.")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Library branch").select_option(index=1)
    send_proposal(page)
    expect(page.get_by_text("In the call for ideas")).to_be_visible()
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Answer the questionnaire").click()
    page.get_by_role("button", name="Send my answers").click()  # nothing chosen: refused
    expect(page.get_by_text("Answer this question.").first).to_be_visible()
    axe("the questionnaire with its errors")
    page.get_by_label("Floor 3").check()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Answer anonymously to the public").check()
    axe("the questionnaire")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("your answers are saved")).to_be_visible()
    expect(page.get_by_label("Floor 3")).to_be_checked()
    _sign_out(page)
    _publish(site, idea)

    sign_in(page, supporter)
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Answer the questionnaire").click()
    page.get_by_label("Floor 2").check()
    page.get_by_label("3", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("your answers are saved")).to_be_visible()
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=idea).click()
    click_support_button(page, javascript, SUPPORT, 1)
    _sign_out(page)

    later(22)  # the results phase
    sign_in(page, site.staff)
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    expect(page.locator("#call-phase")).to_have_text("Results")
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_role("link", name="Answer the questionnaire")).to_have_count(0)
    page.get_by_role("link", name="See the results").click()
    expect(page.locator("#respondents")).to_contain_text("2 people answered.")
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_role("row", name="Floor 3")).to_contain_text("1")
    expect(page.get_by_role("columnheader", name="Postgraduate").first).to_be_visible()
    page.get_by_role("button", name="Make the results public").click()
    expect(page.get_by_text("The results are public.").first).to_be_visible()
    axe("the questionnaire's results")
    _sign_out(page)

    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name="What the call brought")).to_be_visible()
    page.get_by_role("link", name="See the results").click()
    expect(page.locator("#respondents")).to_contain_text("2 people answered.")
    expect(page.get_by_role("heading", name="How crowded is floor 3 in exam week?")).to_be_visible()
    assert f"Hidden Author {suffix}" not in page.content()

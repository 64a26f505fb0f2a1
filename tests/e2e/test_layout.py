"""Issue 21, item 8: the signed-in header keeps to one row at 1280 px for every role, with the
account, the language and signing out in a <details> menu that works without JavaScript and by
keyboard."""
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import SCREENSHOTS, VIEWPORTS, Site, sign_in

DESKTOP = VIEWPORTS["desktop"]

# The header's content box, against the tallest of its items: one row when they are equal, and
# every item's top above every item's bottom (nothing wrapped under another).
MEASURE_HEADER = """() => {
    const row = document.querySelector(".header-row");
    const style = getComputedStyle(row);
    const inner = row.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const items = [row.querySelector(".brand"), ...row.querySelectorAll(".main-nav > ul > li")]
        .map(e => e.getBoundingClientRect());
    return {inner, tallest: Math.max(...items.map(r => r.height)),
            lowestTop: Math.max(...items.map(r => r.top)),
            highestBottom: Math.min(...items.map(r => r.bottom))};
}"""


@pytest.fixture(scope="module")
def accounts(site: Site):
    return {"patron": site.patrons[0], "staff": site.staff,
            "admin": site.add_account("Ada Admin", "staff", role="admin")}


def _signed_in(browser: Browser, browser_context_args: dict, site: Site, account, *,
               javascript: bool = True, lang: str = "en", viewport=DESKTOP) -> Page:
    context = browser.new_context(**{**browser_context_args, "viewport": viewport,
                                     "java_script_enabled": javascript})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, account)
    context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
    return page


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
@pytest.mark.parametrize("role", ["patron", "staff", "admin"])
def test_the_signed_in_header_is_one_row_at_1280_px(browser, browser_context_args, site, accounts,
                                                      role, lang):
    page = _signed_in(browser, browser_context_args, site, accounts[role], lang=lang)
    page.goto("/proposals")
    size = page.evaluate(MEASURE_HEADER)
    page.screenshot(path=str(SCREENSHOTS / f"layout-header-{role}-{lang}-desktop.png"))
    assert size["inner"] <= size["tallest"] + 1, size
    assert size["lowestTop"] < size["highestBottom"], size
    page.set_viewport_size(VIEWPORTS["phone"])
    page.screenshot(path=str(SCREENSHOTS / f"layout-header-{role}-{lang}-phone.png"))
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_the_account_menu_opens_by_keyboard_and_switches_language(browser, browser_context_args,
                                                                   site, accounts, javascript):
    page = _signed_in(browser, browser_context_args, site, accounts["patron"],
                      javascript=javascript)
    page.goto("/proposals")
    nav = page.locator("nav.main-nav")  # named "Main", then "主导航"
    menu = nav.locator("details.account-menu > summary")
    sign_out = nav.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(sign_out).to_be_visible()
    expect(nav.get_by_role("link", name="Your account")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"layout-menu-open-{'js-on' if javascript else 'js-off'}"
                             "-desktop.png"))
    if javascript:  # Escape closes it and leaves the focus on the summary
        nav.get_by_role("link", name="Your account").focus()
        page.keyboard.press("Escape")
        expect(sign_out).to_be_hidden()
        expect(menu).to_be_focused()
        page.keyboard.press("Enter")
    nav.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page).to_have_url(f"{site.url}/proposals")
    menu.click()
    nav.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    menu.click()
    sign_out.click()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    page.context.close()


def _visitor(browser: Browser, browser_context_args: dict, *, javascript: bool, viewport) -> Page:
    context = browser.new_context(**{**browser_context_args, "viewport": viewport,
                                     "java_script_enabled": javascript})
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.mark.parametrize("role", ["visitor", "patron"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_on_a_phone_the_filters_fold_and_the_first_proposal_shows(browser, browser_context_args,
                                                                   site, accounts, role,
                                                                   javascript):
    phone = VIEWPORTS["phone"]
    page = (_visitor(browser, browser_context_args, javascript=javascript, viewport=phone)
            if role == "visitor" else
            _signed_in(browser, browser_context_args, site, accounts["patron"],
                       javascript=javascript, viewport=phone))
    mode = "js-on" if javascript else "js-off"
    page.goto("/proposals")
    category = page.get_by_label("Category")
    expect(category).to_be_hidden()
    first = page.locator(".proposal-row").first.get_by_role("link").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= phone["height"]
    page.screenshot(path=str(SCREENSHOTS / f"layout-filters-folded-{role}-{mode}-phone.png"))
    page.get_by_text("Filters", exact=True).click()
    expect(category).to_be_visible()
    page.get_by_label("Sort by").select_option("newest")
    if not javascript:
        page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/proposals\?.*sort=newest"))
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    page.context.close()


def test_at_desktop_width_the_filters_show_without_a_fold(browser, browser_context_args):
    page = _visitor(browser, browser_context_args, javascript=False, viewport=DESKTOP)
    page.goto("/proposals")
    expect(page.get_by_label("Category")).to_be_visible()
    expect(page.get_by_text("Filters", exact=True)).to_be_hidden()
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_search_counts_and_offers_to_propose_what_it_did_not_find(browser, browser_context_args,
                                                                   site, accounts, javascript):
    page = _signed_in(browser, browser_context_args, site, accounts["patron"],
                      javascript=javascript)
    mode = "js-on" if javascript else "js-off"
    page.goto("/proposals")
    count = page.locator("#results-count")
    page.get_by_label("Search proposals").fill("science library")
    page.get_by_label("Search proposals").press("Enter")
    expect(count).to_have_text("1 proposal found")
    expect(page.locator(".proposal-row")).to_have_count(1)
    page.get_by_label("Search proposals").fill("more power sockets by the windows")
    page.get_by_label("Search proposals").press("Enter")
    expect(count).to_have_text("0 proposals found")
    page.screenshot(path=str(SCREENSHOTS / f"layout-search-none-{mode}-desktop.png"))
    page.get_by_role("link", name="Propose it").click()
    expect(page).to_have_url(re.compile(r"/proposals/new\?title="))
    expect(page.get_by_label("Title", exact=True)).to_have_value(
        "more power sockets by the windows")
    page.context.close()

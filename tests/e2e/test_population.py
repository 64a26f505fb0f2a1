"""Issue 21, item 7 in a real browser, with JavaScript on and off: an administrator enters the
term's population of a patron type, a wrong figure comes back with its message and what was
typed, and the dashboard then compares who takes part with the population."""
from playwright.sync_api import expect

from tests.e2e.conftest import Site, sign_in
from tests.e2e.test_first_use import axe, browse  # noqa: F401 - fixtures


def test_an_admin_enters_the_population_and_the_dashboard_compares_with_it(
        site: Site, browse, axe, javascript: bool):  # noqa: F811
    admin = site.add_account("Ada Population", "staff", role="admin")
    page = browse(axe=True)
    sign_in(page, admin)
    page.goto("/admin/population")
    undergraduates = page.get_by_label("Undergraduate", exact=True)
    undergraduates.fill("-40")
    page.get_by_role("button", name="Save").click()
    expect(undergraduates).to_have_value("-40")  # kept, with the reason beside it
    expect(page.locator("form[action^='/admin/population?term']")).to_contain_text(
        "Number must be at least 0")
    axe(page, "population, refused")

    undergraduates.fill("24000")
    page.get_by_label("Postgraduate", exact=True).fill("9000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Undergraduate", exact=True)).to_have_value("24000")
    page.goto("/staff/dashboard")
    expect(page.get_by_role("heading", name="Who takes part, against the population of")) \
        .to_be_visible()
    axe(page, "dashboard against the population")

    page.goto("/admin/population")  # empty again: the other journeys see the registered base
    page.get_by_label("Undergraduate", exact=True).fill("")
    page.get_by_label("Postgraduate", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    page.goto("/staff/dashboard")
    expect(page.get_by_role("heading", name="Who takes part, against who is registered")) \
        .to_be_visible()

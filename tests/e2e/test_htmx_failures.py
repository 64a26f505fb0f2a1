"""An htmx click that fails (the database restarting, a proxy's own error page, no answer at
all) tells the patron so in the page's flash region, and the page stays as it was."""
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.exc import OperationalError

from app.auth import services as accounts
from app.extensions import db
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category
from tests.e2e.conftest import Site
from tests.e2e.test_journeys import SUPPORT, htmx_ready, sign_in, support_count

FAILED = "That did not go through: the library did not answer. Please try again in a moment."


@pytest.fixture
def proposal_page(site: Site) -> str:
    patron = site.add_account("Hana Clicker")
    with site.app.app_context():
        staff = accounts.find_by_email(site.staff.email)
        author = accounts.find_by_email(site.patrons[0].email)
        item = proposals.create(
            author=author, title="Brighter lamps in the reading room",
            category_id=db.session.query(Category.id).order_by(Category.id).first()[0],
            branch_id=db.session.query(Branch.id).order_by(Branch.id).first()[0],
            problem="The lamps are dim.", suggestion="Brighter lamps.")
        lifecycle.transition(item, lifecycle.Action.PUBLISH, by=staff)
        db.session.commit()
        url = f"/proposals/{item.id}"
        db.session.remove()
    return url, patron


@pytest.mark.parametrize("viewport", ["desktop"])
@pytest.mark.parametrize("javascript", [True])
def test_a_support_click_that_fails_says_so_in_the_flash_region(page: Page, proposal_page,
                                                                monkeypatch):
    url, patron = proposal_page
    page.goto(f"/auth/login?next={url}")
    sign_in(page, patron.email)
    page.wait_for_url(f"**{url}")
    htmx_ready(page)
    page.evaluate("window.__marker = 1")

    def database_gone(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("terminating connection"))
    monkeypatch.setattr(proposals, "support", database_gone)
    with page.expect_response(lambda r: r.url.endswith("/support")) as answer:
        page.get_by_role("button", name=SUPPORT).click()
    assert answer.value.status == 503
    expect(page.locator("#flash")).to_contain_text("Please try again in a few seconds.")
    expect(support_count(page)).to_have_attribute("data-support-count", "0")
    monkeypatch.undo()

    page.route("**/support", lambda route: route.fulfill(
        status=502, content_type="text/html", body="<html><body>502 Bad Gateway</body></html>"))
    page.get_by_role("button", name=SUPPORT).click()
    expect(page.locator("#flash")).to_have_text(FAILED)
    expect(page.locator("main")).not_to_contain_text("Bad Gateway")

    page.unroute("**/support")
    page.evaluate("document.getElementById('flash').replaceChildren()")
    page.route("**/support", lambda route: route.abort("connectionrefused"))
    page.get_by_role("button", name=SUPPORT).click()
    expect(page.locator("#flash")).to_have_text(FAILED)
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"

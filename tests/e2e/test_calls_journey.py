"""A call for ideas in a real browser, JavaScript on and off: staff open a call, a patron
proposes into it, another supports the idea, the clock moves the call to its results, and the
closing summary shows."""
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from app import timeutil
from app.auth import services as accounts
from app.extensions import db
from app.proposals import lifecycle
from app.proposals.models import Proposal
from tests.e2e.conftest import Site, send_proposal, sign_in
from tests.e2e.test_journeys import SUPPORT, click_support_button, main_nav

SUMMARY = "Four group rooms will be built on floor 3 next term."


def _library_now() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, second=0, microsecond=0)


def _open_a_call(page: Page, title: str) -> None:
    page.goto("/calls")
    page.get_by_role("link", name="Open a call for ideas").click()
    page.get_by_label("Title in English").fill(title)
    page.get_by_label("Description in English").fill("What should the **new commons** offer?")
    start = _library_now() - timedelta(hours=1)
    for n, phase in enumerate(("Collecting ideas", "Supporting", "Staff reviewing", "Results")):
        begins, ends = start + timedelta(days=7 * n), start + timedelta(days=7 * (n + 1))
        page.get_by_label(f"{phase} from").fill(begins.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label(f"{phase} until").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closing summary in English").fill(SUMMARY)
    page.get_by_role("button", name="Save the call").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("#call-phase")).to_have_text("Collecting ideas")


def _publish(site: Site, title: str) -> None:
    """Staff publish it from the moderation queue (its own journey is tested elsewhere)."""
    with site.app.app_context():
        proposal = db.session.query(Proposal).filter_by(title=title).one()
        lifecycle.transition(proposal, lifecycle.Action.PUBLISH,
                             by=accounts.find_by_email(site.staff.email))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def later(monkeypatch):
    """Moves the clock every call reads, in the test's server too (the same process)."""
    def move(days: int) -> None:
        moment = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=days)
        monkeypatch.setattr(timeutil, "utcnow", lambda: moment)
    return move


def test_a_call_from_opening_to_its_results(page: Page, site: Site, javascript: bool, later,
                                            shot) -> None:
    suffix = uuid.uuid4().hex[:6]
    title, idea = f"Ideas for floor 3 {suffix}", f"Group rooms with whiteboards {suffix}"
    author = site.add_account("Cai Author")
    supporter = site.add_account("Sun Supporter", "postgraduate")

    sign_in(page, site.staff)
    _open_a_call(page, title)
    shot(page, "opened")
    main_nav(page).locator("details.account-menu > summary").click()
    main_nav(page).get_by_role("button", name="Sign out").click()

    sign_in(page, author)
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name="Propose an idea in this call").click()
    page.get_by_label("Title").fill(idea)
    page.get_by_label("What is not working?").fill("Groups meet in the stairwell, nowhere to talk.")
    page.get_by_label("What would you change?").fill("Four glass group rooms, bookable online.")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Library branch").select_option(index=1)
    send_proposal(page)
    expect(page.get_by_text("In the call for ideas")).to_be_visible()
    main_nav(page).locator("details.account-menu > summary").click()
    main_nav(page).get_by_role("button", name="Sign out").click()
    _publish(site, idea)

    sign_in(page, supporter)
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=idea).click()
    click_support_button(page, javascript, SUPPORT, 1)
    shot(page, "supported")

    later(22)  # the results phase
    page.goto("/calls")
    page.get_by_role("link", name=title).click()
    expect(page.locator("#call-phase")).to_have_text("Results")
    expect(page.get_by_role("heading", name="What the call brought")).to_be_visible()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    expect(page.get_by_role("link", name=idea)).to_be_visible()
    expect(page.get_by_role("link", name="Propose an idea in this call")).to_have_count(0)
    page.get_by_role("link", name=idea).click()
    expect(page.get_by_role("button", name=SUPPORT)).to_have_count(0)  # no more supports
    shot(page, "results")

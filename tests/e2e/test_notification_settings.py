"""Notification settings in a real browser, with JavaScript on and off: a patron ticks comment
news in the centre and new calls in every branch, saves, and the next comment on their
proposal shows in the centre with a link that leads to it."""
import re

from playwright.sync_api import expect

from app.auth import services as accounts
from app.extensions import db
from app.proposals import services as proposals
from app.proposals.models import Proposal
from tests.e2e.conftest import Site, sign_in
from tests.e2e.test_accessibility import assert_accessible
from tests.e2e.test_first_use import browse, published_proposal  # noqa: F401  fixtures


def test_a_patron_chooses_what_reaches_them_and_hears_of_a_comment(site: Site, browse,  # noqa: F811
                                                                  javascript: bool):
    patron = site.add_account("Ning Notify", "postgraduate")
    commenter = site.add_account("Cai Commenter")
    title = f"Quieter printers on floor two ({'js' if javascript else 'no js'})"
    number = published_proposal(site, patron, title)
    page = browse(axe=True)
    sign_in(page, patron)
    page.goto("/notifications/settings")
    comments_here = page.get_by_role("checkbox", name="Comments and replies: Here, in Commons")
    decisions_mail = page.get_by_role("checkbox",
                                      name="Decisions on proposals I follow: E-mail at once")
    expect(comments_here).not_to_be_checked()
    expect(decisions_mail).to_be_checked()
    if javascript:
        assert_accessible(page, "notification settings")
    comments_here.check()
    decisions_mail.uncheck()
    page.get_by_role("checkbox", name="Every branch").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    expect(comments_here).to_be_checked()
    expect(decisions_mail).not_to_be_checked()
    expect(page.get_by_role("checkbox", name="Every branch")).to_be_checked()

    with site.app.app_context():
        proposals.add_comment(db.session.get(Proposal, number),
                              author=accounts.find_by_email(commenter.email),
                              body="The printer by the stairs is the loudest.")
        db.session.commit()
        db.session.remove()
    page.goto("/notifications")
    news = page.locator("li.notification").filter(has_text=f"Someone commented on “{title}”.")
    expect(news).to_have_count(1)
    news.get_by_role("link", name="See the proposal").click()
    expect(page).to_have_url(re.compile(rf"/proposals/{number}$"))

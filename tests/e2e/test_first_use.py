"""Issue 21 in a real browser, with JavaScript on and off: withdrawing with a reason, comments
edited, deleted and answered, the back button after posting, the promise's progress."""
import pytest
from playwright.sync_api import Page, expect

from app.auth import services as accounts
from app.extensions import db
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category
from tests.e2e.conftest import VIEWPORTS, Account, Site, sign_in
from tests.e2e.test_accessibility import assert_accessible

AXE_SCRIPT = "node_modules/axe-core/axe.min.js"


@pytest.fixture
def axe(javascript: bool):
    """axe runs in the page: with JavaScript off it cannot (the pages are the same HTML)."""
    def check(page: Page, where: str) -> None:
        if javascript:
            assert_accessible(page, where)
    return check


@pytest.fixture
def browse(new_context, javascript: bool):
    def open_page(axe: bool = False) -> Page:
        context = new_context(java_script_enabled=javascript, viewport=VIEWPORTS["desktop"])
        context.set_default_timeout(10_000)
        if axe and javascript:
            context.add_init_script(path=AXE_SCRIPT)
        return context.new_page()
    return open_page


def published_proposal(site: Site, author: Account, title: str, comment_by: Account | None = None,
                       comment: str = "") -> int:
    with site.app.app_context():
        staff = accounts.find_by_email(site.staff.email)
        proposal = proposals.create(
            author=accounts.find_by_email(author.email), title=title,
            problem="The reading room's sockets on the third floor do not work.",
            suggestion="Repair them, and add a row of sockets by the windows.",
            category_id=db.session.query(Category.id).order_by(Category.id).first()[0],
            branch_id=db.session.query(Branch.id).order_by(Branch.id).first()[0])
        lifecycle.transition(proposal, lifecycle.Action.PUBLISH, by=staff)
        if comment_by is not None:
            proposals.add_comment(proposal, author=accounts.find_by_email(comment_by.email),
                                  body=comment)
        db.session.commit()
        number = proposal.id
        db.session.remove()
    return number


def test_an_author_withdraws_with_a_reason_and_the_proposal_stays_readable(
        site: Site, browse, axe, javascript: bool):
    author = site.add_account("Wu Withdraw", "postgraduate")
    title = f"Sockets by the windows ({'js' if javascript else 'no js'})"
    number = published_proposal(site, author, title)
    page = browse(axe=True)
    sign_in(page, author)
    page.goto(f"/proposals/{number}")
    page.get_by_role("link", name="Withdraw…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your proposal")
    axe(page, "the withdraw form")
    page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page.locator("#reason-error")).to_have_text("Choose why you withdraw the proposal.")
    page.get_by_label("Another reason").check()
    page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page.locator("#details-error")).to_contain_text("Please say in a few words")
    expect(page.get_by_label("Another reason")).to_be_checked()  # what was chosen is kept
    axe(page, "the withdraw form with errors")
    page.get_by_label("In your words (shown with the proposal)").fill(
        "The faculty library fixed its sockets, I study there now.")
    page.get_by_role("button", name="Withdraw the proposal").click()
    expect(page).to_have_url(f"{site.url}/proposals/{number}")
    expect(page.locator("#flash")).to_contain_text("Your proposal is withdrawn.")

    visitor = browse(axe=True)
    assert visitor.goto(f"/proposals/{number}").status == 200
    notice = visitor.locator("section.notice")
    expect(notice).to_contain_text("Withdrawn by its author")
    expect(notice).to_contain_text("Another reason")
    expect(notice).to_contain_text("The faculty library fixed its sockets")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
    axe(visitor, "a withdrawn proposal")


def test_comments_are_posted_once_edited_answered_and_deleted(site: Site, browse, axe,
                                                             javascript: bool):
    patron = site.add_account("Chen Comment", "undergraduate")
    other = site.add_account("Olga Other", "faculty")
    number = published_proposal(site, site.patrons[1], "Quieter air conditioning",
                                comment_by=other, comment="The fans are loud at night.")
    page = browse(axe=True)
    sign_in(page, patron)
    page.goto(f"/proposals/{number}")
    box = page.get_by_label("Your comment")
    box.fill("Agreed: the third floor is the worst.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#flash")).to_contain_text("Your comment is posted.")
    mine = page.locator(".comment").filter(has_text="Agreed: the third floor is the worst.")
    expect(mine).to_have_count(1)

    # The back button brings back an empty form, not the words just posted.
    page.go_back()
    expect(page.get_by_label("Your comment")).to_have_value("")

    page.goto(f"/proposals/{number}")
    mine = page.locator(".comment").filter(has_text="Agreed: the third floor is the worst.")
    mine.get_by_role("link", name="Edit your comment").click()
    axe(page, "the comment edit form")
    page.get_by_label("Your comment").fill("Agreed: the third and fourth floors are the worst.")
    page.get_by_role("button", name="Save comment").click()
    mine = page.locator(".comment").filter(has_text="the third and fourth floors")
    expect(mine).to_contain_text("edited")

    theirs = page.locator("li.comment").filter(has_text="The fans are loud at night.").first
    theirs.locator("summary").filter(has_text="Reply").click()
    theirs.get_by_label("Your reply").fill("Since the new units were fitted, yes.")
    theirs.get_by_role("button", name="Post reply").click()
    reply = page.locator(".comment-reply").filter(has_text="Since the new units were fitted")
    expect(reply).to_have_count(1)
    expect(reply.locator("summary").filter(has_text="Reply")).to_have_count(0)

    mine.get_by_role("button", name="Delete your comment").click()
    expect(page.locator("#flash")).to_contain_text("Your comment is deleted.")
    expect(page.locator("#comments")).to_contain_text("Comment deleted by its author.")
    expect(page.locator("#comments")).not_to_contain_text("third and fourth floors")
    axe(page, "a thread with a reply and a deleted comment")


def test_a_patron_follows_and_unfollows_a_proposal(site: Site, browse, axe, javascript: bool):
    reader = site.add_account("Fei Follow", "faculty")
    number = published_proposal(site, site.patrons[1], "Later opening on exam Sundays")
    page = browse()
    sign_in(page, reader)
    page.goto(f"/proposals/{number}")
    if javascript:
        page.wait_for_function("() => window.htmx !== undefined")
        page.evaluate("window.__marker = 1")
    follow = page.locator(f"#follow-{number}").get_by_role("button")
    expect(follow).to_have_text("Follow")
    follow.click()
    expect(follow).to_have_text("Following")
    expect(follow).to_have_attribute("aria-pressed", "true")
    if javascript:
        assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    else:
        expect(page.locator("#flash")).to_contain_text("You follow")
    follow.click()
    expect(follow).to_have_text("Follow")
    expect(follow).to_have_attribute("aria-pressed", "false")


def test_a_refused_merge_is_shown_in_the_queue_with_the_reason_kept(site: Site, browse, axe,
                                                                   javascript: bool):
    title = f"Alumni cards for the reading rooms ({'js' if javascript else 'no js'})"
    with site.app.app_context():
        proposal = proposals.create(
            author=accounts.find_by_email(site.patrons[0].email), title=title,
            problem="Alumni cannot enter the reading rooms without a day pass.",
            suggestion="Let the alumni card open the reading room gates.",
            category_id=db.session.query(Category.id).order_by(Category.id).first()[0],
            branch_id=db.session.query(Branch.id).order_by(Branch.id).first()[0])
        db.session.commit()
        number = proposal.id
        db.session.remove()
    page = browse(axe=True)
    sign_in(page, site.staff)
    page.goto("/staff/moderation")
    if javascript:
        page.wait_for_function("() => window.htmx !== undefined")
    item = page.locator(f"#item-{number}")
    item.locator("summary").filter(has_text="Merge into another proposal").click()
    item.get_by_label("Merge into proposal number").fill("999999")
    item.locator(f"#note-merge-{number}").fill("The same request as the alumni one.")
    item.get_by_role("button", name="Merge into another proposal").click()
    item = page.locator(f"#item-{number}")
    expect(item.get_by_role("alert")).to_have_text("There is no proposal with that number.")
    expect(item.get_by_label("Merge into proposal number")).to_have_value("999999")
    expect(item.locator(f"#note-merge-{number}")).to_have_value(
        "The same request as the alumni one.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
    axe(page, "the queue with a refused merge")

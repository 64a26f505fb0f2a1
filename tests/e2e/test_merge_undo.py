"""Issue 21 in a real browser: staff undo a merge from the merged proposal's page, with
JavaScript on and off; the dashboard's charts in both languages, at phone and desktop widths."""
import pytest
from playwright.sync_api import Page, expect

from app.auth import services as accounts
from app.extensions import db
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category, Proposal
from tests.e2e.conftest import VIEWPORTS, Site, sign_in
from tests.e2e.test_accessibility import AXE_SCRIPT, assert_accessible, assert_valid_html
from tests.e2e.test_first_use import axe, browse, published_proposal  # noqa: F401 - fixtures


def merged_pair(site: Site, suffix: str) -> tuple[int, int, str]:
    """A proposal with one supporter merged into another by staff; its title."""
    title = f"Power sockets at the east desks ({suffix})"
    source = published_proposal(site, site.patrons[0], title)
    target = published_proposal(site, site.patrons[1], f"More power sockets everywhere ({suffix})")
    account = site.add_account(f"Sam Support {suffix}")
    with site.app.app_context():
        supporter = accounts.find_by_email(account.email)
        source_row, target_row = (db.session.get(Proposal, n) for n in (source, target))
        proposals.support(source_row, supporter)
        lifecycle.merge(source_row, target_row, by=accounts.find_by_email(site.staff.email),
                        note="The same request.")
        db.session.commit()
        db.session.remove()
    return source, target, title


def test_staff_undo_a_merge_from_the_merged_proposals_page(site: Site, browse, axe,  # noqa: F811
                                                          javascript: bool, html_checker):
    source, target, title = merged_pair(site, "js" if javascript else "no js")
    page = browse(axe=True)
    sign_in(page, site.staff)
    page.goto(f"/proposals/{source}")
    if javascript:
        page.wait_for_function("() => window.htmx !== undefined")
    expect(page.get_by_text("This proposal was merged into")).to_be_visible()
    undo = page.get_by_role("button", name="Undo the merge")
    expect(undo).to_be_visible()
    axe(page, "a merged proposal, with the undo")
    assert_valid_html(html_checker, page.context.request.get(f"/proposals/{source}").text(),
                      "a merged proposal, with the undo")
    undo.click()
    expect(page.locator("#flash")).to_contain_text(
        "is undone; 1 support is back.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("This proposal was merged into")).to_have_count(0)
    expect(page.get_by_role("button", name="Undo the merge")).to_have_count(0)
    expect(page.locator(".proposal-head")).to_contain_text("1 supporter")
    axe(page, "the proposal after its merge was undone")
    page.goto(f"/proposals/{target}")
    expect(page.locator(".proposal-head")).to_contain_text("0 supporters")


def test_with_javascript_staff_merge_in_the_queue_and_undo_it_there(new_context, site: Site):
    """Without JavaScript the merged item leaves the queue: the undo is on the proposal's page
    (the journey above); with it, the item stays in place, merged, with the undo beside it."""
    title = "Quiet carrels by the stairs (queue)"
    with site.app.app_context():
        author = accounts.find_by_email(site.patrons[0].email)
        source = proposals.create(author=author, title=title, problem="No quiet places.",
                                  suggestion="Carrels by the stairs.",
                                  category_id=db.session.query(Category.id).first()[0],
                                  branch_id=db.session.query(Branch.id).first()[0])
        db.session.commit()
        number = source.id
        db.session.remove()
    target = published_proposal(site, site.patrons[1], "Carrels on every floor (queue)")
    context = new_context(viewport=VIEWPORTS["desktop"])
    context.set_default_timeout(10_000)
    context.add_init_script(path=AXE_SCRIPT)
    page = context.new_page()
    sign_in(page, site.staff)
    page.goto("/staff/moderation")
    page.wait_for_function("() => window.htmx !== undefined")
    item = page.locator(f"#item-{number}")
    item.locator("summary").filter(has_text="Merge into another proposal").click()
    item.get_by_label("Merge into proposal number").fill(str(target))
    item.locator(f"#note-merge-{number}").fill("The same request.")
    item.get_by_role("button", name="Merge into another proposal").click()
    expect(page.locator("#flash")).to_contain_text("Merged into")
    expect(item.get_by_role("button", name="Undo the merge")).to_be_visible()
    assert_accessible(page, "the queue with an item just merged")
    item.get_by_role("button", name="Undo the merge").click()
    expect(page.locator("#flash")).to_contain_text("is undone; 0 supports are back.")
    expect(item).to_contain_text("Awaiting moderation")
    expect(item.get_by_role("button", name="Undo the merge")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation")
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh_Hans"])
@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_dashboards_charts_state_their_units_and_pass_axe(
        new_context, site: Site, screenshots_dir, html_checker, lang: str, width: str):
    context = new_context(viewport=VIEWPORTS[width])
    context.set_default_timeout(10_000)
    context.add_init_script(path=AXE_SCRIPT)
    page: Page = context.new_page()
    sign_in(page, site.staff)
    context.add_cookies([{"name": "lang", "value": lang, "url": site.url}])
    page.goto("/staff/dashboard")
    units = page.locator(".chart-unit")
    expect(units).to_have_count(6)
    expect(page.locator(".chart-legend")).to_have_count(1)
    expect(units.first).to_contain_text("每" if lang == "zh_Hans" else "per")
    page.screenshot(path=str(screenshots_dir / f"dashboard-{lang}-{width}.png"), full_page=True)
    assert_accessible(page, f"the dashboard in {lang} at {width} width")
    assert_valid_html(html_checker, context.request.get("/staff/dashboard").text(),
                      f"the dashboard in {lang}")

"""A patron proposes with a photo and its description, with JavaScript on and off: a plain
multipart form, the photo shown on the proposal page with its alt text and size."""
import io
import re
import uuid

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site, sign_in
from tests.e2e.test_accessibility import AXE_SCRIPT, assert_accessible, assert_valid_html


def a_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 60, 40)).save(out, "JPEG")
    return out.getvalue()


def test_propose_with_a_photo(page: Page, site: Site, javascript: bool, shot) -> None:
    title = f"The lamp on floor 3 flickers {uuid.uuid4().hex[:6]}"
    if javascript:
        page.context.add_init_script(path=AXE_SCRIPT)
    sign_in(page, site.add_account("Pia Photographer"))
    page.goto("/proposals/new")
    page.get_by_label("Title").fill("Lamp")  # too short: refused, the photo kept
    page.get_by_label("What is not working?").fill(
        "The reading lamp at desk 12 on floor 3 flickers all evening.")
    page.get_by_label("What would you change?").fill(
        "Replace the lamp, and check the others on the same row.")
    page.get_by_label("Category").select_option(index=1)
    page.get_by_label("Library branch").select_option(index=1)
    page.get_by_label("Choose photos").set_input_files(
        files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}])
    if javascript:  # the preview, an enhancement only
        expect(page.locator("#photo-preview img")).to_have_count(1)
    page.get_by_label("Description of new photo 1").fill("A flickering desk lamp at desk 12")
    shot(page, "photo-chosen")
    page.get_by_role("button", name="Send for review").click()

    # Refused for its title: the photo is held, described, and need not be chosen again.
    expect(page.locator("#title-error")).to_contain_text("between 8 and 140")
    expect(page.get_by_label("Description of photo 1")).to_have_value(
        "A flickering desk lamp at desk 12")
    expect(page.get_by_label("Keep this photo")).to_be_checked()
    expect(page.get_by_role("img", name="A flickering desk lamp at desk 12")).to_be_visible()
    if javascript:
        assert_accessible(page, "the refused proposal form with a held photo")
    shot(page, "photo-held")
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Send for review").click()

    expect(page).to_have_url(re.compile(r"/proposals/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    photo = page.get_by_role("img", name="A flickering desk lamp at desk 12")
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("width", "480")
    expect(photo).to_have_attribute("height", "360")
    assert page.evaluate("(img) => img.naturalWidth", photo.element_handle()) == 480
    if javascript:
        assert_accessible(page, "the proposal page with its photo")
    shot(page, "proposal-with-photo")


# What the form's <progress> said as the upload went (read on window: after commons.js's own).
UPLOAD_SEEN = """window.addEventListener("htmx:xhr:progress", (event) => {
  const bar = event.detail.elt.querySelector(".upload-progress progress");
  if (bar) window.uploadSeen = {value: bar.value, shown: !bar.parentElement.hidden};
});"""


def a_project(site: Site) -> int:
    """A project of its own, under way, led by the site's member of staff."""
    from datetime import date

    from app.auth import services as accounts
    from app.extensions import db
    from app.projects import services as projects
    from app.proposals import services as proposals
    from app.proposals.models import Branch, Category, Status

    with site.app.app_context():
        staff = accounts.find_by_email(site.staff.email)
        proposal = proposals.create(
            author=staff, title=f"Brighter lamps in the east room {uuid.uuid4().hex[:6]}",
            problem="The east reading room is too dark after sunset for small print.",
            suggestion="Replace the ceiling lamps with brighter ones.",
            category_id=db.session.query(Category.id).order_by(Category.id).first()[0],
            branch_id=db.session.query(Branch.id).order_by(Branch.id).first()[0])
        proposal.status = Status.ACCEPTED.value
        project = projects.start(proposal, by=staff, goal="Brighter lamps over every table.",
                                 volunteer_tasks="Tell us which tables are still dark.",
                                 places=3, starts_on=date.today())
        db.session.commit()
        project_id = project.id
        db.session.remove()
    return project_id


def test_a_project_update_with_a_photo(page: Page, site: Site, javascript: bool, shot) -> None:
    """Staff post a project update with a photo: refused for its text, the photo is held; sent
    again, the update shows the photo with its description. With htmx, the form is sent by it
    (a preview first, the upload's progress), without JavaScript it is the plain form."""
    project_id = a_project(site)
    if javascript:
        page.context.add_init_script(path=AXE_SCRIPT)
        page.context.add_init_script(UPLOAD_SEEN)
    sign_in(page, site.staff)
    page.goto(f"/projects/{project_id}")
    page.get_by_label("Project update").fill("Lamp")  # too short: refused, the photo kept
    page.get_by_label("Choose photos").set_input_files(
        files=[{"name": "lamps.jpg", "mimeType": "image/jpeg", "buffer": a_photo()}])
    if javascript:
        expect(page.locator("#photo-preview img")).to_have_count(1)
    page.get_by_label("Description of new photo 1").fill("New lamps over the long table")
    page.get_by_role("button", name="Post update").click()

    expect(page.locator("#body-error")).to_be_visible()
    expect(page.get_by_label("Description of photo 1")).to_have_value(
        "New lamps over the long table")
    expect(page.get_by_label("Keep this photo")).to_be_checked()
    if javascript:  # sent by htmx, the upload's progress shown; the refusal came back in place
        assert page.evaluate("window.uploadSeen") == {"value": 100, "shown": True}
        expect(page.locator("form[data-upload]")).not_to_have_attribute("aria-busy", "true")
        assert_accessible(page, "the refused project update with a held photo")
    shot(page, "update-photo-held")
    page.get_by_label("Project update").fill("The new lamps are in: every table is bright.")
    page.get_by_role("button", name="Post update").click()

    expect(page).to_have_url(re.compile(rf"/projects/{project_id}$"))
    expect(page.locator(".flash")).to_contain_text("The update is posted")
    photo = page.get_by_role("img", name="New lamps over the long table")
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("width", "480")
    if javascript:
        assert_accessible(page, "the project page with an update's photo")
    shot(page, "update-with-photo")


def a_proposal_with_a_photo(site: Site, description: str) -> tuple[int, int]:
    """An open proposal of a patron of its own, with one described photo stored as uploads are;
    its number and the photo's."""
    from werkzeug.datastructures import FileStorage

    from app.auth import services as accounts
    from app.extensions import db
    from app.media import services as media
    from app.proposals import services as proposals
    from app.proposals.models import Branch, Category, Status

    author = site.add_account("Oren Owner")
    with site.app.app_context():
        owner = accounts.find_by_email(author.email)
        proposal = proposals.create(
            author=owner, title=f"A broken socket at the window desks {uuid.uuid4().hex[:6]}",
            problem="The socket under the third window desk is loose and sparks.",
            suggestion="Repair it and check the other sockets along the windows.",
            category_id=db.session.query(Category.id).order_by(Category.id).first()[0],
            branch_id=db.session.query(Branch.id).order_by(Branch.id).first()[0])
        proposal.status = Status.OPEN.value
        photos = media.take(media.PhotoChoice(
            files=[FileStorage(io.BytesIO(a_photo()), "socket.jpg")],
            descriptions=[description]), owner=owner)
        media.attach(photos, proposal.id)
        db.session.commit()
        ids = proposal.id, photos[0].id
        db.session.remove()
    return ids


def test_a_patron_flags_a_photo_staff_hide_it(page: Page, site: Site, javascript: bool,
                                              shot, html_checker) -> None:
    """A patron flags one photo of a proposal; staff find it in the queue, its thumbnail and
    description beside who flagged it and why, and hide that photo: visitors still read the
    proposal, without the photo. The pages as sent are valid HTML (checked once, without
    JavaScript)."""
    description = f"A loose socket with a student's name tag {uuid.uuid4().hex[:4]}"
    proposal_id, photo_id = a_proposal_with_a_photo(site, description)
    if javascript:
        page.context.add_init_script(path=AXE_SCRIPT)
    sign_in(page, site.add_account("Fay Flagger"))
    page.goto(f"/proposals/{proposal_id}")
    if not javascript:
        assert_valid_html(html_checker, page.request.get(f"/proposals/{proposal_id}").text(),
                          "a proposal page with a photo's flag form")
    under_photo = page.locator(f"#photo-{photo_id}")
    under_photo.get_by_text("Flag this photo").click()
    under_photo.get_by_label("Reveals personal information").check()
    under_photo.get_by_label("Anything staff should know (optional)").fill("A name is readable")
    if javascript:
        assert_accessible(page, "the proposal page with a photo's flag form open")
    under_photo.get_by_role("button", name="Send to library staff").click()
    expect(page.locator(".flash")).to_contain_text("Library staff will look at it")
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal_id}(#photos)?$"))
    shot(page, "photo-flagged")

    page.context.clear_cookies()
    sign_in(page, site.staff)
    page.goto("/staff/moderation#flagged")
    item = page.locator("#flagged li.queue-item").filter(
        has=page.get_by_role("img", name=description))
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Photo on proposal")
    expect(item).to_contain_text("Fay Flagger")
    expect(item).to_contain_text("A name is readable")
    if javascript:
        assert_accessible(page, "the moderation queue with a flagged photo")
    else:
        assert_valid_html(html_checker, page.request.get("/staff/moderation").text(),
                          "the moderation queue with a flagged photo")
    shot(page, "flagged-photo-in-queue")
    item.get_by_role("button", name="Hide this photo").click()
    expect(page.locator(".flash")).to_contain_text("The photo is hidden")
    expect(page.get_by_role("img", name=description)).to_have_count(0)

    page.context.clear_cookies()
    page.goto(f"/proposals/{proposal_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("A broken socket")
    expect(page.get_by_role("img", name=description)).to_have_count(0)
    assert page.request.get(f"/uploads/{photo_id}/thumb").status == 404

"""A patron proposes with a photo and its description, with JavaScript on and off: a plain
multipart form, the photo shown on the proposal page with its alt text and size."""
import io
import re
import uuid

from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site, sign_in
from tests.e2e.test_accessibility import AXE_SCRIPT, assert_accessible


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

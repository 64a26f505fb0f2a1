"""A workshop from end to end in a real browser, with JavaScript on (htmx) and off (plain forms):
staff schedule it, a patron registers, staff take attendance at the door, publish the minutes,
and the patron's recognition page shows the hours."""
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.timeutil import library_time, utcnow
from app.workshops.models import Workshop
from tests.e2e.conftest import Site, sign_in
from tests.e2e.test_journeys import htmx_ready, main_nav


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture
def page(new_context, javascript: bool):
    context = new_context(java_script_enabled=javascript,
                          viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    return context.new_page()


def sign_out(page: Page) -> None:
    main_nav(page).locator("details.account-menu > summary").click()
    main_nav(page).get_by_role("button", name="Sign out").click()
    expect(main_nav(page).get_by_role("link", name="Sign in")).to_be_visible()


def local(moment) -> str:
    return f"{library_time(moment):%Y-%m-%dT%H:%M}"


def test_schedule_register_attend_minutes_recognition(page: Page, site: Site, javascript: bool):
    title = f"Makerspace design sprint {uuid.uuid4().hex[:6]}"
    patron = site.add_account("Mei Maker", "undergraduate")
    start = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)

    # Staff schedule the workshop (two hours) on the library's clock.
    sign_in(page, site.staff)
    page.goto("/workshops/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Sketch the new makerspace together.")
    page.get_by_label("Starts").fill(local(start))
    page.get_by_label("Ends").fill(local(start + timedelta(hours=2)))
    page.get_by_label("Branch").select_option(index=1)
    page.get_by_label("Room (optional)").fill("Room 301")
    page.get_by_label("Places").fill("8")
    page.get_by_label("Registration opens").fill(local(utcnow() - timedelta(days=1)))
    page.get_by_label("Registration closes").fill(local(start - timedelta(hours=1)))
    page.get_by_role("button", name="Schedule the workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("8 of 8 places left")).to_be_visible()
    workshop_url = page.url
    sign_out(page)

    # The patron registers (htmx swaps the box in place; without JavaScript, a redirect).
    sign_in(page, patron)
    page.goto(workshop_url)
    if javascript:
        htmx_ready(page)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered", exact=True)).to_be_visible()
    expect(page.get_by_text("7 of 8 places left")).to_be_visible()
    sign_out(page)

    # Time passes: the workshop has taken place.
    with site.app.app_context():
        workshop = db.session.query(Workshop).filter_by(title=title).one()
        workshop.starts_at -= timedelta(days=4)
        workshop.ends_at -= timedelta(days=4)
        workshop.opens_at -= timedelta(days=4)
        workshop.closes_at -= timedelta(days=4)
        db.session.commit()
        db.session.remove()

    # Staff take attendance on a phone: search, then one tap on the name.
    sign_in(page, site.staff)
    page.goto(workshop_url)
    page.get_by_role("link", name="Take attendance").click()
    page.get_by_label("Find a name").fill("Mei")
    page.get_by_role("button", name="Find").click()
    if javascript:
        htmx_ready(page)
    page.get_by_role("button", name="Mei Maker — mark present").click()
    expect(page.get_by_role("button", name="Mei Maker — present")).to_have_attribute(
        "aria-pressed", "true")

    # Staff publish the minutes.
    page.goto(workshop_url)
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_label("Minutes").fill("We chose **three** zones and a booking rule.")
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.locator("#minutes strong")).to_have_text("three")
    sign_out(page)

    # The patron's recognition page lists the workshop and its two hours.
    sign_in(page, patron)
    page.goto("/account/recognition")
    row = page.get_by_role("row", name=title)
    expect(row).to_contain_text("2")
    expect(page.get_by_role("definition").nth(2)).to_have_text("2")

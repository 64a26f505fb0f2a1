"""The calendar files parse back with icalendar, on the library's clock across a change of
summer time, with a SEQUENCE that rises when staff move a workshop; the private feed."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from app.extensions import db
from app.timeutil import from_library_time
from app.workshops import services


@pytest.fixture
def london(app):
    """A library in a zone with summer time (Shanghai has none): clocks go forward at 01:00
    on 29 March 2026."""
    was = app.config["LIBRARY_TIMEZONE"]
    app.config["LIBRARY_TIMEZONE"] = "Europe/London"
    yield ZoneInfo("Europe/London")
    app.config["LIBRARY_TIMEZONE"] = was


def events_of(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def schedule_at(staff, starts: datetime, ends: datetime, **fields):
    workshop = services.schedule(services.Plan(
        title="Walk-through of the quiet floor", description="Walk the quiet floor together.",
        starts_at=from_library_time(starts), ends_at=from_library_time(ends), places=5,
        opens_at=from_library_time(starts - timedelta(days=20)),
        closes_at=from_library_time(starts), online_url="https://meet.example.edu/quiet",
        **fields), by=staff)
    db.session.commit()
    return workshop


def test_the_ics_shows_the_local_time_on_both_sides_of_a_clock_change(client, staff, london):
    before = schedule_at(staff, datetime(2026, 3, 28, 10, 0), datetime(2026, 3, 28, 12, 0))
    after = schedule_at(staff, datetime(2026, 3, 30, 10, 0), datetime(2026, 3, 30, 12, 0))
    across = schedule_at(staff, datetime(2026, 3, 29, 0, 30), datetime(2026, 3, 29, 3, 0))
    assert before.starts_at == datetime(2026, 3, 28, 10, 0)  # GMT: UTC+0
    assert after.starts_at == datetime(2026, 3, 30, 9, 0)  # BST: UTC+1
    for workshop, local_start in ((before, datetime(2026, 3, 28, 10, 0)),
                                  (after, datetime(2026, 3, 30, 10, 0))):
        response = client.get(f"/workshops/{workshop.id}.ics")
        assert response.status_code == 200 and response.mimetype == "text/calendar"
        calendar = Calendar.from_ical(response.data)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        [event] = calendar.walk("VEVENT")
        start = event.decoded("DTSTART")
        assert start.replace(tzinfo=None) == local_start
        assert start.utcoffset() == (timedelta(hours=1) if local_start.day == 30
                                     else timedelta(0))
        assert event["DTSTART"].params["TZID"] == "Europe/London"
    [event] = events_of(client.get(f"/workshops/{across.id}.ics").data)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, end.hour) == (0, 3) and end.timestamp() - start.timestamp() == 90 * 60


def test_a_moved_workshop_has_a_higher_sequence_and_the_same_uid(client, staff, make_workshop):
    workshop = make_workshop()
    [first] = events_of(client.get(f"/workshops/{workshop.id}.ics").data)
    later = workshop.starts_at + timedelta(hours=3)
    services.edit(workshop, services.Plan(
        title=workshop.title, description=workshop.description, starts_at=later,
        ends_at=later + timedelta(hours=2), places=workshop.places, opens_at=workshop.opens_at,
        closes_at=workshop.closes_at, branch_id=workshop.branch_id), by=staff)
    db.session.commit()
    [moved] = events_of(client.get(f"/workshops/{workshop.id}.ics").data)
    assert moved["UID"] == first["UID"]
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])


def test_the_online_link_is_only_in_a_registered_patrons_file(client, login, staff, make_user):
    start = datetime.now() + timedelta(days=3)
    workshop = schedule_at(staff, start, start + timedelta(hours=1))
    workshop.opens_at = workshop.opens_at - timedelta(days=30)
    db.session.commit()
    assert b"meet.example.edu" not in client.get(f"/workshops/{workshop.id}.ics").data
    patron = make_user()
    services.register(workshop, patron)
    login(patron)
    assert b"meet.example.edu" in client.get(f"/workshops/{workshop.id}.ics").data


def test_the_private_feed_gives_only_that_patrons_workshops_until_reset(
        client, login, make_user, make_workshop):
    mine, theirs, unrelated = (make_workshop() for _ in range(3))
    patron, other = make_user(), make_user()
    services.register(mine, patron)
    services.register(theirs, other)
    token = services.feed_token(patron)
    db.session.commit()
    response = client.get(f"/workshops/feed/{token}.ics")
    assert response.status_code == 200
    uids = {str(event["UID"]) for event in events_of(response.data)}
    assert uids == {f"workshop-{mine.id}@commons.library"}
    login(patron)
    page = client.get("/workshops/calendar")
    assert token in page.text
    assert client.post("/workshops/calendar").status_code == 303
    assert client.get(f"/workshops/feed/{token}.ics").status_code == 404
    db.session.expire_all()
    fresh = services.feed_token(patron)
    assert fresh != token
    assert client.get(f"/workshops/feed/{fresh}.ics").status_code == 200
    assert client.get("/workshops/feed/not-a-token.ics").status_code == 404

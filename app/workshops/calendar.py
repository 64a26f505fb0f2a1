"""iCalendar files of workshops (RFC 5545, through the `icalendar` library): times on the
library's clock with its VTIMEZONE, a UID stable per workshop, and a SEQUENCE that rises each time
staff move or cancel it, so calendars replace the event they already hold."""
from datetime import timezone

from flask import current_app
from icalendar import Calendar, Event

from app.links import public_url
from app.timeutil import library_time
from app.workshops.models import Workshop


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Commons//Library workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(workshop: Workshop, *, with_link: bool) -> Event:
    event = Event()
    host = current_app.config.get("CALENDAR_UID_DOMAIN", "commons.library")
    event.add("uid", f"workshop-{workshop.id}@{host}")
    event.add("sequence", workshop.sequence)
    event.add("dtstamp", workshop.updated_at.replace(tzinfo=timezone.utc))
    event.add("dtstart", library_time(workshop.starts_at))
    event.add("dtend", library_time(workshop.ends_at))
    event.add("summary", workshop.title)
    url = public_url("workshops.detail", workshop_id=workshop.id)
    event.add("url", url)
    description = workshop.description
    if with_link and workshop.online_url:
        description += "\n\n" + workshop.online_url
    event.add("description", f"{description}\n\n{url}")
    where = ", ".join(part for part in (workshop.branch.name if workshop.branch else "",
                                        workshop.room) if part)
    if with_link and workshop.online_url:
        where = ", ".join(part for part in (where, workshop.online_url) if part)
    if where:
        event.add("location", where)
    event.add("status", "CANCELLED" if workshop.is_cancelled else "CONFIRMED")
    return event


def ics(workshops: list[Workshop], *, name: str, with_link_for: set[int] = frozenset()) -> bytes:
    """One calendar of these workshops; the online link only in those of `with_link_for`."""
    calendar = _calendar(name)
    for workshop in workshops:
        calendar.add_component(_event(workshop, with_link=workshop.id in with_link_for))
    calendar.add_missing_timezones()
    return calendar.to_ical()

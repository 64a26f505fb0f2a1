"""Times are stored as naive UTC, the same on SQLite and PostgreSQL; people read them in the
library's time zone (the LIBRARY_TIMEZONE setting, Asia/Shanghai by default). A day a person
means (a due date, a day on the dashboard) is the library's day, not UTC's."""
import os
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Shanghai"


def utcnow() -> datetime:
    """Naive UTC: the same values on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def zone_name() -> str:
    """The app's setting; outside an app (the job worker's scheduler), the environment's."""
    if has_app_context():
        return current_app.config.get("LIBRARY_TIMEZONE") or DEFAULT_ZONE
    return os.environ.get("LIBRARY_TIMEZONE") or DEFAULT_ZONE


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def library_zone() -> ZoneInfo:
    return _zone(zone_name())


def library_time(moment: datetime) -> datetime:
    """A stored (naive UTC) moment as the library's clock shows it, with its zone."""
    return moment.replace(tzinfo=timezone.utc).astimezone(library_zone())


def library_day(moment: datetime) -> date:
    """The library's date at a stored moment: 17:00 UTC is already tomorrow in Shanghai."""
    return library_time(moment).date()


def library_today() -> date:
    return library_day(utcnow())


def start_of_library_day(day: date) -> datetime:
    """The stored (naive UTC) moment at which the library's `day` begins."""
    local = datetime.combine(day, time.min, tzinfo=library_zone())
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def end_of_library_day(day: date) -> datetime:
    """The last second of the library's `day`, stored as naive UTC: a promise "by 7 December"
    holds until the library's midnight, wherever the server's clock is."""
    return start_of_library_day(day + timedelta(days=1)) - timedelta(seconds=1)


def from_library_time(local: datetime) -> datetime:
    """A moment a person entered on the library's clock (naive), stored as naive UTC."""
    return local.replace(tzinfo=library_zone()).astimezone(timezone.utc).replace(tzinfo=None)

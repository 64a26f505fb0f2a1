"""Calls for ideas: staff open and change them. Flush and announce, never commit."""
from flask_babel import gettext as _

from app import events
from app.auth.models import User
from app.calls import policies
from app.domain import Refused
from app.extensions import db
from app.proposals.calls import PHASES, Call
from app.timeutil import from_library_time, utcnow

TEXTS = ("title_en", "title_zh", "description_en", "description_zh", "summary_en", "summary_zh")
PLACES = ("branch_id", "category_id")
MOMENTS = tuple(name for _phase, starts, ends in PHASES for name in (starts, ends))


def _checked(fields: dict) -> dict:
    """The call's values as stored: texts trimmed, moments from the library's clock to UTC;
    a title in at least one language, and each phase ending after it starts and starting no
    earlier than the one before it ends."""
    values = {name: (fields.get(name) or "").strip() for name in TEXTS}
    values |= {name: fields.get(name) for name in PLACES}
    values |= {name: from_library_time(fields[name]) for name in MOMENTS}
    if not (values["title_en"] or values["title_zh"]):
        raise Refused(_("Give the call a title, in English or in Chinese."), field="title_en")
    previous_end = None
    for _phase, starts, ends in PHASES:
        if values[ends] <= values[starts]:
            raise Refused(_("A phase must end after it starts."), field=ends)
        if previous_end is not None and values[starts] < previous_end:
            raise Refused(_("A phase cannot start before the one before it ends."), field=starts)
        previous_end = values[ends]
    return values


def create(*, by: User, **fields) -> Call:
    if not policies.can_manage(by):
        raise Refused(_("Only library staff can open a call for ideas."))
    now = utcnow()
    call = Call(**_checked(fields), created_by_id=by.id, created_at=now, updated_at=now)
    db.session.add(call)
    db.session.flush()
    events.call_created.send(call, by=by)
    return call


def edit(call: Call, *, by: User, **fields) -> list[str]:
    """Returns the names of what changed; nothing changed is no change (no event)."""
    if not policies.can_manage(by, call):
        raise Refused(_("Only library staff can change a call for ideas."))
    changed = [name for name, value in _checked(fields).items() if getattr(call, name) != value]
    if not changed:
        return []
    for name, value in _checked(fields).items():
        setattr(call, name, value)
    call.updated_at = utcnow()
    db.session.flush()
    events.call_changed.send(call, by=by, changed=changed)
    return changed

"""What system owners change: roles, suspensions, settings, categories and branches."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import events, settings
from app.admin import policies
from app.auth import services as accounts
from app.auth.models import PatronType, Role, User
from app.domain import Refused
from app.extensions import db
from app.insight.models import Population
from app.proposals.models import Branch, Category
from app.terms import Term

SETTING_LIMITS = {"response_threshold": (1, 100000), "response_days": (1, 365),
                  "flag_threshold": (1, 1000)}


def _admin_only(user: User) -> None:
    if not policies.can_configure(user):
        raise Refused(_("Only administrators can do that."))


def change_role(user: User, *, role: str, by: User) -> None:
    if not policies.can_change_role(by):
        raise Refused(_("Only administrators can do that."))
    if not policies.can_change_role(by, user):
        raise Refused(_("You cannot change your own role."), field="role")
    if role not in {r.value for r in Role}:
        raise Refused(_("Not a valid choice."), field="role")
    accounts.set_role(user, role)  # also ends the user's sessions
    db.session.flush()
    events.role_changed.send(user, by=by, role=role)


def suspend(user: User, *, until: datetime, reason: str, by: User, now: datetime) -> None:
    """Staff may suspend patrons; the person can still read and take or delete their data."""
    if not policies.can_suspend(by, user):
        raise Refused(_("You cannot suspend this account."))
    if until <= now:
        raise Refused(_("Choose a date in the future."), field="until")
    if not reason.strip():
        raise Refused(_("Please give a reason: the patron will read it."), field="reason")
    user.suspended_until, user.suspension_reason = until, reason.strip()[:500]
    db.session.flush()
    events.account_suspended.send(user, by=by, until=until, reason=reason.strip())


def lift_suspension(user: User, *, by: User) -> None:
    if not policies.can_lift_suspension(by, user):
        raise Refused(_("Only library staff can do that."))
    user.suspended_until = user.suspension_reason = None
    db.session.flush()
    events.suspension_lifted.send(user, by=by)


def save_settings(values: dict[str, int], *, by: User) -> None:
    _admin_only(by)
    changed = []
    for key, value in values.items():
        low, high = SETTING_LIMITS[key]
        if not low <= value <= high:
            raise Refused(_("Enter a number from %(low)d to %(high)d.", low=low, high=high),
                          field=key)
        if value != settings.get(key):
            changed.append(f"{key}={value}")
            settings.put(key, value)
    if changed:
        events.settings_changed.send(by, changed=changed)


def save_place(model: type[Category] | type[Branch], *, slug: str, name_en: str, name_zh: str,
               by: User, existing: Category | Branch | None = None) -> Category | Branch:
    """Add or rename a category or branch (their slugs stay: links and feeds use them)."""
    _admin_only(by)
    if existing is None:
        if db.session.scalar(select(model).where(model.slug == slug)):
            raise Refused(_("That short name is taken."), field="slug")
        existing = model(slug=slug, name_en="", name_zh="", position=999)
        db.session.add(existing)
    existing.name_en, existing.name_zh = name_en.strip(), name_zh.strip()
    db.session.flush()
    events.place_saved.send(existing, by=by)
    return existing


def save_population(term: Term, people: dict[str, int | None], *, by: User) -> None:
    """The term's population by patron type, from the university's enrolment and staff
    figures; None clears a type's figure."""
    _admin_only(by)
    changed = []
    for kind in PatronType:
        if kind.value not in people:
            continue
        value = people[kind.value]
        if value is not None and value < 0:
            raise Refused(_("Enter a number of people, 0 or more."), field=kind.value)
        row = db.session.get(Population, (term.code, kind.value))
        if (row.people if row else None) == value:
            continue
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(Population(term=term.code, patron_type=kind.value, people=value))
        else:
            row.people = value
        changed.append(f"{kind.value}={'' if value is None else value}")
    db.session.flush()
    if changed:
        events.population_saved.send(by, term=term.code, changed=changed)

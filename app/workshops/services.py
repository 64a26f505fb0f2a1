"""Workshops and their registrations: the rules. Flush, never commit."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, select
from sqlalchemy.exc import IntegrityError

from app import events, places
from app.auth.models import PatronType, User
from app.domain import Refused
from app.extensions import db
from app.projects.models import Indicator, Milestone
from app.proposals.models import Proposal
from app.timeutil import utcnow
from app.workshops import policies
from app.workshops.models import CalendarFeed, Came, Registration, Seat, Workshop, WorkshopLink

CHECK_IN_EARLY = timedelta(hours=1)


@dataclass
class Plan:
    """What staff enter for a workshop; times are naive UTC."""
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    places: int
    opens_at: datetime
    closes_at: datetime
    project_id: int | None = None
    call_id: int | None = None
    branch_id: int | None = None
    room: str = ""
    online_url: str = ""
    patron_types: tuple[str, ...] = ()
    question: str = ""


def _allowed(permitted: bool) -> None:
    if not permitted:
        raise Refused(_("Only library staff can do that."))


def _check(plan: Plan) -> None:
    if plan.ends_at <= plan.starts_at:
        raise Refused(_("The workshop must end after it starts."), field="ends_at")
    if plan.closes_at <= plan.opens_at:
        raise Refused(_("Registration must close after it opens."), field="closes_at")
    if plan.closes_at > plan.starts_at:
        raise Refused(_("Registration must close by the time the workshop starts."),
                      field="closes_at")
    if plan.project_id is not None and plan.call_id is not None:
        raise Refused(_("A workshop belongs to a call or to a project, not to both."),
                      field="call_id")
    if plan.branch_id is None and not plan.online_url.strip():
        raise Refused(_("Give a branch or an online link."), field="branch_id")
    unknown = set(plan.patron_types) - {kind.value for kind in PatronType}
    if unknown:
        raise Refused(_("Choose patron types from the list."), field="patron_types")


def _apply(workshop: Workshop, plan: Plan) -> None:
    workshop.title = plan.title.strip()
    workshop.description = plan.description.strip()
    workshop.starts_at, workshop.ends_at = plan.starts_at, plan.ends_at
    workshop.places = plan.places
    workshop.opens_at, workshop.closes_at = plan.opens_at, plan.closes_at
    workshop.project_id, workshop.branch_id = plan.project_id, plan.branch_id
    workshop.call_id = plan.call_id
    workshop.room, workshop.online_url = plan.room.strip(), plan.online_url.strip()
    workshop.patron_types = ",".join(sorted(set(plan.patron_types)))
    workshop.question = plan.question.strip()


def schedule(plan: Plan, *, by: User) -> Workshop:
    _allowed(policies.can_schedule(by))
    _check(plan)
    workshop = Workshop(created_by_id=by.id, check_in_code=new_check_in_code())
    _apply(workshop, plan)
    db.session.add(workshop)
    db.session.flush()
    events.workshop_scheduled.send(workshop, by=by)
    return workshop


def new_check_in_code() -> str:
    """Six letters and digits shown in the room, without look-alikes (0/O, 1/I)."""
    return "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))


def edit(workshop: Workshop, plan: Plan, *, by: User) -> bool:
    """Change a workshop; a change of its times is a move (SEQUENCE rises, everyone is told).
    Fewer places than are taken is refused: nobody loses a place they were given."""
    _allowed(policies.can_edit(by, workshop))
    _check(plan)
    if plan.places < workshop.registered:
        raise Refused(_("%(n)d patrons are registered: keep at least that many places.",
                        n=workshop.registered), field="places")
    moved = (plan.starts_at, plan.ends_at) != (workshop.starts_at, workshop.ends_at)
    added = plan.places - workshop.places
    _apply(workshop, plan)
    if moved:
        workshop.sequence += 1
    workshop.updated_at = utcnow()
    db.session.flush()
    for _place in range(max(added, 0)):  # new places go to those waiting, in order
        if _promote_into_free_place(workshop) is None:
            break
    events.workshop_changed.send(workshop, by=by, moved=moved)
    return moved


def _promote_into_free_place(workshop: Workshop) -> Registration | None:
    if not places.claim(workshop, Workshop.registered, Workshop.places):
        return None
    promoted = _promote_next(workshop)
    if promoted is None:
        places.release(workshop, Workshop.registered)
    return promoted


def cancel_workshop(workshop: Workshop, *, by: User, reason: str = "") -> None:
    _allowed(policies.can_edit(by, workshop))
    workshop.cancelled_at = utcnow()
    workshop.cancel_reason = reason.strip()
    workshop.sequence += 1
    workshop.updated_at = utcnow()
    db.session.flush()
    events.workshop_cancelled.send(workshop, by=by, reason=workshop.cancel_reason)


def registration_refusal(workshop: Workshop, user, now: datetime | None = None) -> str | None:
    """Why this patron may not register now, in words they can read; None if they may."""
    now = now or utcnow()
    if workshop.is_cancelled:
        return _("This workshop is cancelled.")
    if now < workshop.opens_at:
        return _("Registration has not opened yet.")
    if now >= workshop.closes_at or now >= workshop.starts_at:
        return _("Registration has closed.")
    invited = workshop.invited_types
    if invited and user.patron_type not in {kind.value for kind in invited}:
        return _("This workshop is for %(types)s only.",
                 types=", ".join(kind.label for kind in invited))
    return None


def register(workshop: Workshop, user: User, *, answer: str = "") -> Seat:
    """A free place, or the next one on the waiting list; never over-filled (app/places.py)."""
    refusal = registration_refusal(workshop, user)
    if refusal:
        raise Refused(refusal)
    if db.session.scalar(select(exists().where(Registration.workshop_id == workshop.id,
                                               Registration.user_id == user.id))):
        raise Refused(_("You have already registered for this workshop."))
    seat = (Seat.REGISTERED if places.claim(workshop, Workshop.registered, Workshop.places)
            else Seat.WAITING)
    registration = Registration(workshop_id=workshop.id, user_id=user.id, state=seat.value,
                                answer=answer.strip()[:1000] if workshop.question else "")
    try:
        with db.session.begin_nested():
            db.session.add(registration)
    except IntegrityError:
        raise Refused(_("You have already registered for this workshop.")) from None
    db.session.refresh(workshop)
    _touched(workshop)
    events.workshop_registered.send(registration, workshop=workshop, by=user, seat=seat)
    return seat


def cancel_registration(workshop: Workshop, user: User) -> None:
    """Up to the start; a freed place goes to the first waiting, who is told."""
    if workshop.starts_at <= utcnow():
        raise Refused(_("The workshop has started: registrations can no longer be cancelled."))
    state = db.session.scalar(
        delete(Registration).where(Registration.workshop_id == workshop.id,
                                   Registration.user_id == user.id)
        .returning(Registration.state))
    if state is None:
        raise Refused(_("You are not registered for this workshop."))
    promoted = None
    if state == Seat.REGISTERED.value:
        promoted = _promote_next(workshop)
        if promoted is None:
            places.release(workshop, Workshop.registered)
    db.session.refresh(workshop)
    _touched(workshop)
    events.workshop_registration_cancelled.send(workshop, by=user, promoted=promoted)


def _touched(workshop: Workshop) -> None:
    """Its places changed: the API's Last-Modified moves."""
    workshop.updated_at = utcnow()
    db.session.flush()


def _promote_next(workshop: Workshop) -> Registration | None:
    user_id = places.promote_next(Registration, Registration.workshop_id, workshop.id,
                                  waiting=Seat.WAITING.value, taken=Seat.REGISTERED.value)
    if user_id is None:
        return None
    return db.session.scalar(select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.user_id == user_id)
        .execution_options(populate_existing=True))


def seat_of(workshop: Workshop, user) -> tuple[Registration | None, int | None]:
    """The user's registration and, when waiting, their position in the queue."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    mine = db.session.scalar(select(Registration).where(
        Registration.workshop_id == workshop.id, Registration.user_id == user.id))
    if mine is None or mine.state == Seat.REGISTERED.value:
        return mine, None
    ahead = db.session.scalar(select(func.count()).where(
        Registration.workshop_id == workshop.id, Registration.state == Seat.WAITING.value,
        Registration.id < mine.id))
    return mine, ahead + 1


def registrations(workshop: Workshop, query: str = "") -> list[Registration]:
    """Registered first, then waiting, each in arrival order; a name search for the door."""
    statement = select(Registration).where(Registration.workshop_id == workshop.id)
    if query.strip():
        statement = statement.join(User, User.id == Registration.user_id).where(
            User.display_name.ilike(f"%{query.strip()[:80]}%"))
    return list(db.session.scalars(statement.order_by(Registration.state, Registration.id)))


def audience(workshop: Workshop) -> list[int]:
    """Everyone registered or waiting: told when the workshop moves or is cancelled."""
    return list(db.session.scalars(select(Registration.user_id).where(
        Registration.workshop_id == workshop.id).order_by(Registration.id)))


def mark_attendance(registration: Registration, *, by: User, attended: bool) -> None:
    workshop = registration.workshop
    _allowed(policies.can_take_attendance(by, workshop))
    if registration.state != Seat.REGISTERED.value:
        raise Refused(_("Only registered patrons can be marked present."))
    registration.attended_at = utcnow() if attended else None
    db.session.flush()
    events.attendance_taken.send(registration, workshop=workshop, by=by, attended=attended)


def check_in(workshop: Workshop, user: User, code: str) -> None:
    """A registered patron in the room types the code shown there."""
    if workshop.is_cancelled:
        raise Refused(_("This workshop is cancelled."))
    if not secrets.compare_digest(code.strip().upper().encode(), workshop.check_in_code.encode()):
        raise Refused(_("That is not this workshop's code."), field="code")
    registration, _position = seat_of(workshop, user)
    if registration is None or registration.state != Seat.REGISTERED.value:
        raise Refused(_("Only registered patrons can check in."), field="code")
    if not workshop.starts_at - CHECK_IN_EARLY <= utcnow() <= workshop.ends_at + CHECK_IN_EARLY:
        raise Refused(_("Check-in opens an hour before the workshop and closes an hour after."),
                      field="code")
    if registration.attended_at is None:
        registration.attended_at = utcnow()
        db.session.flush()
        events.attendance_taken.send(registration, workshop=workshop, by=user, attended=True)


def publish_minutes(workshop: Workshop, *, by: User, minutes: str) -> None:
    _allowed(policies.can_publish_minutes(by, workshop))
    if workshop.starts_at > utcnow():
        raise Refused(_("Minutes are published after the workshop has taken place."),
                      field="minutes")
    if not minutes.strip():
        raise Refused(_("Write the minutes."), field="minutes")
    workshop.minutes = minutes.strip()
    workshop.minutes_published_at = workshop.minutes_published_at or utcnow()
    workshop.updated_at = utcnow()
    db.session.flush()
    events.minutes_published.send(workshop, by=by)


def attendance_counts(workshop: Workshop) -> dict[str, int]:
    """Registered, attended and no-shows: for staff only."""
    registered, attended = db.session.execute(select(
        func.count(), func.count(Registration.attended_at)).where(
        Registration.workshop_id == workshop.id,
        Registration.state == Seat.REGISTERED.value)).one()
    return {"registered": registered, "attended": attended,
            "no_shows": registered - attended if workshop.ends_at <= utcnow() else 0}


def attended(user: User) -> list[Workshop]:
    """The workshops the patron attended, the latest first: their recognised hours."""
    return list(db.session.scalars(
        select(Workshop).join(Registration, Registration.workshop_id == Workshop.id)
        .where(Registration.user_id == user.id, Registration.attended_at.is_not(None))
        .order_by(Workshop.starts_at.desc())))


def feed_token(user: User, *, reset: bool = False) -> str:
    """The patron's private calendar address token; a reset makes the old one stop working."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(24))
        db.session.add(feed)
    elif reset:
        feed.token = secrets.token_urlsafe(24)
    db.session.flush()
    return feed.token


def feed_owner(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
                             .where(CalendarFeed.token == token))


def workshops_of(user: User) -> list[tuple[Workshop, str]]:
    """The patron's workshops with their seat, for the private feed."""
    return list(db.session.execute(
        select(Workshop, Registration.state).join(Registration,
                                                  Registration.workshop_id == Workshop.id)
        .where(Registration.user_id == user.id).order_by(Workshop.starts_at)).all())


def find_proposal(text: str) -> Proposal | None:
    """A published proposal by its number ("42" or "#42") or its exact title."""
    text = text.strip()
    number = text.removeprefix("#").strip()
    if number.isascii() and number.isdigit() and len(number) <= 9:
        found = db.session.get(Proposal, int(number))
    else:
        found = db.session.scalar(select(Proposal).where(
            func.lower(Proposal.title) == text.lower()).order_by(Proposal.id.desc()).limit(1))
    return found if found is not None and found.is_public else None


def link(workshop: Workshop, *, by: User, proposal: Proposal | None = None,
         milestone_id: int | None = None, indicator_id: int | None = None) -> WorkshopLink:
    """Link one thing that came out of the session; after it has taken place, once each."""
    _allowed(policies.can_link_outcomes(by, workshop))
    if workshop.starts_at > utcnow():
        raise Refused(_("Link what came out of a workshop after it has taken place."))
    chosen = [value is not None for value in (proposal, milestone_id, indicator_id)]
    if sum(chosen) != 1:
        raise Refused(_("Choose a proposal, a milestone or an indicator."))
    if milestone_id is not None and db.session.get(Milestone, milestone_id) is None:
        raise Refused(_("Choose a milestone from the list."), field="milestone_id")
    if indicator_id is not None and db.session.get(Indicator, indicator_id) is None:
        raise Refused(_("Choose an indicator from the list."), field="indicator_id")
    made = WorkshopLink(workshop_id=workshop.id, created_by_id=by.id,
                        proposal_id=proposal.id if proposal else None,
                        milestone_id=milestone_id, indicator_id=indicator_id)
    try:
        with db.session.begin_nested():
            db.session.add(made)
    except IntegrityError:
        raise Refused(_("That is linked to this workshop already."),
                      field=made_field(made)) from None
    workshop.updated_at = utcnow()
    db.session.flush()
    events.workshop_linked.send(made, workshop=workshop, by=by, added=True)
    return made


def made_field(made: WorkshopLink) -> str:
    return {Came.PROPOSAL: "proposal", Came.MILESTONE: "milestone",
            Came.INDICATOR: "indicator"}[made.kind]


def unlink(made: WorkshopLink, *, by: User) -> None:
    workshop = made.workshop
    _allowed(policies.can_link_outcomes(by, workshop))
    events.workshop_linked.send(made, workshop=workshop, by=by, added=False)
    db.session.delete(made)
    workshop.updated_at = utcnow()
    db.session.flush()

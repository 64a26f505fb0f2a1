"""Projects, volunteers, outcomes and ratings: the rules. Flush, never commit."""
from datetime import date
from decimal import Decimal

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app import events, places
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.projects import policies
from app.projects.models import (
    Indicator,
    Milestone,
    Outcome,
    Place,
    Project,
    ProjectUpdate,
    Rating,
    Volunteer,
)
from app.proposals import lifecycle
from app.proposals.models import Proposal, Support
from app.timeutil import library_today, utcnow


def _allowed(permitted: bool) -> None:
    if not permitted:
        raise Refused(_("Only library staff can do that."))


def start(proposal: Proposal, *, by: User, goal: str, volunteer_tasks: str, places: int,
          starts_on: date, ends_on: date | None = None, lead: User | None = None,
          milestones: list[tuple[str, date | None]] = ()) -> Project:
    """An accepted proposal becomes a project; the proposal moves to in progress."""
    _allowed(policies.can_start(by))
    if ends_on and ends_on < starts_on:
        raise Refused(_("The project cannot end before it starts."), field="ends_on")
    lead = lead or by
    if not lead.is_staff:
        raise Refused(_("The lead must be a member of library staff."), field="lead")
    lifecycle.transition(proposal, lifecycle.Action.START, by=by)
    project = Project(proposal_id=proposal.id, goal=goal.strip(),
                      volunteer_tasks=volunteer_tasks.strip(), places=places,
                      starts_on=starts_on, ends_on=ends_on, lead_id=lead.id)
    project.milestones = [Milestone(title=title.strip(), due_on=due, position=i)
                          for i, (title, due) in enumerate(milestones) if title.strip()]
    db.session.add(project)
    db.session.flush()
    return project


def _require_active(project: Project) -> None:
    if project.is_completed:
        raise Refused(_("This project is completed."))


def join(project: Project, user: User) -> Place:
    """Take a free place, or the next place on the waiting list; never over-fill
    (app/places.py)."""
    _require_active(project)
    if db.session.scalar(select(exists().where(Volunteer.project_id == project.id,
                                               Volunteer.user_id == user.id))):
        raise Refused(_("You have already joined this project."))
    claimed = places.claim(project, Project.members, Project.places)
    place = Place.MEMBER if claimed else Place.WAITING
    try:
        with db.session.begin_nested():
            db.session.add(Volunteer(project_id=project.id, user_id=user.id, state=place.value))
    except IntegrityError:
        raise Refused(_("You have already joined this project.")) from None
    db.session.refresh(project)
    events.volunteer_joined.send(project, by=user, place=place)
    return place


def leave(project: Project, user: User) -> None:
    """Leaving frees a place for the first on the waiting list, who is told."""
    _require_active(project)
    state = db.session.scalar(
        delete(Volunteer).where(Volunteer.project_id == project.id, Volunteer.user_id == user.id)
        .returning(Volunteer.state)
    )
    if state is None:
        raise Refused(_("You are not a volunteer on this project."))
    promoted = _promote_next(project) if state == Place.MEMBER.value else None
    if state == Place.MEMBER.value and promoted is None:
        places.release(project, Project.members)
    db.session.refresh(project)
    events.volunteer_left.send(project, by=user, promoted=promoted)


def _promote_next(project: Project) -> int | None:
    """The first on the waiting list takes the freed place: their id, or None."""
    return places.promote_next(Volunteer, Volunteer.project_id, project.id,
                               waiting=Place.WAITING.value, taken=Place.MEMBER.value)


def place_of(project: Project, user) -> tuple[Place | None, int | None]:
    """The user's state and, when waiting, their position in the queue."""
    if not getattr(user, "is_authenticated", False):
        return None, None
    mine = db.session.scalar(select(Volunteer).where(Volunteer.project_id == project.id,
                                                     Volunteer.user_id == user.id))
    if mine is None:
        return None, None
    if mine.state == Place.MEMBER.value:
        return Place.MEMBER, None
    ahead = db.session.scalar(select(func.count()).where(
        Volunteer.project_id == project.id, Volunteer.state == Place.WAITING.value,
        Volunteer.id < mine.id))
    return Place.WAITING, ahead + 1


def volunteers(project: Project) -> list[Volunteer]:
    return list(db.session.scalars(select(Volunteer).where(Volunteer.project_id == project.id)
                                   .order_by(Volunteer.state, Volunteer.id)))


def record_hours(volunteer: Volunteer, *, by: User, hours: Decimal) -> None:
    _allowed(policies.can_record_hours(by, volunteer))
    if hours < 0 or hours > 10000:
        raise Refused(_("Enter hours between 0 and 10,000."), field="hours")
    volunteer.hours = hours
    db.session.flush()
    events.hours_recorded.send(volunteer, by=by, hours=hours)


def post_update(project: Project, *, by: User, body: str) -> ProjectUpdate:
    _allowed(policies.can_report_progress(by))
    posted = ProjectUpdate(project_id=project.id, author_id=by.id, body=body.strip())
    db.session.add(posted)
    db.session.flush()
    events.project_update_posted.send(posted, project=project, by=by)
    return posted


def complete_milestone(milestone: Milestone, *, by: User, done_on: date | None) -> None:
    _allowed(policies.can_report_progress(by))
    milestone.done_on = done_on
    db.session.flush()
    events.milestone_changed.send(milestone, by=by, done_on=done_on)


def complete(project: Project, *, by: User, summary: str,
             indicators: list[tuple[str, Decimal, Decimal, str]], evidence: str = "") -> Outcome:
    """Completing requires the outcome: what changed and at least one measured indicator."""
    _allowed(policies.can_complete(by, project))
    _require_active(project)
    if project.starts_on > library_today():
        raise Refused(_("This project starts on %(date)s: it cannot be completed before it "
                        "starts.", date=format_date(project.starts_on, "long")))
    if not summary.strip():
        raise Refused(_("Describe what changed."), field="summary")
    if not indicators:
        raise Refused(_("Add at least one measured indicator, with before and after values."),
                      field="indicators")
    lifecycle.transition(project.proposal, lifecycle.Action.COMPLETE, by=by,
                         note=summary.strip())
    project.completed_at = utcnow()
    outcome = Outcome(
        project_id=project.id, proposal_id=project.proposal_id, summary=summary.strip(),
        evidence=evidence.strip(), published_at=project.completed_at,
        supporters=project.proposal.support_count,
        volunteers=db.session.scalar(select(func.count()).where(
            Volunteer.project_id == project.id, Volunteer.state == Place.MEMBER.value)),
        indicators=[Indicator(name=name.strip(), before=before, after=after, unit=unit.strip(),
                              position=i)
                    for i, (name, before, after, unit) in enumerate(indicators)],
    )
    db.session.add(outcome)
    db.session.flush()
    events.outcome_recorded.send(outcome, project=project, by=by)
    return outcome


def _judged_by(user):
    """Supporters and volunteers judge the outcome: a condition on Outcome's row."""
    supported = exists().where(Support.proposal_id == Outcome.proposal_id,
                               Support.user_id == user.id)
    volunteered = exists().where(Volunteer.project_id == Outcome.project_id,
                                 Volunteer.user_id == user.id,
                                 Volunteer.state == Place.MEMBER.value)
    return supported | volunteered


def can_rate(outcome: Outcome, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(Outcome.id).where(Outcome.id == outcome.id, _judged_by(user))) is not None


def rateable_among(outcomes: list[Outcome], user) -> set[int]:
    """Of these outcomes, the ids of those the patron may rate and has not yet: one statement."""
    if not outcomes or not getattr(user, "is_authenticated", False):
        return set()
    rated = exists().where(Rating.outcome_id == Outcome.id, Rating.user_id == user.id)
    return set(db.session.scalars(select(Outcome.id).where(
        Outcome.id.in_([outcome.id for outcome in outcomes]), _judged_by(user), ~rated)))


def rate(outcome: Outcome, *, by: User, stars: int, comment: str = "") -> Rating:
    if not can_rate(outcome, by):
        raise Refused(_("Only the proposal's supporters and the project's volunteers rate it."))
    if not 1 <= stars <= 5:
        raise Refused(_("Choose from one to five stars."), field="stars")
    rating = Rating(outcome_id=outcome.id, user_id=by.id, stars=stars, comment=comment.strip())
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError:
        raise Refused(_("You have already rated this outcome.")) from None
    db.session.execute(update(Outcome).where(Outcome.id == outcome.id).values(
        rating_count=Outcome.rating_count + 1, rating_total=Outcome.rating_total + stars,
    ).execution_options(synchronize_session=False))
    db.session.refresh(outcome)
    events.outcome_rated.send(rating, outcome=outcome, by=by)
    return rating

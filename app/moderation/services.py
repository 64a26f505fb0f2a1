"""Flags from patrons and the staff decisions on them. Flush, never commit."""
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app import audit, settings
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.moderation.models import Flag, Reason, Resolution
from app.proposals.models import Comment, Proposal, Status
from app.timeutil import utcnow


def _subject_filter(subject):
    if isinstance(subject, Proposal):
        return Flag.proposal_id == subject.id
    return Flag.comment_id == subject.id


def flag(subject: Proposal | Comment, *, by: User, reason: str, note: str = "") -> Flag:
    """One flag per patron and item; enough distinct patrons hide it until staff look."""
    try:
        reason = Reason(reason).value
    except ValueError:
        raise Refused(_("Choose a reason from the list."), field="reason") from None
    if subject.author_id == by.id:
        raise Refused(_("You cannot flag what you wrote yourself."))
    record = Flag(user_id=by.id, reason=reason, note=(note or "").strip()[:1000],
                  **{"proposal_id" if isinstance(subject, Proposal) else "comment_id": subject.id})
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        raise Refused(_("You have already flagged this. Library staff will look at it.")) from None
    if subject.hidden_at is None and open_flag_count(subject) >= settings.get("flag_threshold"):
        subject.hidden_at = utcnow()
    db.session.flush()
    return record


def open_flag_count(subject) -> int:
    return db.session.scalar(select(func.count(func.distinct(Flag.user_id))).where(
        _subject_filter(subject), Flag.resolved_at.is_(None))) or 0


def resolve(subject: Proposal | Comment, *, by: User, uphold: bool, note: str = "") -> None:
    """Uphold keeps the item hidden; dismiss restores it. Either way the flags are closed."""
    if not by.is_staff:
        raise Refused(_("Only library staff can decide on flags."))
    now = utcnow()
    db.session.execute(update(Flag).where(_subject_filter(subject), Flag.resolved_at.is_(None))
                       .values(resolved_at=now, resolved_by_id=by.id,
                               resolution=(Resolution.UPHELD if uphold else Resolution.DISMISSED).value))
    subject.hidden_at = (subject.hidden_at or now) if uphold else None
    audit.record(by, "uphold_flags" if uphold else "dismiss_flags", subject, note)
    db.session.flush()


def hide_comment(comment: Comment, *, by: User, hidden: bool, note: str = "") -> None:
    if not by.is_staff:
        raise Refused(_("Only library staff can hide or restore comments."))
    comment.hidden_at = utcnow() if hidden else None
    audit.record(by, "hide_comment" if hidden else "restore_comment", comment, note)
    db.session.flush()


def queue(now) -> dict:
    """What staff must look at: overdue answers first, then new proposals, then flags."""
    overdue = list(db.session.scalars(
        select(Proposal).where(Proposal.status == Status.UNDER_REVIEW.value,
                               Proposal.response_due_at < now)
        .order_by(Proposal.response_due_at)
    ))
    due = list(db.session.scalars(
        select(Proposal).where(Proposal.status == Status.UNDER_REVIEW.value,
                               Proposal.response_due_at >= now)
        .order_by(Proposal.response_due_at).limit(50)
    ))
    submitted = list(db.session.scalars(
        select(Proposal).where(Proposal.status == Status.SUBMITTED.value)
        .order_by(Proposal.created_at, Proposal.id)
    ))
    return {"overdue": overdue, "due": due, "submitted": submitted, "flagged": flagged()}


def flagged() -> list[dict]:
    """Items with open flags, the most-flagged first, with the reasons given."""
    rows = db.session.execute(
        select(Flag.proposal_id, Flag.comment_id, func.count(func.distinct(Flag.user_id)),
               func.min(Flag.created_at))
        .where(Flag.resolved_at.is_(None)).group_by(Flag.proposal_id, Flag.comment_id)
        .order_by(func.count(func.distinct(Flag.user_id)).desc(), func.min(Flag.created_at))
    ).all()
    items = []
    for proposal_id, comment_id, flaggers, _first in rows:
        subject = db.session.get(Proposal, proposal_id) if proposal_id else db.session.get(
            Comment, comment_id)
        reasons = list(db.session.scalars(select(Flag).where(
            _subject_filter(subject), Flag.resolved_at.is_(None)).order_by(Flag.created_at)))
        items.append({"subject": subject, "is_comment": comment_id is not None,
                      "flaggers": flaggers, "flags": reasons})
    return items

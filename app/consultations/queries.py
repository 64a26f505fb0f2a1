"""Read-side queries for the consultation pages."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.consultations.models import Consultation
from app.extensions import db
from app.proposals.models import Comment

LISTED = 50  # per group: a library runs a handful at a time


@dataclass
class Consultations:
    open: list[Consultation]
    upcoming: list[Consultation]
    past: list[Consultation]


def consultations_at(now: datetime) -> Consultations:
    opened, closed = Consultation.opens_at <= now, Consultation.closes_at <= now
    return Consultations(
        open=_listed(select(Consultation).where(opened, ~closed)
                     .order_by(Consultation.closes_at, Consultation.id)),
        upcoming=_listed(select(Consultation).where(~opened)
                         .order_by(Consultation.opens_at, Consultation.id)),
        past=_listed(select(Consultation).where(closed)
                     .order_by(Consultation.closes_at.desc(), Consultation.id.desc())),
    )


def _listed(statement) -> list[Consultation]:
    return list(db.session.scalars(statement.limit(LISTED)).unique())


def of_call(call_id: int) -> list[Consultation]:
    return _listed(select(Consultation).where(Consultation.call_id == call_id)
                   .order_by(Consultation.opens_at, Consultation.id))


def comments_of(consultation: Consultation) -> list[Comment]:
    """Every comment, oldest first; hidden and deleted ones keep their place (the page says
    so, as under a proposal)."""
    return list(db.session.scalars(
        select(Comment).where(Comment.consultation_id == consultation.id)
        .order_by(Comment.created_at, Comment.id)).unique())


def by_section(comments: list[Comment]) -> dict[int | None, list[Comment]]:
    grouped: dict[int | None, list[Comment]] = {}
    for comment in comments:
        grouped.setdefault(comment.section, []).append(comment)
    return grouped


def comment_counts(consultations: list[Consultation]) -> dict[int, int]:
    if not consultations:
        return {}
    return dict(db.session.execute(
        select(Comment.consultation_id, func.count()).where(
            Comment.consultation_id.in_([c.id for c in consultations]),
            Comment.hidden_at.is_(None), Comment.deleted_at.is_(None))
        .group_by(Comment.consultation_id)).all())

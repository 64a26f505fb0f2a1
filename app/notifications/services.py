"""Telling patrons what happened to what they care about. Flush, never commit."""
from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.notifications.models import Kind, Notification
from app.proposals.models import Proposal, Support
from app.timeutil import utcnow


def status_changed(proposal: Proposal, *, note: str = "", private: bool = False) -> None:
    """The author always hears; supporters hear of public decisions, never of private notes."""
    now = utcnow()
    rows = [{"user_id": proposal.author_id}]
    if not private:
        rows += [{"user_id": uid} for uid in db.session.scalars(
            select(Support.user_id).where(Support.proposal_id == proposal.id,
                                          Support.user_id != proposal.author_id))]
    if rows:
        db.session.execute(insert(Notification), [
            row | {"kind": Kind.STATUS_CHANGED.value, "proposal_id": proposal.id,
                   "status": proposal.status, "note": note, "created_at": now}
            for row in rows
        ])


def supports_carried(target: Proposal, source: Proposal, user_ids: list[int]) -> None:
    now = utcnow()
    if user_ids:
        db.session.execute(insert(Notification), [
            {"user_id": uid, "kind": Kind.SUPPORT_CARRIED.value, "proposal_id": target.id,
             "source_id": source.id, "created_at": now, "note": ""}
            for uid in user_ids
        ])


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_all_read(user) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))

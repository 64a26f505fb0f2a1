"""Undoing a merge within a day: what each merge moved is recorded as it happens (from the
`proposals_merged` event), and the undo puts exactly that back. Flush, never commit."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from app import events, timeutil
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.i18n import moment
from app.moderation import policies
from app.moderation.models import MergedPhoto, MergedSupport, MergeRecord
from app.proposals import lifecycle
from app.proposals.models import Proposal, Status

UNDO_WINDOW = timedelta(days=1)


@events.proposals_merged.connect
def _record(source, *, target, by, at, moved, carried, former, photos, **_):
    carried_ids = set(carried)
    db.session.add(MergeRecord(
        source_id=source.id, target_id=target.id, merged_by_id=by.id if by else None,
        merged_at=at, from_status=former["status"], was_decided_at=former["decided_at"],
        was_first_answer_at=former["first_answer_at"], was_reviewed_at=former["reviewed_at"],
        supports=[MergedSupport(user_id=uid, given_at=given, carried=uid in carried_ids)
                  for uid, given in moved],
        photos=[MergedPhoto(photo_id=photo_id, position=position)
                for photo_id, position in photos]))
    db.session.flush()


def last_merge(proposal: Proposal) -> MergeRecord | None:
    """The merge that made this proposal what it is now, if it is merged and it was recorded."""
    if proposal.state is not Status.MERGED:
        return None
    return db.session.scalar(select(MergeRecord).where(
        MergeRecord.source_id == proposal.id, MergeRecord.undone_at.is_(None))
        .order_by(MergeRecord.merged_at.desc(), MergeRecord.id.desc()).limit(1))


def undo_until(record: MergeRecord) -> datetime:
    return record.merged_at + UNDO_WINDOW


def undoable(proposal: Proposal) -> MergeRecord | None:
    """The merge staff may still undo now (the library's clock), or None."""
    record = last_merge(proposal)
    if record is None or timeutil.utcnow() > undo_until(record):
        return None
    return record


def undo(proposal: Proposal, *, by: User) -> Proposal:
    """Put back what the merge moved; returns the proposal it had been merged into."""
    if not policies.can_undo_merge(by):
        raise Refused(_("Only library staff can undo a merge."))
    record = last_merge(proposal)
    if record is None:
        raise Refused(_("This proposal is not merged, so there is nothing to undo."))
    if timeutil.utcnow() > undo_until(record):
        raise Refused(_("A merge can be undone for a day only: this one was made on %(when)s, "
                        "so it stays.", when=moment(record.merged_at)))
    target = db.session.get(Proposal, record.target_id)
    lifecycle.unmerge(
        proposal, target, by=by, merged_at=record.merged_at,
        former={"status": record.from_status, "decided_at": record.was_decided_at,
                "first_answer_at": record.was_first_answer_at,
                "reviewed_at": record.was_reviewed_at},
        supports=[(each.user_id, each.given_at) for each in record.supports],
        carried=[each.user_id for each in record.supports if each.carried],
        photos=[(each.photo_id, each.position) for each in record.photos])
    record.undone_at, record.undone_by_id = timeutil.utcnow(), by.id
    db.session.flush()
    return target

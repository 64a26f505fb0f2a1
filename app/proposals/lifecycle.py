"""The proposal life cycle as one state machine: every status change goes through `transition`.

Each transition says where it may start, where it ends, who may make it, whether it needs a
reason and whether that reason is public. Every change writes a timeline row and announces
`status_changed` (app/events.py), from which followers are told and staff actions audited.
Flush, never commit.
"""
import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select, update

from app import events, settings
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.media import services as media
from app.proposals import trending
from app.proposals.models import Proposal, ProposalEvent, Status, Support
from app.timeutil import end_of_library_day, library_day, utcnow

S = Status


class Who(str, enum.Enum):
    STAFF = "staff"
    AUTHOR = "author"


class Action(str, enum.Enum):
    PUBLISH = "publish"
    REQUEST_CHANGES = "request_changes"
    RESUBMIT = "resubmit"
    REJECT = "reject"
    REVIEW = "review"
    ACCEPT = "accept"
    DECLINE = "decline"
    MERGE = "merge"
    WITHDRAW = "withdraw"
    START = "start"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS[self])


ACTION_LABELS = {
    Action.PUBLISH: _l("Publish"),
    Action.REQUEST_CHANGES: _l("Request changes"),
    Action.RESUBMIT: _l("Resubmit for moderation"),
    Action.REJECT: _l("Reject"),
    Action.REVIEW: _l("Start review"),
    Action.ACCEPT: _l("Accept"),
    Action.DECLINE: _l("Decline"),
    Action.MERGE: _l("Merge into another proposal"),
    Action.WITHDRAW: _l("Withdraw"),
    Action.START: _l("Start the project"),
    Action.COMPLETE: _l("Complete"),
}


@dataclass(frozen=True)
class Rule:
    sources: tuple[Status, ...]
    target: Status
    who: Who
    needs_reason: bool = False
    public: bool = True  # is the note shown on the public timeline?


RULES: dict[Action, Rule] = {
    Action.PUBLISH: Rule((S.SUBMITTED,), S.OPEN, Who.STAFF),
    Action.REQUEST_CHANGES: Rule((S.SUBMITTED,), S.CHANGES_REQUESTED, Who.STAFF, True, False),
    Action.RESUBMIT: Rule((S.CHANGES_REQUESTED,), S.SUBMITTED, Who.AUTHOR, public=False),
    Action.REJECT: Rule((S.SUBMITTED,), S.REJECTED, Who.STAFF, True, False),
    Action.REVIEW: Rule((S.OPEN,), S.UNDER_REVIEW, Who.STAFF),
    Action.ACCEPT: Rule((S.UNDER_REVIEW,), S.ACCEPTED, Who.STAFF, True),
    Action.DECLINE: Rule((S.OPEN, S.UNDER_REVIEW), S.DECLINED, Who.STAFF, True),
    Action.MERGE: Rule((S.SUBMITTED, S.OPEN, S.UNDER_REVIEW), S.MERGED, Who.STAFF, True),
    Action.WITHDRAW: Rule(
        (S.SUBMITTED, S.CHANGES_REQUESTED, S.OPEN, S.UNDER_REVIEW), S.WITHDRAWN, Who.AUTHOR),
    Action.START: Rule((S.ACCEPTED,), S.IN_PROGRESS, Who.STAFF),
    Action.COMPLETE: Rule((S.IN_PROGRESS,), S.COMPLETED, Who.STAFF),
}
ANSWERS = {Action.ACCEPT, Action.DECLINE, Action.MERGE}  # a public answer keeps the promise
MERGE_TARGETS = (S.OPEN, S.UNDER_REVIEW, S.ACCEPTED, S.IN_PROGRESS)
PROJECT_STEPS = (Action.START, Action.COMPLETE)  # taken with a project's own forms


def may(user, proposal: Proposal, action: Action) -> bool:
    """Whether the user may take the action now: the buttons shown and the check made agree."""
    rule = RULES[action]
    if not getattr(user, "is_authenticated", False) or proposal.state not in rule.sources:
        return False
    if rule.who is Who.STAFF:
        return user.is_staff
    return user.id == proposal.author_id


def available(user, proposal: Proposal) -> list[Action]:
    return [action for action in Action if may(user, proposal, action)]


def transition(proposal: Proposal, action: Action | str, *, by: User | None,
               note: str = "") -> ProposalEvent:
    try:
        action = Action(action)
    except ValueError:
        raise Refused(_("That is not something a proposal can do.")) from None
    rule = RULES[action]
    note = (note or "").strip()
    if proposal.state not in rule.sources:
        raise Refused(_("A proposal that is “%(status)s” cannot take the step “%(action)s”.",
                        status=proposal.state.label, action=action.label))
    if by is not None and not may(by, proposal, action):
        raise Refused(_("Only library staff can do that.") if rule.who is Who.STAFF
                      else _("Only the author can do that."))
    if rule.needs_reason and not note:
        raise Refused(_("Please give a reason: the patron will read it."), field="note")
    return _move(proposal, action, rule, by, note)


def record_creation(proposal: Proposal, author: User) -> None:
    db.session.add(ProposalEvent(proposal_id=proposal.id, from_status=None,
                                 to_status=proposal.status, actor_id=author.id,
                                 created_at=proposal.created_at))


def _move(proposal: Proposal, action: Action, rule: Rule, actor: User | None,
          note: str) -> ProposalEvent:
    now = utcnow()
    changes = {"status": rule.target.value, "updated_at": now, "last_activity_at": now}
    if actor is not None and rule.who is Who.STAFF and proposal.reviewed_at is None:
        changes["reviewed_at"] = now
    if rule.target is S.OPEN:
        changes["published_at"] = now
    if rule.target is S.UNDER_REVIEW:
        changes["response_due_at"] = due_by(now)
    if action in ANSWERS:
        changes["decided_at"] = now
        if proposal.first_answer_at is None:
            changes["first_answer_at"] = now
    from_status = proposal.status
    moved = db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id, Proposal.status == from_status)
        .values(**changes).execution_options(synchronize_session=False)
    ).rowcount
    if moved != 1:  # someone else changed it between reading and writing
        db.session.refresh(proposal)
        raise Refused(_("This proposal has just changed. Please look at it again."))
    event = ProposalEvent(
        proposal_id=proposal.id, from_status=from_status, to_status=rule.target.value,
        actor_id=actor.id if actor else None, note=note, is_public=rule.public, created_at=now,
    )
    db.session.add(event)
    db.session.refresh(proposal)
    db.session.flush()
    events.status_changed.send(proposal, by=actor, action=action, from_status=from_status,
                               note=note, public=rule.public)
    return event


def due_by(moment) -> datetime:
    """The promise: an answer by the end of the library's day, `response_days` from `moment`."""
    return end_of_library_day(library_day(moment) + timedelta(days=settings.get("response_days")))


def reach_threshold(proposal: Proposal) -> None:
    """Enough supports oblige the library to answer: open moves to under review by itself."""
    if proposal.state is S.OPEN and proposal.support_count >= settings.get("response_threshold"):
        try:
            _move(proposal, Action.REVIEW, RULES[Action.REVIEW], None, "")  # pages explain it
        except Refused:
            pass  # a concurrent support moved it first


def merge(source: Proposal, target: Proposal, *, by: User, note: str) -> int:
    """Merge a duplicate: supports move to the target once per patron; returns how many moved."""
    if source.id == target.id or target.state not in MERGE_TARGETS or target.hidden_at:
        raise Refused(_("Choose a different, published proposal to merge into."), field="target")
    former = {"status": source.status, "decided_at": source.decided_at,
              "first_answer_at": source.first_answer_at, "reviewed_at": source.reviewed_at}
    transition(source, Action.MERGE, by=by, note=note)
    source.merged_into_id = target.id
    on_target = select(Support.user_id).where(Support.proposal_id == target.id)
    moved = db.session.execute(select(Support.user_id, Support.created_at,
                                      Support.user_id.in_(on_target))
                               .where(Support.proposal_id == source.id)).all()
    carried = [uid for uid, _given, already in moved if not already]
    now = utcnow()
    if carried:
        db.session.execute(insert(Support), [
            {"user_id": uid, "proposal_id": target.id, "created_at": now,
             "carried_from_id": source.id} for uid in carried
        ])
    db.session.execute(delete(Support).where(Support.proposal_id == source.id))
    photos = media.carry_over(source.id, target.id)
    db.session.execute(update(Proposal).where(Proposal.id == target.id).values(
        trending_score=Proposal.trending_score + len(carried) * trending.weight(now)))
    _recount(source)
    _recount(target)
    db.session.flush()
    events.proposals_merged.send(source, target=target, by=by, at=now, carried=carried,
                                 moved=[(uid, given) for uid, given, _already in moved],
                                 former=former, photos=photos)
    return len(carried)


def unmerge(source: Proposal, target: Proposal, *, by: User, former: dict, merged_at: datetime,
            supports: list[tuple[int, datetime]], carried: list[int],
            photos: list[tuple[int, int]]) -> None:
    """Undo a merge exactly, from what it moved: the source gets back its supporters (who, given
    when) and its photos (where they were) and the status and answer times it had; the target
    loses the supports carried to it (not those of patrons who supported both before)."""
    reverted = db.session.execute(
        update(Proposal).where(Proposal.id == source.id, Proposal.status == S.MERGED.value,
                               Proposal.merged_into_id == target.id)
        .values(status=former["status"], decided_at=former["decided_at"],
                first_answer_at=former["first_answer_at"], reviewed_at=former["reviewed_at"],
                merged_into_id=None, updated_at=utcnow(), last_activity_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount
    if reverted != 1:
        db.session.refresh(source)
        raise Refused(_("This proposal has just changed. Please look at it again."))
    removed = list(db.session.scalars(delete(Support).where(
        Support.proposal_id == target.id, Support.carried_from_id == source.id,
        Support.user_id.in_(carried)).returning(Support.user_id)))
    has = set(db.session.scalars(select(Support.user_id).where(Support.proposal_id == source.id)))
    returned = [(uid, given) for uid, given in supports if uid not in has]
    if returned:
        db.session.execute(insert(Support), [
            {"user_id": uid, "proposal_id": source.id, "created_at": given}
            for uid, given in returned])
    media.carry_back(target.id, source.id, photos)
    db.session.execute(update(Proposal).where(Proposal.id == target.id).values(
        trending_score=Proposal.trending_score - len(removed) * trending.weight(merged_at)))
    db.session.add(ProposalEvent(proposal_id=source.id, from_status=S.MERGED.value,
                                 to_status=former["status"], actor_id=by.id, is_public=True,
                                 note="", created_at=utcnow()))
    _recount(source)
    _recount(target)
    db.session.flush()
    events.merge_undone.send(source, target=target, by=by, merged_at=merged_at,
                             returned=returned, removed=removed)


def _recount(proposal: Proposal) -> None:
    db.session.execute(update(Proposal).where(Proposal.id == proposal.id).values(
        support_count=select(func.count()).where(Support.proposal_id == proposal.id)
        .scalar_subquery()
    ))
    db.session.refresh(proposal)


def timeline(proposal: Proposal, viewer) -> list[ProposalEvent]:
    """Public rows for everyone; private notes (reasons for rejection, requested changes) only
    for the author and staff."""
    insider = getattr(viewer, "is_authenticated", False) and (
        viewer.is_staff or viewer.id == proposal.author_id)
    return _events([proposal.id], public_only=not insider)


def public_timelines(proposals: list[Proposal]) -> dict[int, list[ProposalEvent]]:
    """Each proposal's timeline as anyone sees it, read in one statement (a page of outcomes)."""
    kept: dict[int, list[ProposalEvent]] = {proposal.id: [] for proposal in proposals}
    for event in _events(list(kept), public_only=True):
        kept[event.proposal_id].append(event)
    return kept


def _events(proposal_ids: list[int], public_only: bool) -> list[ProposalEvent]:
    statement = select(ProposalEvent).where(ProposalEvent.proposal_id.in_(proposal_ids))
    if public_only:
        statement = statement.where(ProposalEvent.is_public.is_(True))
    return list(db.session.scalars(
        statement.order_by(ProposalEvent.created_at, ProposalEvent.id)).unique())

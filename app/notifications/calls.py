"""News of calls for ideas, noticed by the job worker since a call's phases change by the clock
alone: "a call opened" (its collecting phase began) for patrons who chose to hear of new calls
in its branch, and "the call you took part in published its results" (its results phase began)
for those who proposed or supported in it. Exactly once per call and news, whatever the worker
does: each is claimed by inserting its row in `call_notice` (unique per call and news) in the
same transaction as its notifications and e-mails, so two workers cannot both claim it and a
worker that dies before the commit leaves neither, for the next run."""
from datetime import datetime

from sqlalchemy import or_, select, true

from app.extensions import db
from app.notifications import services as notify
from app.notifications.models import CallNotice, CallWatch, Kind
from app.proposals.calls import Call
from app.proposals.models import Proposal, Support
from app.questionnaires.models import Questionnaire, Response
from app.statements import dialect_insert
from app.timeutil import utcnow

OPENED, RESULTS = "opened", "results"
# The news, the phase whose start it follows (start and end columns) and its notification.
NEWS = {OPENED: ("collecting_starts_at", "collecting_ends_at", Kind.CALL_OPENED),
        RESULTS: ("results_starts_at", "results_ends_at", Kind.CALL_RESULTS)}


def due(now: datetime, news: str) -> list[int]:
    """Calls in the phase the news is about (started, not over: a call long past is never
    announced late) whose patrons were not told yet."""
    starts, ends, _kind = NEWS[news]
    told = select(CallNotice.id).where(CallNotice.call_id == Call.id,
                                       CallNotice.kind == news).exists()
    return list(db.session.scalars(select(Call.id).where(
        getattr(Call, starts) <= now, getattr(Call, ends) > now, ~told).order_by(Call.id)))


def audience(call: Call, news: str) -> list[int]:
    if news == OPENED:
        branches = or_(CallWatch.branch_id.is_(None), CallWatch.branch_id == call.branch_id) \
            if call.branch_id is not None else true()
        return list(db.session.scalars(select(CallWatch.user_id).where(branches).distinct()
                                       .order_by(CallWatch.user_id)))
    in_call = select(Proposal.id).where(Proposal.call_id == call.id)
    authors = select(Proposal.author_id).where(Proposal.call_id == call.id)
    supporters = select(Support.user_id).where(Support.proposal_id.in_(in_call))
    answered = (select(Response.patron_id).join(Questionnaire)
                .where(Questionnaire.call_id == call.id))
    return sorted(set(db.session.scalars(authors.union(supporters, answered))))


def claim_and_tell(call_id: int, news: str) -> bool:
    """One transaction: the marker row, then the news. False when another run had it."""
    claimed = db.session.scalar(
        dialect_insert(CallNotice.__table__)
        .values(call_id=call_id, kind=news, sent_at=utcnow())
        .on_conflict_do_nothing().returning(CallNotice.__table__.c.id))
    if claimed is None:
        db.session.rollback()
        return False
    call = db.session.get(Call, call_id)
    notify.tell(audience(call, news), NEWS[news][2], call=call)
    db.session.commit()
    return True


def send_call_news(now: datetime) -> int:
    """How many calls' news went out in this run."""
    told = 0
    for news in NEWS:
        for call_id in due(now, news):
            told += claim_and_tell(call_id, news)
    db.session.commit()
    return told

"""Read-side queries for the call pages: which calls are open, upcoming and past now."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.proposals.calls import Call
from app.proposals.models import Proposal
from app.proposals.queries import PUBLIC

LISTED = 50  # calls per group: a library runs a handful at a time


@dataclass
class Calls:
    open: list[Call]
    upcoming: list[Call]
    past: list[Call]


def calls_at(now: datetime) -> Calls:
    """Open: collecting, supporting or reviewing (or between those); upcoming: not collecting
    yet; past: at results or ended."""
    started = Call.collecting_starts_at <= now
    at_results = Call.results_starts_at <= now
    return Calls(
        open=_listed(select(Call).where(started, ~at_results)
                     .order_by(Call.collecting_starts_at.desc(), Call.id.desc())),
        upcoming=_listed(select(Call).where(~started)
                         .order_by(Call.collecting_starts_at, Call.id)),
        past=_listed(select(Call).where(at_results)
                     .order_by(Call.results_starts_at.desc(), Call.id.desc())),
    )


def _listed(statement) -> list[Call]:
    return list(db.session.scalars(statement.limit(LISTED)).unique())


def public_proposal_counts(calls: list[Call]) -> dict[int, int]:
    if not calls:
        return {}
    return dict(db.session.execute(
        select(Proposal.call_id, func.count()).where(
            Proposal.call_id.in_([c.id for c in calls]), *PUBLIC).group_by(Proposal.call_id)).all())

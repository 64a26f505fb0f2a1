"""Roll-ups kept as events happen, so the dashboard reads a period's days instead of counting
its supports, millions at the largest size, for whatever period staff choose.

- `Participation`: a row per person, day and scope (all branches, or the proposal's branch) on
  which they proposed, supported or commented, with their previous such day in that scope. The
  distinct participants of a period are its rows whose previous day falls before the period:
  one row per person, read off an index day by day, never their other days.
- `SupportTally`: the standing supports given per day, branch, category and kind of start.

The domain functions that write supports, comments and proposals call these in the same
transaction (app/proposals/services.py, app/proposals/lifecycle.py); `rebuild` works both out
again from the rows themselves (generated data, the demo, tests that write rows by hand).
"""
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Date, cast, delete, func, insert, literal, select, true, union, union_all

from app.auth.models import User
from app.extensions import db, dialect_insert
from app.insight.models import ALL_BRANCHES, NO_DAY, Participation, SupportTally
from app.proposals.models import STAFF_ORIGINS, Comment, Proposal, Support

BATCH = 5_000  # people per statement: well under SQLite's limit of bound values


def batched(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[i:i + BATCH] for i in range(0, len(ordered), BATCH)]


def day_of(column):
    """The calendar day of a timestamp column, worked out by the database."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.date(column)
    return cast(column, Date)


def refresh_participation(user_ids: Iterable[int]) -> None:
    """Work out again the participation of these people, from what they wrote and supported."""
    for batch in batched(user_ids):
        db.session.execute(delete(Participation).where(Participation.user_id.in_(batch)))
        _insert_participation(batch)


def took_part_now(user: User, branch_id: int, now: datetime) -> None:
    """Someone took part just now, in a branch: today is their latest day in both scopes, so
    its row follows their last one before, and no later row needs to change."""
    today = now.date()
    scopes = union_all(select(literal(ALL_BRANCHES).label("scope")),
                       select(literal(branch_id).label("scope"))).subquery()
    before = (select(func.max(Participation.day))
              .where(Participation.user_id == user.id, Participation.scope == scopes.c.scope,
                     Participation.day < today).scalar_subquery())
    rows = select(literal(user.id), scopes.c.scope, literal(today, Date),
                  func.coalesce(before, literal(NO_DAY, Date)), literal(user.patron_type))
    db.session.execute(dialect_insert(Participation).from_select(
        ["user_id", "scope", "day", "previous_day", "patron_type"], rows.where(true()))
        .on_conflict_do_nothing())  # `where`: SQLite reads ON CONFLICT after a bare FROM as a join


def participants_of(proposal: Proposal) -> set[int]:
    """Everyone whose participation the proposal's branch counts in: author, supporters,
    commenters."""
    return {proposal.author_id} | set(db.session.scalars(union(
        select(Support.user_id).where(Support.proposal_id == proposal.id),
        select(Comment.author_id).where(Comment.proposal_id == proposal.id))))


def count_support(proposal: Proposal, given_at: datetime, change: int) -> None:
    """Supports given to the proposal (change > 0) or withdrawn (< 0) on the day given."""
    statement = dialect_insert(SupportTally).values(day=given_at.date(), supports=change,
                                                    **_tally_key(proposal))
    db.session.execute(_adding(statement))


def uncount_supports(proposal: Proposal) -> None:
    """Its standing supports are about to go (a merge carries them to another proposal)."""
    _count_all(proposal, -1, _tally_key(proposal))


def reclassified(proposal: Proposal, branch_id: int, category_id: int) -> None:
    """The proposal moved from that branch and category to its own: its supports are counted
    there, and its author, supporters and commenters take part there."""
    if (proposal.branch_id, proposal.category_id) == (branch_id, category_id):
        return
    key = _tally_key(proposal)
    _count_all(proposal, -1, key | {"branch_id": branch_id, "category_id": category_id})
    _count_all(proposal, +1, key)
    if proposal.branch_id != branch_id:
        refresh_participation(participants_of(proposal))


def _count_all(proposal: Proposal, sign: int, key: dict) -> None:
    """Add (sign +1) or take away (-1) the proposal's standing supports, day by day, under
    the tally's `key`."""
    day = day_of(Support.created_at)
    rows = (select(day, *(literal(value) for value in key.values()), sign * func.count())
            .where(Support.proposal_id == proposal.id).group_by(day))
    db.session.execute(_adding(dialect_insert(SupportTally).from_select(
        ["day", *key, "supports"], rows)))


def _tally_key(proposal: Proposal) -> dict:
    return {"branch_id": proposal.branch_id, "category_id": proposal.category_id,
            "by_staff": proposal.origin in STAFF_ORIGINS}


def _adding(statement):
    return statement.on_conflict_do_update(
        index_elements=list(SupportTally.__table__.primary_key),
        set_={"supports": SupportTally.supports + statement.excluded.supports})


def rebuild() -> None:
    """Both roll-ups from scratch, from every proposal, support and comment."""
    db.session.execute(delete(Participation))
    _insert_participation(None)
    db.session.execute(delete(SupportTally))
    _insert_tally()


def _insert_participation(user_ids: list[int] | None) -> None:
    def acts(user_id, when, branch, *joins):
        statement = select(user_id.label("user_id"), day_of(when).label("day"),
                           branch.label("scope"))
        for join in joins:
            statement = statement.join(Proposal, join)
        return statement if user_ids is None else statement.where(user_id.in_(user_ids))

    days = union(  # one row per person, day and branch
        acts(Proposal.author_id, Proposal.created_at, Proposal.branch_id),
        acts(Support.user_id, Support.created_at, Proposal.branch_id,
             Proposal.id == Support.proposal_id),
        acts(Comment.author_id, Comment.created_at, Proposal.branch_id,
             Proposal.id == Comment.proposal_id),
    ).subquery()
    scoped = union(
        select(days.c.user_id, days.c.day, days.c.scope),
        select(days.c.user_id, days.c.day, literal(ALL_BRANCHES).label("scope")),
    ).subquery()
    previous = func.lag(scoped.c.day).over(partition_by=(scoped.c.user_id, scoped.c.scope),
                                           order_by=scoped.c.day)
    rows = (select(scoped.c.user_id, scoped.c.scope, scoped.c.day,
                   func.coalesce(previous, literal(NO_DAY, Date)), User.patron_type)
            .join(User, User.id == scoped.c.user_id))
    db.session.execute(insert(Participation).from_select(
        ["user_id", "scope", "day", "previous_day", "patron_type"], rows))


def _insert_tally() -> None:
    day = day_of(Support.created_at)
    columns = (day, Proposal.branch_id, Proposal.category_id, Proposal.origin.in_(STAFF_ORIGINS))
    db.session.execute(insert(SupportTally).from_select(
        ["day", "branch_id", "category_id", "by_staff", "supports"],
        select(*columns, func.count()).join(Proposal, Proposal.id == Support.proposal_id)
        .group_by(*columns)))

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
The statements a support click sends are `prepared` once per kind of database and `run` on the
tables, as Core (app/extensions.py).
"""
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from sqlalchemy import (
    Date, DateTime, Integer, String, bindparam, cast, delete, func, insert, literal, or_, select,
    true, union, union_all, update,
)

from app.auth.models import User
from app.extensions import db, dialect, dialect_insert, prepared, run
from app.insight.models import ALL_BRANCHES, NO_DAY, Participation, SupportTally
from app.proposals.models import STAFF_ORIGINS, Comment, Proposal, Support

BATCH = 5_000  # people per statement: well under SQLite's limit of bound values
PARTICIPATION = ["user_id", "scope", "day", "previous_day", "patron_type"]
TALLY = ["day", "branch_id", "category_id", "by_staff", "supports"]


def refresh_participation(user_ids: Iterable[int]) -> None:
    """Work out again the participation of these people, from what they wrote and supported."""
    ordered = sorted(set(user_ids))
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start:start + BATCH]
        db.session.execute(delete(Participation).where(Participation.user_id.in_(batch)))
        run(prepared(_participation_of_some), {"users": batch})


def took_part_now(user: User, branch_id: int, now: datetime) -> None:
    """Someone took part just now, in a branch: today is their latest day in both scopes, so
    its row follows their last one before, and no later row needs to change."""
    run(prepared(_took_part), {
        "user_id": user.id, "branch_id": branch_id, "today": now.date(),
        "patron_type": user.patron_type})


def withdrew(user: User, branch_id: int, given_at: datetime) -> None:
    """A support given on that day, in a branch, was withdrawn (and is gone). In each scope
    where they did nothing else that day, the day is no longer theirs, and their next day
    there follows the one before it.

    On PostgreSQL their rows of the day are locked first, as `took_part_now` locks the row it
    finds: two clicks of one patron at once then take turns, and the second sees what the first
    did (otherwise each could see the other's support still standing and keep the day)."""
    params = {"user_id": user.id, "branch_id": branch_id, "day": given_at.date(),
              "since": datetime.combine(given_at.date(), time.min)}
    params["until"] = params["since"] + timedelta(days=1)
    if dialect() == "postgresql":  # SQLite's writers take turns anyway
        run(prepared(_lock_day), params)
    if run(prepared(_forget_day), params).all():
        run(prepared(_relink), {"who": user.id, "in_branch": branch_id,
                                "forgotten": params["day"]})  # names apart from its columns


def participants_of(proposal: Proposal) -> set[int]:
    """Everyone whose participation the proposal's branch counts in: author, supporters,
    commenters."""
    return {proposal.author_id} | set(db.session.scalars(union(
        select(Support.user_id).where(Support.proposal_id == proposal.id),
        select(Comment.author_id).where(Comment.proposal_id == proposal.id))))


def count_support(proposal: Proposal, given_at: datetime, change: int) -> None:
    """Supports given to the proposal (change > 0) or withdrawn (< 0) on the day given."""
    run(prepared(_tally), {"day": given_at.date(), "supports": change, **_tally_key(proposal)})


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


def rebuild() -> None:
    """Both roll-ups from scratch, from every proposal, support and comment. The index on
    participation is built after its rows: kept up row by row instead, the whole took SQLite
    twice as long at M (13 s against 7 s)."""
    connection = db.session.connection()
    db.session.execute(delete(Participation))
    for index in Participation.__table__.indexes:
        index.drop(connection)
    db.session.execute(_participation(None))
    for index in Participation.__table__.indexes:
        index.create(connection)
    db.session.execute(delete(SupportTally))
    day = _day_of(Support.created_at)
    columns = (day, Proposal.branch_id, Proposal.category_id, Proposal.origin.in_(STAFF_ORIGINS))
    db.session.execute(insert(SupportTally).from_select(TALLY, select(
        *columns, func.count()).join(Proposal, Proposal.id == Support.proposal_id)
        .group_by(*columns)))


def _count_all(proposal: Proposal, sign: int, key: dict) -> None:
    """Add (sign +1) or take away (-1) the proposal's standing supports, day by day, under
    the tally's `key`."""
    day = _day_of(Support.created_at)
    rows = (select(day, *(literal(value) for value in key.values()), sign * func.count())
            .where(Support.proposal_id == proposal.id).group_by(day))
    db.session.execute(_adding(dialect_insert(SupportTally).from_select(["day", *key, "supports"],
                                                                        rows)))


def _tally_key(proposal: Proposal) -> dict:
    return {"branch_id": proposal.branch_id, "category_id": proposal.category_id,
            "by_staff": proposal.origin in STAFF_ORIGINS}


def _adding(statement):
    return statement.on_conflict_do_update(
        index_elements=list(SupportTally.__table__.primary_key),
        set_={"supports": SupportTally.supports + statement.excluded.supports})


def _tally():
    return _adding(dialect_insert(SupportTally.__table__).values(
        {name: bindparam(name) for name in TALLY}))


def _took_part():
    user_id, today = bindparam("user_id", type_=Integer), bindparam("today", type_=Date)
    scopes = union_all(select(literal(ALL_BRANCHES).label("scope")),
                       select(bindparam("branch_id", type_=Integer).label("scope"))).subquery()
    before = (select(func.max(Participation.day))
              .where(Participation.user_id == user_id, Participation.scope == scopes.c.scope,
                     Participation.day < today).scalar_subquery())
    rows = select(user_id, scopes.c.scope, today, func.coalesce(before, literal(NO_DAY, Date)),
                  bindparam("patron_type", type_=String))
    statement = dialect_insert(Participation.__table__).from_select(
        PARTICIPATION, rows.where(true()))  # `where`: SQLite reads ON CONFLICT after FROM as a join
    return statement.on_conflict_do_update(  # changes nothing, but locks the row (`withdrew`)
        index_elements=list(Participation.__table__.primary_key),
        set_={"previous_day": Participation.__table__.c.previous_day})


def _lock_day():
    return (select(Participation.scope)
            .where(Participation.user_id == bindparam("user_id", type_=Integer),
                   Participation.day == bindparam("day", type_=Date))
            .with_for_update())


def _forget_day():
    """Delete their rows of the day in both scopes, unless something of theirs that day is
    left in the scope; returning what it deleted."""
    user_id = bindparam("user_id", type_=Integer)
    since, until = bindparam("since", type_=DateTime), bindparam("until", type_=DateTime)

    def left(author, when, *join):
        statement = select(literal(1)).select_from(join[0] if join else Proposal)
        if join:
            statement = statement.join(Proposal, join[1])
        return ~(statement.where(author == user_id, when >= since, when < until, or_(
            Participation.scope == ALL_BRANCHES, Proposal.branch_id == Participation.scope))
            .exists())

    return (delete(Participation.__table__).where(
        Participation.user_id == user_id, Participation.day == bindparam("day", type_=Date),
        Participation.scope.in_([literal(ALL_BRANCHES), bindparam("branch_id", type_=Integer)]),
        left(Proposal.author_id, Proposal.created_at),
        left(Support.user_id, Support.created_at, Support, Proposal.id == Support.proposal_id),
        left(Comment.author_id, Comment.created_at, Comment, Proposal.id == Comment.proposal_id))
        .returning(Participation.scope))


def _relink():
    """Their next day after the one forgotten, in both scopes, follows whichever day of theirs
    is now the one before it."""
    table, other = Participation.__table__, Participation.__table__.alias("other")
    user_id = bindparam("who", type_=Integer)

    def nearest(function, *condition):
        return (select(function(other.c.day)).where(other.c.user_id == table.c.user_id,
                                                    other.c.scope == table.c.scope, *condition)
                .scalar_subquery())

    return (update(table).where(
        table.c.user_id == user_id,
        table.c.scope.in_([literal(ALL_BRANCHES), bindparam("in_branch", type_=Integer)]),
        table.c.day == nearest(func.min, other.c.day > bindparam("forgotten", type_=Date)))
        .values(previous_day=func.coalesce(nearest(func.max, other.c.day < table.c.day),
                                           literal(NO_DAY, Date))))


def _participation_of_some():
    return _participation(bindparam("users", expanding=True))


def _participation(users):
    """The participation rows of `users` (a bound list), or of everyone (None)."""
    def acts(user_id, when, branch, *joins):
        statement = select(user_id.label("user_id"), _day_of(when).label("day"),
                           branch.label("scope"))
        for join in joins:
            statement = statement.join(Proposal, join)
        return statement if users is None else statement.where(user_id.in_(users))

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
    return insert(Participation.__table__).from_select(PARTICIPATION, rows)


def _day_of(column):
    """The calendar day of a timestamp column, worked out by the database."""
    if dialect() == "sqlite":
        return func.date(column)
    return cast(column, Date)

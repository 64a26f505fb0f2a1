"""Roll-ups kept as events happen, so the dashboard reads a period's days instead of counting
its supports, millions at the largest size, for whatever period staff choose.

- `Participation`: a row per person, day and scope (all branches, or the proposal's branch) on
  which they proposed, supported or commented, with their previous such day in that scope. The
  distinct participants of a period are its rows whose previous day falls before the period:
  one row per person, read off an index day by day, never their other days.
- `ParticipantCount`: how many people took part per scope in each day, week and month, so a
  whole bucket of the dashboard's activity is one row, not an index entry per person and day.
- `SupportTally`: the standing supports given per day, branch, category and kind of start
  (by a patron or by staff, and invited: made in a call for ideas).

They follow the domain's events in the writing transaction (app/insight/subscribers.py
subscribes them to what app/events.py announces); `rebuild` works them out
again from the rows themselves (generated data, the demo, tests that write rows by hand).
The statements a support click sends are `prepared` once per kind of database and `run` on the
tables, as Core (app/statements.py). A day is the library's day (LIBRARY_TIMEZONE), not UTC's.
"""
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    true,
    union,
    union_all,
    update,
)

from app.auth.models import User
from app.extensions import db
from app.insight.models import (
    ALL_BRANCHES,
    NO_DAY,
    ParticipantCount,
    Participation,
    SupportTally,
)
from app.proposals.models import STAFF_ORIGINS, Comment, Proposal, Support
from app.statements import dialect, dialect_insert, library_date, prepared, run
from app.timeutil import library_day, start_of_library_day

BATCH = 5_000  # people per statement: well under SQLite's limit of bound values
PARTICIPATION = ["user_id", "scope", "day", "previous_day", "patron_type"]
TALLY = ["day", "branch_id", "category_id", "by_staff", "invited", "supports"]
COUNTS = ["scope", "unit", "first_day", "last_day", "people"]
UNITS = ("day", "week", "month")
STEPS = ("participation", "people per day, week and month", "support tally")  # of `rebuild`


def bucket(day: date, unit: str) -> tuple[date, date]:
    """The first and last day of the day, week (Monday to Sunday) or month holding `day`."""
    if unit == "day":
        return day, day
    if unit == "week":
        first = day - timedelta(days=day.weekday())
        return first, first + timedelta(days=6)
    first = day.replace(day=1)
    return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def refresh_participation(user_ids: Iterable[int]) -> None:
    """Work out again the participation of these people, from what they wrote and supported."""
    ordered = sorted(set(user_ids))
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start:start + BATCH]
        run(prepared(_recount_some), {"users": batch, "sign": -1})
        db.session.execute(delete(Participation).where(Participation.user_id.in_(batch)))
        run(prepared(_participation_of_some), {"users": batch})
        run(prepared(_recount_some), {"users": batch, "sign": +1})


def took_part_now(user: User, branch_id: int, now: datetime) -> None:
    """Someone took part just now, in a branch: today is their latest day in both scopes, so
    its row follows their last one before, and no later row needs to change.

    Where today is a new day of theirs, they count in today, this week and this month unless
    they already did. On PostgreSQL their earlier rows of the week and month are locked first,
    as `withdrew` locks the day it forgets: a withdrawal at once then takes turns with this."""
    today = library_day(now)
    new = [scope for scope, inserted in run(prepared(_took_part), {
        "user_id": user.id, "branch_id": branch_id, "today": today,
        "patron_type": user.patron_type}) if inserted]
    if not new:
        return
    params = {"user_id": user.id, "scopes": new, "today": today, **_buckets_of(today)}
    if dialect() == "postgresql":
        run(prepared(_lock_earlier), params | {
            "since": min(params["week_first"], params["month_first"])})
    run(prepared(_counted_in), params)


def withdrew(user: User, branch_id: int, given_at: datetime) -> None:
    """A support given on that day, in a branch, was withdrawn (and is gone). In each scope
    where they did nothing else that day, the day is no longer theirs, and their next day
    there follows the one before it.

    On PostgreSQL their rows of the day are locked first, as `took_part_now` locks the row it
    finds: two clicks of one patron at once then take turns, and the second sees what the first
    did (otherwise each could see the other's support still standing and keep the day)."""
    day = library_day(given_at)
    params = {"user_id": user.id, "branch_id": branch_id, "day": day,
              "since": start_of_library_day(day),
              "until": start_of_library_day(day + timedelta(days=1))}
    if dialect() == "postgresql":  # SQLite's writers take turns anyway
        run(prepared(_lock_day), params)
    gone = [scope for (scope,) in run(prepared(_forget_day), params)]
    if gone:
        run(prepared(_relink), {"who": user.id, "in_branch": branch_id,
                                "forgotten": params["day"]})  # names apart from its columns
        run(prepared(_counted_out), {"who": user.id, "scopes": gone,
                                     **_buckets_of(params["day"])})


def participants_of(proposal: Proposal) -> set[int]:
    """Everyone whose participation the proposal's branch counts in: author, supporters,
    commenters."""
    return {proposal.author_id} | set(db.session.scalars(union(
        select(Support.user_id).where(Support.proposal_id == proposal.id),
        select(Comment.author_id).where(Comment.proposal_id == proposal.id))))


def count_support(proposal: Proposal, given_at: datetime, change: int) -> None:
    """Supports given to the proposal (change > 0) or withdrawn (< 0) on the day given."""
    run(prepared(_tally), {"day": library_day(given_at), "supports": change,
                           **_tally_key(proposal)})


def supports_moved(source: Proposal, target: Proposal, moved: list[tuple[int, datetime]],
                   carried: list[int], at: datetime) -> None:
    """A merge took the source's supports (who, given when) away; those `carried` count on the
    target from `at`, and everyone who supported the source takes part as their rows now say."""
    key = _tally_key(source)
    for day, supports in Counter(library_day(given_at) for _user, given_at in moved).items():
        run(prepared(_tally), {"day": day, "supports": -supports, **key})
    if carried:
        count_support(target, at, len(carried))
    refresh_participation(user for user, _given_at in moved)


def supports_returned(source: Proposal, target: Proposal, returned: list[tuple[int, datetime]],
                      removed: list[int], merged_at: datetime) -> None:
    """An undone merge: the supports carried to the target on `merged_at` leave it, and the
    source's come back on the days they were given."""
    key = _tally_key(source)
    for day, supports in Counter(library_day(given_at) for _user, given_at in returned).items():
        run(prepared(_tally), {"day": day, "supports": supports, **key})
    if removed:
        count_support(target, merged_at, -len(removed))
    refresh_participation(user for user, _given_at in returned)


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


def rebuild(progress=None) -> None:
    """Every roll-up from scratch, from every proposal, support and comment, calling
    `progress(done, total)` after each of its `STEPS`. The index on participation is built
    after its rows: one sort of them all costs less than keeping it up row by row."""
    connection = db.session.connection()
    db.session.execute(delete(Participation))
    for index in Participation.__table__.indexes:
        index.drop(connection)
    db.session.execute(_participation(None))
    for index in Participation.__table__.indexes:
        index.create(connection)
    _done(progress, 1)
    db.session.execute(delete(ParticipantCount))
    db.session.execute(_recount(None), {"sign": 1})
    _done(progress, 2)
    db.session.execute(delete(SupportTally))
    day = library_date(Support.created_at)
    columns = (day, Proposal.branch_id, Proposal.category_id, Proposal.origin.in_(STAFF_ORIGINS),
               Proposal.call_id.is_not(None))
    db.session.execute(insert(SupportTally).from_select(TALLY, select(
        *columns, func.count()).join(Proposal, Proposal.id == Support.proposal_id)
        .group_by(*columns)))
    _done(progress, 3)


def _done(progress, step: int) -> None:
    if progress is not None:
        progress(step, len(STEPS))


def _count_all(proposal: Proposal, sign: int, key: dict) -> None:
    """Add (sign +1) or take away (-1) the proposal's standing supports, day by day, under
    the tally's `key`."""
    day = library_date(Support.created_at)
    rows = (select(day, *(literal(value) for value in key.values()), sign * func.count())
            .where(Support.proposal_id == proposal.id).group_by(day))
    db.session.execute(_adding(dialect_insert(SupportTally).from_select(["day", *key, "supports"],
                                                                        rows)))


def _buckets_of(day: date) -> dict:
    """The first and last day of each bucket holding `day`, as the statements' parameters."""
    params = {}
    for unit in UNITS:
        params[f"{unit}_first"], params[f"{unit}_last"] = bucket(day, unit)
    return params


def _tally_key(proposal: Proposal) -> dict:
    return {"branch_id": proposal.branch_id, "category_id": proposal.category_id,
            "by_staff": proposal.origin in STAFF_ORIGINS, "invited": proposal.call_id is not None}


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
    if dialect() == "sqlite":  # its writers take turns: nothing to lock; returns the rows added
        return statement.on_conflict_do_nothing().returning(
            Participation.scope, literal_column("1"))
    return statement.on_conflict_do_update(  # changes nothing, but locks the row (`withdrew`)
        index_elements=list(Participation.__table__.primary_key),
        set_={"previous_day": Participation.__table__.c.previous_day},
    ).returning(Participation.scope, literal_column("xmax = 0"))  # whether the row is new


def _lock_earlier():
    return (select(Participation.day)
            .where(Participation.user_id == bindparam("user_id", type_=Integer),
                   Participation.scope.in_(bindparam("scopes", expanding=True)),
                   Participation.day >= bindparam("since", type_=Date),
                   Participation.day < bindparam("today", type_=Date))
            .with_for_update())


def _bucket_params(unit: str) -> tuple:
    return bindparam(f"{unit}_first", type_=Date), bindparam(f"{unit}_last", type_=Date)


def _counted_in():
    """Count them in today's day, week and month, in the scopes where today is new to them,
    unless they took part earlier in that week or month."""
    user_id, today = bindparam("user_id", type_=Integer), bindparam("today", type_=Date)
    scopes = bindparam("scopes", expanding=True)
    earlier = Participation.__table__.alias("earlier")

    def counted(unit):
        first, last = _bucket_params(unit)
        none_before = ~select(literal(1)).where(
            earlier.c.user_id == user_id, earlier.c.scope == Participation.scope,
            earlier.c.day >= first, earlier.c.day < today).exists()
        one = literal(1, Integer)
        return select(Participation.scope, *_labelled(unit, first, last, one)).where(
            Participation.user_id == user_id, Participation.day == today,
            Participation.scope.in_(scopes), none_before)

    rows = union_all(*(counted(unit) for unit in UNITS)).subquery()
    return _adding_people(dialect_insert(ParticipantCount.__table__).from_select(
        COUNTS, select(*rows.c).where(true())))


def _counted_out():
    """They no longer count in the buckets of a day forgotten, in the scopes given, where no
    other day of theirs is left in the bucket."""
    table, days = ParticipantCount.__table__, Participation.__table__
    left = select(literal(1)).where(
        days.c.user_id == bindparam("who", type_=Integer), days.c.scope == table.c.scope,
        days.c.day >= table.c.first_day, days.c.day <= table.c.last_day).exists()
    holding = or_(*(and_(table.c.unit == unit, table.c.first_day == _bucket_params(unit)[0])
                    for unit in UNITS))
    return (update(table).where(table.c.scope.in_(bindparam("scopes", expanding=True)),
                                holding, ~left)
            .values(people=table.c.people - 1))


def _labelled(unit: str, first, last, people) -> tuple:
    """A row of counts' columns, each named: a day's first and last day are the same column."""
    return (literal(unit, String).label("unit"), first.label("first_day"),
            last.label("last_day"), people.label("people"))


def _adding_people(statement):
    return statement.on_conflict_do_update(
        index_elements=list(ParticipantCount.__table__.primary_key),
        set_={"people": ParticipantCount.people + statement.excluded.people})


def _recount_some():
    return _recount(bindparam("users", expanding=True))


def _recount(users):
    """Add the people of each scope and bucket, among `users` (a bound list) or everyone
    (None), times the bound `sign`: -1 takes those people's counts away."""
    days = Participation.__table__
    parts = []
    for unit in UNITS:
        first, last = _bucket_sql(days.c.day, unit)
        rows = select(days.c.scope, *_labelled(unit, first, last, func.count(
            days.c.user_id.distinct()) * bindparam("sign", type_=Integer)))
        if users is not None:
            rows = rows.where(days.c.user_id.in_(users))
        parts.append(rows.group_by(days.c.scope, first, last))
    rows = union_all(*parts).subquery()
    return _adding_people(dialect_insert(ParticipantCount.__table__).from_select(
        COUNTS, select(*rows.c).where(true())))


def _bucket_sql(day, unit: str) -> tuple:
    """`bucket` worked out by the database, for a date column."""
    if unit == "day":
        return day, day
    if dialect() == "sqlite":
        if unit == "week":
            return func.date(day, "weekday 0", "-6 days"), func.date(day, "weekday 0")
        return (func.date(day, "start of month"),
                func.date(day, "start of month", "+1 month", "-1 day"))
    first = func.date_trunc(unit, cast(day, DateTime))
    span = literal_column("interval '6 days'" if unit == "week"
                          else "interval '1 month' - interval '1 day'")
    return cast(first, Date), cast(first + span, Date)


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
        statement = select(user_id.label("user_id"), library_date(when).label("day"),
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

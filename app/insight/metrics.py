"""Figures staff read about their own service. Pure reads over a period and an optional branch.

Every function takes the period explicitly, so tests can build a data set, move the clock, and
check each figure against an answer worked out by hand.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, select

from app.auth.models import PatronType, Role, User
from app.extensions import db
from app.insight import rollups
from app.insight.models import (
    ALL_BRANCHES,
    ParticipantCount,
    Participation,
    Population,
    SupportTally,
)
from app.projects.models import Outcome, Project, Volunteer
from app.proposals import search
from app.proposals.models import (
    PUBLIC_STATUSES,
    STAFF_ORIGINS,
    Branch,
    Category,
    Proposal,
    Status,
)
from app.statements import dialect
from app.timeutil import start_of_library_day
from app.workshops.models import Registration, Workshop

ACCEPTED_OR_LATER = (Status.ACCEPTED.value, Status.IN_PROGRESS.value, Status.COMPLETED.value)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    branch_id: int | None = None

    @property
    def since(self) -> datetime:
        """When the library's first day of the period begins, as stored (UTC)."""
        return start_of_library_day(self.start)

    @property
    def until(self) -> datetime:
        return start_of_library_day(self.end + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def scope(self) -> int:
        """Of the roll-ups' rows: all branches, or the period's branch."""
        return ALL_BRANCHES if self.branch_id is None else self.branch_id

    def within(self, column):
        return and_(column >= self.since, column < self.until)

    def on_branch(self, statement: Select) -> Select:
        return statement if self.branch_id is None else statement.where(
            Proposal.branch_id == self.branch_id)


def _pairs(statement) -> dict:
    return {key: value for key, value in db.session.execute(statement)}


DAILY_UP_TO, WEEKLY_UP_TO = 62, 366  # days in a period; longer ones are counted per month


def unit_of(period: Period) -> str:
    """Per day up to two months, per week up to a year, per month beyond: a readable number of
    bars, and fewer patron-buckets to read for the longest periods."""
    return ("day" if period.days <= DAILY_UP_TO else
            "week" if period.days <= WEEKLY_UP_TO else "month")


def _buckets(period: Period, unit: str) -> list[date]:
    """The first day of every bucket that holds a day of the period (perhaps before it)."""
    buckets, day = [], period.start
    while day <= period.end:
        first, last = rollups.bucket(day, unit)
        buckets.append(first)
        day = last + timedelta(days=1)
    return buckets


@dataclass
class Series:
    buckets: list[date]
    unit: str  # "day", "week" or "month"
    submissions: list[int]
    supports: list[int]
    participants: list[int]


def activity(period: Period) -> Series:
    """Submissions, supports and distinct participants per day, week or month (`unit_of`).

    Counted by the database in one statement, each bucket a range of an index or a row kept
    counted (app/insight/rollups.py): a period can hold millions of supports."""
    unit = unit_of(period)
    buckets = _buckets(period, unit)
    ends = [start - timedelta(days=1) for start in buckets[1:]] + [period.end]
    spans = [(max(start, period.start), min(end, period.end))  # each bucket's days in the period
             for start, end in zip(buckets, ends, strict=True)]

    def within(column, span):
        return and_(column >= start_of_library_day(span[0]),
                    column < start_of_library_day(span[1] + timedelta(days=1)))

    made = [period.on_branch(select(func.count()).select_from(Proposal)
                             .where(within(Proposal.created_at, span))) for span in spans]
    given = [_tallied(period, select(func.coalesce(func.sum(SupportTally.supports), 0)))
             .where(SupportTally.day >= span[0], SupportTally.day <= span[1]) for span in spans]
    people = [_people(period, unit, span) for span in spans]
    row = list(db.session.execute(select(*(statement.scalar_subquery()
                                           for statement in made + given + people))).one())
    n = len(buckets)
    return Series(buckets, unit, row[:n], row[n:2 * n], row[2 * n:])


def _people(period: Period, unit: str, span: tuple[date, date]) -> Select:
    """How many took part in the span: a whole day, week or month as counted when they took
    part; a bucket the period cuts, from their days there."""
    if span == rollups.bucket(span[0], unit):
        return select(func.coalesce(func.sum(ParticipantCount.people), 0)).where(
            ParticipantCount.scope == period.scope, ParticipantCount.unit == unit,
            ParticipantCount.first_day == span[0])
    return select(func.count()).where(*_first_days(period, *span))


def _first_days(period: Period, first: date, last: date) -> tuple:
    """The participation rows of everyone who took part from `first` to `last`, one each: the
    day there that followed none since before `first` (app/insight/rollups.py). Each day is
    looked up in the index, so the rows read are the people counted, not all their days."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return (Participation.scope == period.scope, Participation.day.in_(days),
            Participation.previous_day < first)


@dataclass
class Share:
    label: str
    participants: int
    participant_share: float
    registered: int
    registered_share: float


def by_patron_type(period: Period, population: dict[str, int] | None = None) -> list[Share]:
    """Who takes part, against who is there: the guard against one group speaking for all.

    Only patrons count, on both sides: staff and admin accounts take part as the library. The
    comparison is with the `population` of each patron type when one is given (the term's
    enrolment figures), else with the patrons registered now, closed accounts left out."""
    part = Counter(_pairs(select(Participation.patron_type, func.count())
                          .join(User, User.id == Participation.user_id)
                          .where(User.role == Role.PATRON.value,
                                 *_first_days(period, period.start, period.end))
                          .group_by(Participation.patron_type)))
    base = Counter(population) if population else Counter(_pairs(
        select(User.patron_type, func.count())
        .where(User.role == Role.PATRON.value, User.deleted_at.is_(None))
        .group_by(User.patron_type)))
    part_total, base_total = sum(part.values()) or 1, sum(base.values()) or 1
    return [Share(kind.label, part[kind.value], part[kind.value] / part_total,
                  base[kind.value], base[kind.value] / base_total)
            for kind in PatronType]


def population_of(term: str) -> dict[str, int]:
    """The population entered for a term, by patron type; empty when none was entered."""
    return _pairs(select(Population.patron_type, Population.people)
                  .where(Population.term == term, Population.people > 0))


@dataclass
class CategoryRow:
    name: str
    submissions: int
    supports: int


def _tallied(period: Period, statement: Select) -> Select:
    """A sum of the supports tallied as they were given (app/insight/rollups.py)."""
    return statement if period.branch_id is None else statement.where(
        SupportTally.branch_id == period.branch_id)


def _supports_by(period: Period, key) -> dict:
    """The period's supports summed by a column of the tally: a row per day and kind."""
    return {value: int(total) for value, total in db.session.execute(_tallied(
        period, select(key, func.sum(SupportTally.supports))
        .where(SupportTally.day >= period.start, SupportTally.day <= period.end).group_by(key)))}


def by_category(period: Period) -> list[CategoryRow]:
    submitted = _pairs(period.on_branch(
        select(Proposal.category_id, func.count()).where(period.within(Proposal.created_at))
        .group_by(Proposal.category_id)))
    supported = _supports_by(period, SupportTally.category_id)
    categories = db.session.scalars(select(Category).order_by(Category.position, Category.id))
    return [CategoryRow(c.name, submitted.get(c.id, 0), supported.get(c.id, 0))
            for c in categories]


@dataclass
class Responsiveness:
    answered: int
    median_days: float | None
    p90_days: float | None
    promised: int  # went under review with a due date falling in the period
    kept: int  # of those, answered (accepted/declined/merged) by the due date

    @property
    def kept_share(self) -> float | None:
        return self.kept / self.promised if self.promised else None


def _nearest_rank(count: int, share: float) -> int:
    """Nearest-rank percentile: the rank of the smallest value with at least `share` of values
    at or below it."""
    return max(1, int(-(-count * share // 1)))


def _days_between(start, end):
    if dialect() == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return func.extract("epoch", end - start) / 86400


def responsiveness(period: Period, now: datetime) -> Responsiveness:
    """How long first answers took, and how many answers due in the period came in time.
    Ranked and counted by the database, rather than every answered proposal read into Python."""
    answered = period.on_branch(select(func.count()).select_from(Proposal).where(
        period.within(Proposal.published_at), Proposal.first_answer_at.is_not(None)))
    count = db.session.scalar(answered)
    median_days = p90_days = None
    if count:
        wait = _days_between(Proposal.published_at, Proposal.first_answer_at)
        ranked = answered.with_only_columns(wait.label("wait"), func.row_number().over(
            order_by=wait).label("rank")).subquery()
        middle, p90 = [(count + 1) // 2, count // 2 + 1], _nearest_rank(count, 0.9)
        waits = {rank: float(value) for rank, value in db.session.execute(  # one middle if odd
            select(ranked.c.rank, ranked.c.wait).where(ranked.c.rank.in_({*middle, p90})))}
        median_days, p90_days = (waits[middle[0]] + waits[middle[1]]) / 2, waits[p90]
    in_time = and_(Proposal.decided_at.is_not(None),
                   Proposal.decided_at <= Proposal.response_due_at)
    promised, kept = db.session.execute(period.on_branch(
        select(func.count(), func.coalesce(func.sum(case((in_time, 1), else_=0)), 0))
        .where(period.within(Proposal.response_due_at), Proposal.response_due_at <= now))).one()
    return Responsiveness(count, median_days, p90_days, promised, int(kept))


@dataclass
class Decisions:
    decided: int
    accepted: int
    declined: int
    completed: int

    def rate(self, part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def acceptance(self) -> float | None:
        return self.rate(self.accepted, self.decided)

    @property
    def decline(self) -> float | None:
        return self.rate(self.declined, self.decided)

    @property
    def completion(self) -> float | None:
        return self.rate(self.completed, self.accepted)


def decisions(period: Period) -> Decisions:
    """Proposals decided in the period: how many accepted, declined, and carried to completion."""
    statuses = Counter(_pairs(period.on_branch(
        select(Proposal.status, func.count()).where(period.within(Proposal.decided_at),
                                                    Proposal.status != Status.MERGED.value)
        .group_by(Proposal.status))))
    accepted = sum(statuses[s] for s in ACCEPTED_OR_LATER)
    declined = statuses[Status.DECLINED.value]
    return Decisions(accepted + declined, accepted, declined, statuses[Status.COMPLETED.value])


@dataclass
class Contribution:
    volunteer_hours: float
    volunteers: int
    outcomes: int
    ratings: int
    rating_average: float | None


def contribution(period: Period) -> Contribution:
    hours, volunteers = db.session.execute(period.on_branch(
        select(func.coalesce(func.sum(Volunteer.hours), 0), func.count(Volunteer.id))
        .join(Project, Project.id == Volunteer.project_id)
        .join(Proposal, Proposal.id == Project.proposal_id)
        .where(period.within(Volunteer.joined_at), Volunteer.state == "member"))).one()
    outcomes, ratings, total = db.session.execute(period.on_branch(
        select(func.count(Outcome.id), func.coalesce(func.sum(Outcome.rating_count), 0),
               func.coalesce(func.sum(Outcome.rating_total), 0))
        .join(Proposal, Proposal.id == Outcome.proposal_id)
        .where(period.within(Outcome.published_at)))).one()
    return Contribution(float(hours), volunteers, outcomes, int(ratings),
                        int(total) / int(ratings) if ratings else None)


@dataclass
class Initiative:
    """Who started what people took part in: patrons of their own accord, the library inviting
    ideas (proposals made in a call), or staff (desk intake, staff ideas). Apart, never summed
    into one another: the study warns against relying on invitations."""

    label: str
    by_patrons: int
    invited: int
    by_staff: int

    @property
    def patron_share(self) -> float | None:
        total = self.by_patrons + self.invited + self.by_staff
        return self.by_patrons / total if total else None


def initiative(period: Period) -> list[Initiative]:
    # All, those made in a call, and those otherwise started by staff: one pass, no grouping.
    in_call = Proposal.call_id.is_not(None)
    counted = select(func.count(), func.coalesce(func.sum(case((in_call, 1), else_=0)), 0),
                     func.coalesce(func.sum(case((in_call, 0), (Proposal.origin.in_(STAFF_ORIGINS),
                                                                 1), else_=0)), 0)
                     ).select_from(Proposal)

    def split(statement) -> tuple[int, int, int]:
        total, invited, by_staff = db.session.execute(statement).one()
        return total - int(invited) - int(by_staff), int(invited), int(by_staff)

    proposals = split(period.on_branch(counted.where(period.within(Proposal.created_at))))
    kind = case((SupportTally.invited, "invited"), (SupportTally.by_staff, "staff"),
                else_="patron")
    supported = _supports_by(period, kind)
    supports = supported.get("patron", 0), supported.get("invited", 0), supported.get("staff", 0)
    places = split(period.on_branch(counted
                                    .join(Project, Project.proposal_id == Proposal.id)
                                    .join(Volunteer, Volunteer.project_id == Project.id)
                                    .where(period.within(Volunteer.joined_at),
                                           Volunteer.state == "member")))
    return [Initiative(str(_l("Proposals")), *proposals),
            Initiative(str(_l("Supports")), *supports),
            Initiative(str(_l("Volunteer places")), *places)]


@dataclass
class Cluster:
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def supports(self) -> int:
        return sum(p.support_count for p in self.proposals)


def repeated_ideas(period: Period, limit: int = 8, scan: int = 300) -> list[Cluster]:
    """Groups of proposals sharing most of their title terms (the search index's tokens)."""
    most_supported = (Proposal.support_count.desc(), Proposal.id)
    chosen = period.on_branch(  # by id first; only those are loaded with what the page shows
        select(Proposal.id).where(period.within(Proposal.created_at),
                                  Proposal.status.in_([s.value for s in PUBLIC_STATUSES]
                                                      + [Status.SUBMITTED.value]))
        .order_by(*most_supported).limit(scan)).subquery()
    candidates = list(db.session.scalars(
        select(Proposal).join(chosen, chosen.c.id == Proposal.id).order_by(*most_supported))
        .unique())
    terms = [set(search.idea_terms(p.title)) for p in candidates]
    sharing = defaultdict(set)  # term -> the candidates (by place in the list) whose title has it
    for place, words in enumerate(terms):
        for word in words:
            sharing[word].add(place)
    clusters, placed = [], set()
    for place, words in enumerate(terms):
        if place in placed or not words:
            continue
        # Alike titles share a term: only those are compared, not every pair of 300.
        group = [other for other in sorted(set().union(*(sharing[word] for word in words)))
                 if other not in placed and other != place and _alike(words, terms[other])]
        if group:
            placed.update([place, *group])
            clusters.append(Cluster([candidates[i] for i in (place, *group)]))
    clusters.sort(key=lambda c: (len(c.proposals), c.supports), reverse=True)
    return clusters[:limit]


def _alike(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.5


def branch_choices() -> list[Branch]:
    return list(db.session.scalars(select(Branch).order_by(Branch.position, Branch.id)))


@dataclass
class WorkshopAttendance:
    label: str
    registered: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.registered if self.registered else None


def workshops(period: Period) -> tuple[int, list[WorkshopAttendance]]:
    """Workshops held in the period (not cancelled, started), and by patron type how many
    registered and how many came: the attendance rate, for staff only."""
    held = and_(period.within(Workshop.starts_at), Workshop.cancelled_at.is_(None))
    on_branch = () if period.branch_id is None else (Workshop.branch_id == period.branch_id,)
    count = db.session.scalar(select(func.count(Workshop.id)).where(held, *on_branch))
    rows = db.session.execute(
        select(User.patron_type, func.count(Registration.id), func.count(Registration.attended_at))
        .join(Registration, Registration.user_id == User.id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(held, *on_branch, Registration.state == "registered")
        .group_by(User.patron_type)).all()
    found = {kind: (registered, attended) for kind, registered, attended in rows}
    return count, [WorkshopAttendance(kind.label, *found.get(kind.value, (0, 0)))
                   for kind in PatronType]

"""Calls for ideas: the library asks, for a while, about one thing. A call's phases follow one
another by the clock (collecting ideas, supporting, reviewing, results), each with a start and
an end stored as naive UTC; the phase is worked out whenever it is read, never moved by a job.

The model lives beside proposals because the proposals' own rules ask it: a proposal is made
into a call only while it collects ideas, and a call's proposal takes supports only while it
collects or supports (app/proposals/services.py). Staff create and edit calls in app/calls/."""
import enum
from bisect import bisect_right
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, select, union_all
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import timeutil
from app.extensions import db
from app.i18n import in_reader_language, translate
from app.proposals.models import N_, Branch, Category, Proposal
from app.timeutil import utcnow


def clock() -> datetime:
    """Now, for a call's phase: read through `app.timeutil`, so a test moves every call's
    clock at once (monkeypatch `app.timeutil.utcnow`)."""
    return timeutil.utcnow()


class Phase(str, enum.Enum):
    UPCOMING = "upcoming"
    COLLECTING = "collecting"
    SUPPORTING = "supporting"
    REVIEWING = "reviewing"
    RESULTS = "results"
    BETWEEN = "between"  # one phase ended, the next has not begun
    ENDED = "ended"

    @property
    def label(self) -> str:
        return translate(PHASE_LABELS[self])


PHASE_LABELS = {
    Phase.UPCOMING: N_("Not open yet"),
    Phase.COLLECTING: N_("Collecting ideas"),
    Phase.SUPPORTING: N_("Supporting"),
    Phase.REVIEWING: N_("Staff reviewing"),
    Phase.RESULTS: N_("Results"),
    Phase.BETWEEN: N_("Between phases"),
    Phase.ENDED: N_("Ended"),
}
# The four phases staff date, in their order: (phase, start column, end column).
PHASES = tuple((phase, f"{phase.value}_starts_at", f"{phase.value}_ends_at") for phase in
               (Phase.COLLECTING, Phase.SUPPORTING, Phase.REVIEWING, Phase.RESULTS))
TAKING_SUPPORTS = (Phase.COLLECTING, Phase.SUPPORTING)


class Call(db.Model):
    __table_args__ = (
        Index("ix_call_collecting_starts_at", "collecting_starts_at"),
        Index("ix_call_results_starts_at", "results_starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_en: Mapped[str] = mapped_column(String(140), default="")
    title_zh: Mapped[str] = mapped_column(String(140), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")  # the closing summary
    summary_zh: Mapped[str] = mapped_column(Text, default="")
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"), index=True)  # None: all
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), index=True)
    collecting_starts_at: Mapped[datetime]
    collecting_ends_at: Mapped[datetime]
    supporting_starts_at: Mapped[datetime]
    supporting_ends_at: Mapped[datetime]
    reviewing_starts_at: Mapped[datetime]
    reviewing_ends_at: Mapped[datetime]
    results_starts_at: Mapped[datetime]
    results_ends_at: Mapped[datetime]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    branch: Mapped[Branch | None] = relationship(lazy="joined")
    category: Mapped[Category | None] = relationship(lazy="joined")

    @property
    def title(self) -> str:
        return in_reader_language(self.title_en, self.title_zh)

    @property
    def description(self) -> str:
        return in_reader_language(self.description_en, self.description_zh)

    @property
    def summary(self) -> str:
        return in_reader_language(self.summary_en, self.summary_zh)

    def phase(self, now: datetime) -> Phase:
        if now < self.collecting_starts_at:
            return Phase.UPCOMING
        for phase, starts, ends in PHASES:
            if getattr(self, starts) <= now < getattr(self, ends):
                return phase
        return Phase.ENDED if now >= self.results_ends_at else Phase.BETWEEN

    def next_change(self, now: datetime) -> datetime | None:
        """The next moment the phase changes: what the countdown counts to."""
        moments = sorted(getattr(self, column) for _phase, starts, ends in PHASES
                         for column in (starts, ends))
        return next((moment for moment in moments if moment > now), None)

    def takes_proposals(self, now: datetime) -> bool:
        return self.phase(now) is Phase.COLLECTING

    def takes_supports(self, now: datetime) -> bool:
        return self.phase(now) in TAKING_SUPPORTS

    def shows_summary(self, now: datetime) -> bool:
        return self.phase(now) in (Phase.RESULTS, Phase.ENDED) and bool(self.summary)


# Loaded when asked (a proposal outside any call never asks): one call per page, from the
# identity map after the first.
Proposal.call = relationship(Call, lazy="select")



# The phase boundaries of every call, as read at a revision of the database (app/pagecache.py):
# calls change only by writes, which move the revision, so between two writes the clock alone
# moves a phase, and that is counted here without a statement.
_boundaries: tuple[int | None, list[datetime]] = (None, [])


def phase_changes_passed(revision: int | None = None) -> int:
    """How many phase boundaries of all calls the clock has passed: it grows exactly when some
    call changes phase, so visitors' kept pages that show a phase, or a support button a phase
    allows, are kept under it as well (`pagecache.for_visitors(vary=…)`)."""
    global _boundaries
    known_at, moments = _boundaries
    if revision is None or known_at != revision:
        columns = [getattr(Call, name) for _phase, starts, ends in PHASES
                   for name in (starts, ends)]
        moments = sorted(db.session.scalars(union_all(*(select(column) for column in columns))))
        if revision is not None:
            _boundaries = (revision, moments)
    return bisect_right(moments, clock())

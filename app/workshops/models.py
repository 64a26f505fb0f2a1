import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import PatronType, User
from app.extensions import db
from app.projects.models import Indicator, Milestone, Outcome, Project
from app.proposals.calls import Call
from app.proposals.models import Branch, Proposal
from app.timeutil import utcnow


class Seat(str, enum.Enum):
    REGISTERED = "registered"
    WAITING = "waiting"


class Workshop(db.Model):
    """A dated co-design session with places, for a project or on its own. Times are stored as
    naive UTC (app/timeutil.py); people read and enter them on the library's clock."""

    __table_args__ = (
        CheckConstraint("registered >= 0 AND registered <= places",
                        name="registered_within_places"),
        CheckConstraint("places >= 0", name="places_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_workshop_starts", "starts_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"), index=True)
    room: Mapped[str] = mapped_column(String(120), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")  # registered patrons only
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    places: Mapped[int]
    registered: Mapped[int] = mapped_column(default=0)  # kept by guarded updates (app/places.py)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    patron_types: Mapped[str] = mapped_column(String(200), default="")  # "" = every patron
    question: Mapped[str] = mapped_column(String(200), default="")  # answers: staff only
    sequence: Mapped[int] = mapped_column(default=0)  # iCalendar SEQUENCE: rises on each move
    check_in_code: Mapped[str] = mapped_column(String(12))
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_published_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[Project | None] = relationship(lazy="joined")
    branch: Mapped[Branch | None] = relationship(lazy="joined")
    call: Mapped[Call | None] = relationship(lazy="joined")

    @property
    def free_places(self) -> int:
        return self.places - self.registered

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= utcnow()

    @property
    def invited_types(self) -> list[PatronType]:
        return [PatronType(value) for value in self.patron_types.split(",") if value]

    @property
    def hours(self) -> Decimal:
        """What attending is worth as recognised hours: the session's length, to a tenth."""
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / 3600).quantize(
            Decimal("0.1"))

    @property
    def title_for_project(self) -> str:
        return self.project.proposal.title if self.project else ""


class Came(str, enum.Enum):
    """What a workshop's link points at: what came out of the session."""
    PROPOSAL = "proposal"
    MILESTONE = "milestone"
    INDICATOR = "indicator"


class WorkshopLink(db.Model):
    """Something that came out of a workshop, linked by staff after the session: a new
    proposal, a project milestone or an outcome indicator (exactly one of the three)."""

    __table_args__ = (
        CheckConstraint("(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN milestone_id IS NULL THEN 0 ELSE 1 END)"
                        " + (CASE WHEN indicator_id IS NULL THEN 0 ELSE 1 END) = 1",
                        name="links_one_thing"),
        UniqueConstraint("workshop_id", "proposal_id"),
        UniqueConstraint("workshop_id", "milestone_id"),
        UniqueConstraint("workshop_id", "indicator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"),
                                             index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"),
                                                    index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"),
                                                     index=True)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"),
                                                     index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
    milestone: Mapped[Milestone | None] = relationship()
    indicator: Mapped[Indicator | None] = relationship()

    @property
    def kind(self) -> Came:
        if self.proposal_id is not None:
            return Came.PROPOSAL
        return Came.MILESTONE if self.milestone_id is not None else Came.INDICATOR

    @property
    def project(self) -> Project | None:
        """The project a milestone or an indicator (through its outcome) belongs to."""
        if self.milestone is not None:
            return db.session.get(Project, self.milestone.project_id)
        if self.indicator is not None:
            outcome = db.session.get(Outcome, self.indicator.outcome_id)
            return outcome.project if outcome else None
        return None


class Registration(db.Model):
    """A patron's seat at a workshop: registered, or waiting in arrival order (by id)."""

    __table_args__ = (
        UniqueConstraint("workshop_id", "user_id"),
        Index("ix_registration_workshop_state", "workshop_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    state: Mapped[str] = mapped_column(String(10))
    answer: Mapped[str] = mapped_column(Text, default="")  # to the workshop's question; staff only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    attended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    workshop: Mapped[Workshop] = relationship()


class CalendarFeed(db.Model):
    """A patron's private calendar address: whoever knows the token reads their workshops."""

    __table_args__ = ({"info": {"unseen_by_visitors": True}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(db.Model):
    """One row per reminder that went into the outbox, written in the same transaction: the
    unique constraint lets exactly one worker run claim it."""

    __table_args__ = (UniqueConstraint("registration_id", "kind"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registration.id"))
    kind: Mapped[str] = mapped_column(String(10))  # "day" or "hour"
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

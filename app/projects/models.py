import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.proposals.models import Proposal
from app.timeutil import utcnow


class Place(str, enum.Enum):
    MEMBER = "member"
    WAITING = "waiting"


class Project(db.Model):
    """A co-design project carrying out an accepted proposal."""

    __table_args__ = (
        CheckConstraint("members >= 0 AND members <= places", name="members_within_places"),
        CheckConstraint("places >= 0", name="places_not_negative"),
        Index("ix_project_starts", "starts_on", "id"),  # the API's order
        # and ix_project_listing, on an expression, the page's (migration 0009)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), unique=True)
    goal: Mapped[str] = mapped_column(Text)
    volunteer_tasks: Mapped[str] = mapped_column(Text)
    places: Mapped[int]
    members: Mapped[int] = mapped_column(default=0)  # kept by guarded updates, never over places
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    lead_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(index=True)

    proposal: Mapped[Proposal] = relationship(lazy="joined", innerjoin=True)
    lead: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    milestones: Mapped[list["Milestone"]] = relationship(
        order_by="Milestone.position, Milestone.id", cascade="all, delete-orphan")
    updates: Mapped[list["ProjectUpdate"]] = relationship(
        order_by="ProjectUpdate.created_at.desc()", cascade="all, delete-orphan")
    outcome: Mapped["Outcome | None"] = relationship(viewonly=True, uselist=False)

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def starts_later(self, today: date) -> bool:
        """Not begun yet: shown as "Starts on …", and it cannot be completed."""
        return not self.is_completed and self.starts_on > today

    @property
    def free_places(self) -> int:
        return self.places - self.members


# A proposal's project, read from the proposal's side; declared here because projects build on
# proposals, and proposals know nothing of them.
Proposal.project = relationship(Project, viewonly=True, uselist=False)


class Milestone(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(default=0)


class ProjectUpdate(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")


class Volunteer(db.Model):
    """A patron's place in a project: a member, or waiting in arrival order (by id)."""

    __table_args__ = (
        UniqueConstraint("project_id", "user_id"),
        Index("ix_volunteer_project_state", "project_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    state: Mapped[str] = mapped_column(String(10))
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    promoted_at: Mapped[datetime | None]
    hours: Mapped[Decimal] = mapped_column(Numeric(7, 1), default=Decimal("0"))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class Outcome(db.Model):
    """What changed when the project completed, with measured indicators and evidence."""

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), unique=True)
    summary: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")  # links, one per line
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    supporters: Mapped[int] = mapped_column(default=0)  # at completion, for the record
    volunteers: Mapped[int] = mapped_column(default=0)
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_total: Mapped[int] = mapped_column(default=0)

    # read when asked for: no list shows the project (nor its lead and its proposal again)
    project: Mapped[Project] = relationship()
    proposal: Mapped[Proposal] = relationship(lazy="joined", innerjoin=True)
    indicators: Mapped[list["Indicator"]] = relationship(
        order_by="Indicator.position", cascade="all, delete-orphan", lazy="selectin")

    @property
    def evidence_links(self) -> list[str]:
        return [line.strip() for line in self.evidence.splitlines() if line.strip()]

    @property
    def rating_average(self) -> float | None:
        return self.rating_total / self.rating_count if self.rating_count else None


class Indicator(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    before: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    after: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    unit: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(default=0)


class Rating(db.Model):
    __table_args__ = (
        UniqueConstraint("outcome_id", "user_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_one_to_five"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcome.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    stars: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")

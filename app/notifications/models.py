import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.proposals.calls import Call
from app.proposals.models import Proposal
from app.timeutil import utcnow
from app.workshops.models import Workshop


class Kind(str, enum.Enum):
    STATUS_CHANGED = "status_changed"  # a proposal you wrote or support changed status
    SUPPORT_CARRIED = "support_carried"  # your support moved to the proposal yours merged into
    PROJECT_UPDATE = "project_update"  # staff posted news of a project you follow
    PROMOTED = "promoted"  # a place freed and you moved up from the waiting list
    OUTCOME = "outcome"  # the project finished: see what changed and rate it
    MERGE_UNDONE = "merge_undone"  # staff undid a merge: the proposal stands on its own again
    OFFICIAL_RESPONSE = "official_response"  # staff marked a comment as the library's response
    COMMENT = "comment"  # someone commented on a proposal you follow
    REPLY = "reply"  # someone replied to your comment
    WORKSHOP_MOVED = "workshop_moved"  # a workshop you registered or wait for moved
    WORKSHOP_CANCELLED = "workshop_cancelled"  # … was called off
    WORKSHOP_PROMOTED = "workshop_promoted"  # a place freed: you moved up from its waiting list
    WORKSHOP_REMINDER = "workshop_reminder"  # your workshop is tomorrow / starts soon
    CALL_OPENED = "call_opened"  # a call for ideas in a branch you chose started collecting
    CALL_RESULTS = "call_results"  # a call you took part in published its results


class Topic(str, enum.Enum):
    """The kinds of event a patron chooses to hear of, each on the channels they pick."""
    DECISIONS = "decisions"
    RESPONSES = "responses"
    PROJECTS = "projects"
    DISCUSSION = "discussion"
    WORKSHOPS = "workshops"
    CALLS = "calls"


class Channel(str, enum.Enum):
    IN_APP = "in_app"  # the notification centre
    EMAIL = "email"  # an e-mail at once
    DIGEST = "digest"  # the weekly digest e-mail


TOPIC_OF = {
    Kind.STATUS_CHANGED: Topic.DECISIONS, Kind.SUPPORT_CARRIED: Topic.DECISIONS,
    Kind.PROJECT_UPDATE: Topic.PROJECTS, Kind.PROMOTED: Topic.PROJECTS,
    Kind.OUTCOME: Topic.PROJECTS, Kind.OFFICIAL_RESPONSE: Topic.RESPONSES,
    Kind.COMMENT: Topic.DISCUSSION, Kind.REPLY: Topic.DISCUSSION,
    Kind.WORKSHOP_MOVED: Topic.WORKSHOPS, Kind.WORKSHOP_CANCELLED: Topic.WORKSHOPS,
    Kind.WORKSHOP_PROMOTED: Topic.WORKSHOPS, Kind.WORKSHOP_REMINDER: Topic.WORKSHOPS,
    Kind.CALL_OPENED: Topic.CALLS, Kind.CALL_RESULTS: Topic.CALLS,
    Kind.MERGE_UNDONE: Topic.DECISIONS,
}


class Notification(db.Model):
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(30))
    topic: Mapped[str] = mapped_column(String(20), default=Topic.DECISIONS.value)
    # What it is about: a proposal, a workshop or a call (one of them; see services.link).
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop.id"), index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    # Where the patron chose to read this kind of news when it happened: the notification
    # centre, the weekly digest (a row is kept only for one of them at least).
    in_app: Mapped[bool] = mapped_column(Boolean, default=True)
    in_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))
    status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    proposal: Mapped[Proposal | None] = relationship(foreign_keys=[proposal_id], lazy="joined")
    source: Mapped[Proposal | None] = relationship(foreign_keys=[source_id])
    workshop: Mapped[Workshop | None] = relationship(lazy="joined")
    call: Mapped[Call | None] = relationship(lazy="joined")


class Follow(db.Model):
    """A patron's own choice to follow a proposal (and its project) or to stop: it overrides
    what their part in it implies (authors, supporters and volunteers follow by default)."""

    __table_args__ = {"info": {"unseen_by_visitors": True}}

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), primary_key=True,
                                             index=True)
    following: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Choice(db.Model):
    """A patron's own answer to "kind of event K on channel C?"; without a row the default
    (services.default_wants, from the e-mail frequency chosen before these settings) holds."""

    __tablename__ = "notification_choice"
    __table_args__ = {"info": {"unseen_by_visitors": True}}

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    wanted: Mapped[bool] = mapped_column(Boolean)


class CallWatch(db.Model):
    """A patron's opt-in to hear when a call for ideas opens: in one branch, or (branch_id None)
    in every branch."""

    __table_args__ = (UniqueConstraint("user_id", "branch_id"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branch.id"))


class CallNotice(db.Model):
    """One row per call and news ("opened", "results") once its patrons were told, written in
    the same transaction as the notifications: the unique constraint lets exactly one worker
    run claim it."""

    __table_args__ = (UniqueConstraint("call_id", "kind"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"))
    kind: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.proposals.models import Proposal
from app.timeutil import utcnow


class Kind(str, enum.Enum):
    STATUS_CHANGED = "status_changed"  # a proposal you wrote or support changed status
    SUPPORT_CARRIED = "support_carried"  # your support moved to the proposal yours merged into
    PROJECT_UPDATE = "project_update"  # staff posted news of a project you follow
    PROMOTED = "promoted"  # a place freed and you moved up from the waiting list
    OUTCOME = "outcome"  # the project finished: see what changed and rate it
    MERGE_UNDONE = "merge_undone"  # staff undid a merge: the proposal stands on its own again


class Notification(db.Model):
    __table_args__ = (Index("ix_notification_user_read", "user_id", "read_at"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(30))
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))
    status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    proposal: Mapped[Proposal] = relationship(foreign_keys=[proposal_id], lazy="joined")
    source: Mapped[Proposal | None] = relationship(foreign_keys=[source_id])


class Follow(db.Model):
    """A patron's own choice to follow a proposal (and its project) or to stop: it overrides
    what their part in it implies (authors, supporters and volunteers follow by default)."""

    __table_args__ = {"info": {"unseen_by_visitors": True}}

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), primary_key=True,
                                             index=True)
    following: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

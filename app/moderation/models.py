import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.i18n import translate
from app.media.models import MediaFile
from app.proposals.models import N_, Comment, Proposal
from app.timeutil import utcnow


class Reason(str, enum.Enum):
    SPAM = "spam"
    OFFENSIVE = "offensive"
    PERSONAL = "personal"
    DUPLICATE = "duplicate"
    OTHER = "other"

    @property
    def label(self) -> str:
        return translate(REASON_LABELS[self])


REASON_LABELS = {
    Reason.SPAM: N_("Spam or advertising"),
    Reason.OFFENSIVE: N_("Offensive or abusive"),
    Reason.PERSONAL: N_("Reveals personal information"),
    Reason.DUPLICATE: N_("Duplicate of another proposal"),
    Reason.OTHER: N_("Something else"),
}


# exactly one of the three things a flag can be about
ONE_SUBJECT = ("CAST(proposal_id IS NOT NULL AS INTEGER) + CAST(comment_id IS NOT NULL AS INTEGER)"
               " + CAST(media_file_id IS NOT NULL AS INTEGER) = 1")


class Resolution(str, enum.Enum):
    UPHELD = "upheld"  # staff keep the content hidden
    DISMISSED = "dismissed"  # staff restore it


class Flag(db.Model):
    """A patron's report about a proposal, a comment or a photo; one per patron and item."""

    __table_args__ = (
        UniqueConstraint("user_id", "proposal_id"),
        UniqueConstraint("user_id", "comment_id"),
        UniqueConstraint("user_id", "media_file_id"),
        CheckConstraint(ONE_SUBJECT, name="one_subject"),
        Index("ix_flag_open", "resolved_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True)
    # a photo (on a proposal, a project update or an outcome); its flags go with it
    media_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("media_file.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    proposal: Mapped[Proposal | None] = relationship()
    comment: Mapped[Comment | None] = relationship()
    media_file: Mapped[MediaFile | None] = relationship()


class MergeRecord(db.Model):
    """What a merge moved and what the merged proposal was before it, so that staff can undo
    it exactly within a day (app/moderation/merges.py)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    merged_at: Mapped[datetime]
    from_status: Mapped[str] = mapped_column(String(20))
    was_decided_at: Mapped[datetime | None]
    was_first_answer_at: Mapped[datetime | None]
    was_reviewed_at: Mapped[datetime | None]
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    supports: Mapped[list["MergedSupport"]] = relationship(
        cascade="all, delete-orphan", order_by="MergedSupport.user_id")
    photos: Mapped[list["MergedPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="MergedPhoto.position")


class MergedSupport(db.Model):
    """A support the merged proposal had: who, since when, and whether it was carried over to
    the target (False: the patron supported both already)."""

    merge_id: Mapped[int] = mapped_column(ForeignKey("merge_record.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    given_at: Mapped[datetime]
    carried: Mapped[bool]


class MergedPhoto(db.Model):
    """A photo the merge moved to the target, and its place on the merged proposal. No foreign
    key: a photo removed since (its owner closed the account) simply does not come back."""

    merge_id: Mapped[int] = mapped_column(ForeignKey("merge_record.id"), primary_key=True)
    photo_id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]

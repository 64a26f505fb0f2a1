"""An uploaded file: a photo (shown at a display size and as a thumbnail) on a proposal, a
project update or an outcome, or a PDF document with a title, evidence for an outcome.
Until a form that carries it is accepted it is a pending upload of its owner (nothing carries it
yet), held for that form (`held_for`) and kept a day so a refused form need not be filled in
twice (app/media/tasks.py)."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow

IMAGE, PDF = "image", "pdf"


class MediaFile(db.Model):
    __table_args__ = (Index("ix_media_file_pending", "owner_id", "proposal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"))  # led by the pending index
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id"), index=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("project_update.id"), index=True)
    # The form a pending upload came from: "" a proposal form, "update-<project id>",
    # "outcome-<project id>"; so one form never shows what was held for another.
    held_for: Mapped[str] = mapped_column(String(40), default="", server_default="")
    kind: Mapped[str] = mapped_column(String(10), default=IMAGE)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    thumb_key: Mapped[str | None] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(60))
    byte_size: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    thumb_width: Mapped[int | None]
    thumb_height: Mapped[int | None]
    alt_text: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(String(200), default="")  # a document's
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    hidden_at: Mapped[datetime | None]

    @property
    def is_image(self) -> bool:
        return self.kind == IMAGE

    @property
    def is_pending(self) -> bool:
        return self.proposal_id is None and self.outcome_id is None and self.update_id is None

    @property
    def carrier(self) -> tuple[str, int] | None:
        """What the file belongs to, as (kind, id); None while it is pending."""
        for kind, carrier_id in (("proposal", self.proposal_id), ("update", self.update_id),
                                 ("outcome", self.outcome_id)):
            if carrier_id is not None:
                return kind, carrier_id
        return None

    def keys(self) -> list[str]:
        return [key for key in (self.key, self.thumb_key) if key]

"""An append-only record of every staff action: who, what, on which object, why, when."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.timeutil import utcnow


class AuditEntry(db.Model):
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_id"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


def record(actor: User | None, action: str, subject=None, reason: str = "", *,
           subject_type: str | None = None) -> None:
    """`subject` is the changed row; library-wide changes name a `subject_type` instead."""
    db.session.add(AuditEntry(
        actor_id=actor.id if actor else None, action=action,
        subject_type=subject_type or type(subject).__name__.lower(),
        subject_id=subject.id if subject is not None else 0, reason=reason or "",
    ))

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.timeutil import utcnow


class ExternalIdentity(db.Model):
    """A university identity (the provider's stable subject) that signs in as one account."""
    __tablename__ = "external_identity"
    __table_args__ = (UniqueConstraint("provider", "subject"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    provider: Mapped[str] = mapped_column(String(20))  # "oidc" or "cas"
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class CasTicket(db.Model):
    """The service ticket a CAS sign-in used: a single-logout request names it."""
    __tablename__ = "cas_ticket"
    __table_args__ = ({"info": {"unseen_by_visitors": True}},)

    ticket: Mapped[str] = mapped_column(String(256), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

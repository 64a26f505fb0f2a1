import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.timeutil import utcnow


class Role(str, enum.Enum):
    PATRON = "patron"
    STAFF = "staff"
    ADMIN = "admin"


class PatronType(str, enum.Enum):
    UNDERGRADUATE = "undergraduate"
    POSTGRADUATE = "postgraduate"
    FACULTY = "faculty"
    STAFF = "staff"
    ALUMNUS = "alumnus"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(PATRON_TYPE_LABELS[self])

    @property
    def anonymous_label(self) -> str:
        return str(ANONYMOUS_LABELS[self])


PATRON_TYPE_LABELS = {
    PatronType.UNDERGRADUATE: _l("Undergraduate"),
    PatronType.POSTGRADUATE: _l("Postgraduate"),
    PatronType.FACULTY: _l("Faculty"),
    PatronType.STAFF: _l("University staff"),
    PatronType.ALUMNUS: _l("Alumnus"),
    PatronType.OTHER: _l("Other"),
}

ANONYMOUS_LABELS = {
    PatronType.UNDERGRADUATE: _l("an undergraduate"),
    PatronType.POSTGRADUATE: _l("a postgraduate"),
    PatronType.FACULTY: _l("a faculty member"),
    PatronType.STAFF: _l("a member of university staff"),
    PatronType.ALUMNUS: _l("an alumnus"),
    PatronType.OTHER: _l("a patron"),
}


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class EmailFrequency(str, enum.Enum):
    IMMEDIATE = "immediate"
    WEEKLY = "weekly"
    NONE = "none"


class User(UserMixin, db.Model):
    # The dashboard counts who is registered, by patron type, from this index alone.
    __table_args__ = (Index("ix_user_role_patron_type", "role", "patron_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    patron_type: Mapped[str] = mapped_column(String(20), default=PatronType.OTHER.value)
    role: Mapped[str] = mapped_column(String(10), default=Role.PATRON.value)
    password_hash: Mapped[str] = mapped_column(String(255))
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    locale: Mapped[str | None] = mapped_column(String(10))  # the interface language chosen
    email_frequency: Mapped[str] = mapped_column(String(10), default="immediate",
                                                 server_default="immediate")
    last_digest_at: Mapped[datetime | None]
    email_verified_at: Mapped[datetime | None]
    suspended_until: Mapped[datetime | None]
    suspension_reason: Mapped[str | None] = mapped_column(String(500))
    deleted_at: Mapped[datetime | None]  # the account was closed; its words stay, unnamed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        # The nonce in the id lets a rotation end every old session and remember-me cookie.
        return f"{self.id}:{self.session_nonce}"

    @property
    def name(self) -> str:
        """The name others see: a closed account's words stay, credited to a former patron."""
        return str(_l("former patron")) if self.deleted_at else self.display_name

    def is_suspended(self, now: datetime) -> bool:
        return self.suspended_until is not None and self.suspended_until > now

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF.value, Role.ADMIN.value)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN.value

    @property
    def kind(self) -> PatronType:
        return PatronType(self.patron_type)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"

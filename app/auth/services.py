"""Account rules: registration, sign-in checks, roles. Flush, never commit."""
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import PatronType, Role, User, new_nonce
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.domain import Refused
from app.extensions import db

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused(
            _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field="password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refused(
            _("Use at most %(n)d characters.", n=MAX_PASSWORD_LENGTH), field="password"
        )


def register(
    *, email: str, display_name: str, password: str,
    patron_type: str = PatronType.OTHER.value, role: str = Role.PATRON.value,
) -> User:
    try:
        validate_email(normalise_email(email), check_deliverability=False)
    except EmailNotValidError:
        raise Refused(_("Enter a valid e-mail address."), field="email") from None
    if find_by_email(email):
        raise Refused(_("An account with this e-mail address already exists."), field="email")
    check_password_rules(password)
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        patron_type=PatronType(patron_type).value,
        role=Role(role).value,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None:
        verify_password(_dummy_hash(), password)  # as slow as a real check: no account probing
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@cache
def _dummy_hash() -> str:
    return hash_password("not a password anyone has")


def change_password(user: User, password: str) -> None:
    """A new password ends every session and makes used reset links worthless."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    end_other_sessions(user)


def end_other_sessions(user: User) -> None:
    """Rotating the nonce invalidates every session and remember-me cookie of the user."""
    user.session_nonce = new_nonce()


def set_role(user: User, role: str) -> None:
    user.role = Role(role).value
    end_other_sessions(user)

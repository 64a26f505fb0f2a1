"""Signing in with a university identity: find its account, or make one, or link one.
Flush, never commit: the view commits once."""
import secrets

from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import events
from app.auth import services as accounts
from app.auth.models import Role, User
from app.auth.passwords import verify_password
from app.domain import Refused
from app.extensions import db
from app.sso import claims
from app.sso.claims import Identity
from app.sso.models import CasTicket, ExternalIdentity
from app.timeutil import utcnow

NO_PASSWORD = "!sso"  # noqa: S105 - a marker that matches no password
RANK = {Role.PATRON.value: 0, Role.STAFF.value: 1, Role.ADMIN.value: 2}


class NeedsLink(Exception):
    """A password account already holds the identity's e-mail address: its owner proves the
    password once before the identity signs in as it (an address alone proves nothing)."""

    def __init__(self, user: User):
        super().__init__("link first")
        self.user = user


def find(provider: str, subject: str) -> ExternalIdentity | None:
    return db.session.scalar(select(ExternalIdentity).where(
        ExternalIdentity.provider == provider, ExternalIdentity.subject == subject))


def sign_in(identity: Identity) -> User:
    link = find(identity.provider, identity.subject)
    if link is not None:
        link.last_used_at = utcnow()
        user = link.user
    else:
        if identity.email and (holder := accounts.find_by_email(identity.email)) is not None:
            raise NeedsLink(holder)
        user = _new_patron(identity)
        _attach(user, identity)
    _grant_role_from_groups(user, identity)
    db.session.flush()
    return user


def _new_patron(identity: Identity) -> User:
    user = User(
        email=identity.email or f"{identity.provider}-{secrets.token_hex(8)}@sso.invalid",
        display_name=identity.name if len(identity.name) >= 2 else _("Library patron"),
        patron_type=claims.patron_type(identity), role=Role.PATRON.value,
        password_hash=NO_PASSWORD,
        email_verified_at=utcnow() if identity.email_verified else None,
        email_frequency="immediate" if identity.email else "none",
    )
    db.session.add(user)
    db.session.flush()
    return user


def _attach(user: User, identity: Identity) -> None:
    db.session.add(ExternalIdentity(user_id=user.id, provider=identity.provider,
                                    subject=identity.subject))


def _grant_role_from_groups(user: User, identity: Identity) -> None:
    """Only raises a role, from a group the library configured; an administrator lowers it."""
    granted = claims.granted_role(identity)
    if granted is None or RANK[granted[0]] <= RANK.get(user.role, 0):
        return
    role, group = granted
    accounts.set_role(user, role)
    events.role_granted_from_claims.send(user, provider=identity.provider, role=role, group=group)


def link(user: User, identity: Identity, *, password: str) -> User:
    """The owner of a password account proves it, and the identity signs in as it from now on."""
    if not verify_password(user.password_hash, password):
        raise Refused(_("That password is not right."), field="password")
    if find(identity.provider, identity.subject) is not None or db.session.scalar(
            select(ExternalIdentity.id).where(ExternalIdentity.user_id == user.id,
                                              ExternalIdentity.provider == identity.provider)):
        raise Refused(_("This account is already linked to a university identity."),
                      field="password")
    _attach(user, identity)
    _grant_role_from_groups(user, identity)
    db.session.flush()
    return user


def providers_of(user: User) -> list[str]:
    return list(db.session.scalars(select(ExternalIdentity.provider)
                                   .where(ExternalIdentity.user_id == user.id)
                                   .order_by(ExternalIdentity.provider)))


PROVIDER_LABELS = {"oidc": "OpenID Connect", "cas": "CAS"}


def sign_in_ways(users: list[User]) -> dict[int, list[str]]:
    """How each account signs in, for the administrators' list: one query for the page."""
    ways: dict[int, list[str]] = {user.id: [] for user in users}
    for user in users:
        if has_password(user):
            ways[user.id].append(_("password"))
    for user_id, provider in db.session.execute(
            select(ExternalIdentity.user_id, ExternalIdentity.provider)
            .where(ExternalIdentity.user_id.in_(list(ways)))
            .order_by(ExternalIdentity.provider)):
        ways[user_id].append(PROVIDER_LABELS.get(provider, provider))
    return ways


def has_password(user: User) -> bool:
    return not user.password_hash.startswith("!")


def forget(user: User) -> None:
    """Closing the account: the university identity no longer signs in as it."""
    db.session.execute(delete(ExternalIdentity).where(ExternalIdentity.user_id == user.id))
    db.session.execute(delete(CasTicket).where(CasTicket.user_id == user.id))


def remember_ticket(user: User, ticket: str) -> None:
    db.session.add(CasTicket(ticket=ticket[:256], user_id=user.id))


def end_ticket_session(ticket: str) -> bool:
    """A CAS single-logout request: the session that ticket opened ends (every session of the
    account, since sessions are the account's one nonce)."""
    kept = db.session.get(CasTicket, ticket[:256])
    if kept is None:
        return False
    user = db.session.get(User, kept.user_id)
    if user is not None:
        accounts.end_other_sessions(user)
    db.session.delete(kept)
    db.session.flush()
    return True

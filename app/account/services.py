"""A patron's own data: what they contributed, a copy of everything, and closing the account."""
import io
import json
import secrets
import zipfile
from datetime import datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.auth.models import User, new_nonce
from app.auth.passwords import verify_password
from app.domain import Refused
from app.extensions import db
from app.mail.models import OutboxMessage
from app.media import services as media
from app.media.models import MediaFile
from app.moderation.models import Flag
from app.notifications.models import CallWatch, Choice, Notification
from app.projects import services as projects
from app.projects.models import Place, Project, Rating, Volunteer
from app.proposals.models import Comment, Proposal, ProposalEvent, Support
from app.sso import services as sso
from app.sso.models import ExternalIdentity
from app.timeutil import utcnow
from app.workshops import services as workshops
from app.workshops.models import CalendarFeed, Registration, Workshop


def contributions(user: User) -> dict:
    """What the patron gave: for the profile and the printable recognition page."""
    volunteering = db.session.execute(
        select(Project, Volunteer).join(Volunteer, Volunteer.project_id == Project.id)
        .where(Volunteer.user_id == user.id, Volunteer.state == Place.MEMBER.value)
        .order_by(Project.starts_on.desc())).all()
    attended = workshops.attended(user)
    return {
        "proposals": db.session.scalars(select(Proposal).where(Proposal.author_id == user.id)
                                        .order_by(Proposal.created_at.desc())).unique().all(),
        "supports": db.session.scalar(select(func.count()).where(Support.user_id == user.id)),
        "comments": db.session.scalar(select(func.count()).where(Comment.author_id == user.id)),
        "volunteering": volunteering,
        "workshops": attended,
        "hours": sum((v.hours for _p, v in volunteering), Decimal(0))
        + sum((workshop.hours for workshop in attended), Decimal(0)),
        "ratings": db.session.scalar(select(func.count()).where(Rating.user_id == user.id)),
    }


def _iso(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _rows(model, *where) -> list[dict]:
    columns = [c.key for c in model.__table__.columns]
    return [{name: _iso(getattr(row, name)) if not isinstance(getattr(row, name), Decimal)
             else str(getattr(row, name)) for name in columns}
            for row in db.session.scalars(select(model).where(*where)
                                          .order_by(*model.__table__.primary_key.columns))]


def export(user: User) -> dict:
    """Everything held about the patron, as plain JSON-ready data (no password hash)."""
    profile = {name: _iso(getattr(user, name)) for name in (
        "id", "email", "display_name", "patron_type", "role", "locale", "email_frequency",
        "created_at", "email_verified_at", "suspended_until", "suspension_reason")}
    return {
        "exported_at": utcnow().isoformat(),
        "profile": profile,
        "proposals": _rows(Proposal, Proposal.author_id == user.id),
        "comments": _rows(Comment, Comment.author_id == user.id),
        "supports": _rows(Support, Support.user_id == user.id),
        "flags": _rows(Flag, Flag.user_id == user.id),
        "volunteering": _rows(Volunteer, Volunteer.user_id == user.id),
        "ratings": _rows(Rating, Rating.user_id == user.id),
        "workshop_registrations": _rows(Registration, Registration.user_id == user.id),
        "notifications": _rows(Notification, Notification.user_id == user.id),
        "notification_choices": _rows(Choice, Choice.user_id == user.id),
        "calls_watched": _rows(CallWatch, CallWatch.user_id == user.id),
        "timeline_entries": _rows(ProposalEvent, ProposalEvent.actor_id == user.id),
        # How the account signs in: the university identities linked to it (no token is kept).
        "signs_in_with": _rows(ExternalIdentity, ExternalIdentity.user_id == user.id),
        "has_password": sso.has_password(user),
        "photos": _rows(MediaFile, MediaFile.owner_id == user.id),
    }


def export_zip(user: User) -> bytes:
    """The same data as JSON, and the patron's photos as files beside it (photos/<id>.webp)."""
    data = export(user)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("my-data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for photo in db.session.scalars(select(MediaFile).where(MediaFile.owner_id == user.id)
                                        .order_by(MediaFile.id)):
            content = media.read(photo)
            if content is not None:
                archive.writestr(f"photos/{photo.id}.webp", content)
    return out.getvalue()


def close(user: User, *, password: str | None) -> None:
    """Close the account: the person goes, their words stay credited to a former patron. An
    account that signs in only through the university has no password to prove."""
    if sso.has_password(user) and not verify_password(user.password_hash, password or ""):
        raise Refused(_("That password is not right."), field="password")
    if user.is_staff:
        raise Refused(_("Staff accounts are closed by an administrator."), field="password")
    for project in db.session.scalars(
            select(Project).join(Volunteer, Volunteer.project_id == Project.id)
            .where(Volunteer.user_id == user.id, Project.completed_at.is_(None))):
        projects.leave(project, user)  # frees the place for the next on the waiting list
    for workshop in db.session.scalars(
            select(Workshop).join(Registration, Registration.workshop_id == Workshop.id)
            .where(Registration.user_id == user.id, Workshop.starts_at > utcnow())):
        workshops.cancel_registration(workshop, user)  # the next waiting takes the place
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    db.session.execute(delete(Choice).where(Choice.user_id == user.id))  # no more news of any kind
    db.session.execute(delete(CallWatch).where(CallWatch.user_id == user.id))
    sso.forget(user)  # the university identity no longer opens this account
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to == user.email))
    media.remove_all_of(user)  # their photos may show them or where they were: they go too
    user.email = f"closed-{user.id}-{secrets.token_hex(4)}@invalid"
    user.display_name = ""
    user.password_hash = "!closed"  # noqa: S105 - a marker that matches no password
    user.session_nonce = new_nonce()
    user.locale = None
    user.email_frequency = "none"
    user.deleted_at = utcnow()
    db.session.flush()

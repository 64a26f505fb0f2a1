"""The weekly digest: one e-mail to each patron who chose it and has unread news."""
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.mail.services import queue_rendered
from app.notifications.models import Notification


def send_digests(now, progress=None) -> int:
    """One e-mail a week to each patron who has unread news meant for their digest (the kinds
    they chose to read there, when it happened) since the last one; patrons with nothing
    pending are not even looked at."""
    since = now - timedelta(days=7)
    due = db.session.scalars(
        select(User).where(
            User.deleted_at.is_(None),
            User.last_digest_at.is_(None) | (User.last_digest_at <= since),
            select(Notification.id).where(
                Notification.user_id == User.id, Notification.read_at.is_(None),
                Notification.in_digest.is_(True),
                Notification.created_at > func.coalesce(User.last_digest_at, since),
            ).exists(),
        ).order_by(User.id)).all()
    for number, user in enumerate(due, 1):
        items = db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.read_at.is_(None),
                Notification.in_digest.is_(True),
                Notification.created_at > (user.last_digest_at or since))
            .order_by(Notification.created_at)).all()
        queue_rendered(user.email, user.locale, "mail/digest.txt", user=user, items=items)
        user.last_digest_at = now
        db.session.commit()  # one patron at a time: a crash never sends a digest twice
        if progress:
            progress(number, len(due))
    return len(due)

"""Reminders of a workshop, the day before and an hour before (WORKSHOP_REMINDER_HOURS), to
each registered patron in their language, by e-mail and in the notification centre as they chose
for workshop news (services.wants). Exactly once, whatever
the worker does: each reminder is claimed by inserting its row in `reminder_sent` (unique per
registration and kind) in the same transaction as its outbox message, so two workers cannot
both claim it, and a worker that dies before the commit leaves neither, for the next run."""
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.mail import services as mail
from app.notifications import services as notify
from app.notifications.models import Channel, Kind, Topic
from app.notifications.workshops import TEMPLATE, calendar_file
from app.statements import dialect_insert
from app.timeutil import utcnow
from app.workshops.models import Registration, ReminderSent, Seat, Workshop

KINDS = {24: "day", 1: "hour"}


def lead_times() -> list[tuple[str, timedelta]]:
    hours = [int(h) for h in str(current_app.config["WORKSHOP_REMINDER_HOURS"]).split(",")
             if h.strip().isdigit()]
    return [(KINDS.get(h, f"h{h}"), timedelta(hours=h)) for h in hours if h > 0]


def due(now: datetime, kind: str, lead: timedelta) -> list[int]:
    """Registrations whose workshop starts within `lead` and have not had this reminder."""
    sent = select(ReminderSent.id).where(ReminderSent.registration_id == Registration.id,
                                         ReminderSent.kind == kind).exists()
    return list(db.session.scalars(
        select(Registration.id).join(Workshop, Workshop.id == Registration.workshop_id)
        .where(Registration.state == Seat.REGISTERED.value, Workshop.cancelled_at.is_(None),
               Workshop.starts_at > now, Workshop.starts_at <= now + lead,
               ~sent)
        .order_by(Registration.id)))


def claim_and_queue(registration_id: int, kind: str) -> bool:
    """One transaction: the marker row, then the notification and the e-mail, as the patron
    chose. True when an e-mail was queued; False when another run had it or the patron takes
    no e-mail of workshops."""
    claimed = db.session.scalar(
        dialect_insert(ReminderSent.__table__)
        .values(registration_id=registration_id, kind=kind, sent_at=utcnow())
        .on_conflict_do_nothing().returning(ReminderSent.__table__.c.id))
    if claimed is None:
        db.session.rollback()
        return False
    registration = db.session.get(Registration, registration_id)
    notify.record([registration.user_id], Kind.WORKSHOP_REMINDER, workshop=registration.workshop)
    if not notify.wants([registration.user_id], Topic.WORKSHOPS, Channel.EMAIL):
        db.session.commit()
        return False
    locale = registration.user.locale
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        attachment = calendar_file(registration.workshop, with_link=True)
    mail.queue_rendered(registration.user.email, locale, TEMPLATE,
                        workshop=registration.workshop, news=f"reminder_{kind}",
                        attachment=attachment)
    db.session.commit()
    return True


def send_reminders(now: datetime) -> int:
    sent = 0
    for kind, lead in lead_times():
        for registration_id in due(now, kind, lead):
            sent += claim_and_queue(registration_id, kind)
    db.session.commit()
    return sent

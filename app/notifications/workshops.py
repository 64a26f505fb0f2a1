"""Who is told what about workshops, following app/events.py, in the writing transaction: each
patron by e-mail (the outbox), in their own language, with the workshop's calendar file so their
calendar adds, moves or cancels it. These are about a place the patron booked, so they go out at
once whether the patron chose immediate e-mail or a weekly digest; never to one who chose none.
Reminders: app/notifications/workshop_reminders.py."""
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app import events
from app.auth.models import EmailFrequency, User
from app.extensions import db
from app.mail import services as mail
from app.workshops import calendar
from app.workshops.models import Registration, Seat, Workshop
from app.workshops.services import audience

TEMPLATE = "mail/workshop.txt"


def calendar_file(workshop: Workshop, *, with_link: bool) -> tuple[str, str, str]:
    body = calendar.ics([workshop], name=workshop.title,
                        with_link_for={workshop.id} if with_link else set())
    return f"workshop-{workshop.id}.ics", "text/calendar", body.decode()


def tell(workshop: Workshop, user_ids: list[int], news: str) -> None:
    """`news`: registered, waiting, promoted, moved, cancelled, reminder_day, reminder_hour."""
    if not user_ids:
        return
    seats = dict(db.session.execute(select(Registration.user_id, Registration.state).where(
        Registration.workshop_id == workshop.id, Registration.user_id.in_(user_ids))).all())
    readers = db.session.execute(select(User.id, User.email, User.locale).where(
        User.id.in_(user_ids), User.email_frequency != EmailFrequency.NONE.value))
    for user_id, email, locale in readers:
        seated = seats.get(user_id) == Seat.REGISTERED.value
        with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            attachment = calendar_file(workshop, with_link=seated)  # the branch in their language
        mail.queue_rendered(email, locale, TEMPLATE, workshop=workshop, news=news,
                            attachment=attachment)


@events.workshop_registered.connect
def _registered(registration, *, workshop, seat, **_):
    tell(workshop, [registration.user_id],
         "registered" if seat is Seat.REGISTERED else "waiting")


@events.workshop_registration_cancelled.connect
def _place_freed(workshop, *, promoted, **_):
    if promoted is not None:
        tell(workshop, [promoted.user_id], "promoted")


@events.workshop_changed.connect
def _moved(workshop, *, moved, **_):
    if moved:
        tell(workshop, audience(workshop), "moved")


@events.workshop_cancelled.connect
def _cancelled(workshop, **_):
    tell(workshop, audience(workshop), "cancelled")

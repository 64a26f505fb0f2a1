"""Who is told what about workshops, following app/events.py, in the writing transaction, on
the channels each patron chose for workshop news (services.wants): by e-mail (the outbox), in
their own language, with the workshop's calendar file so their calendar adds, moves or cancels
it; a move, a cancellation and a place freed from the waiting list also in the notification
centre (and the digest, for whoever reads workshop news there). Reminders:
app/notifications/workshop_reminders.py."""
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app import events
from app.auth.models import User
from app.extensions import db
from app.mail import services as mail
from app.notifications import services as notify
from app.notifications.models import Channel, Kind, Topic
from app.workshops import calendar
from app.workshops.models import Registration, Seat, Workshop
from app.workshops.services import audience

TEMPLATE = "mail/workshop.txt"


def calendar_file(workshop: Workshop, *, with_link: bool) -> tuple[str, str, str]:
    body = calendar.ics([workshop], name=workshop.title,
                        with_link_for={workshop.id} if with_link else set())
    return f"workshop-{workshop.id}.ics", "text/calendar", body.decode()


KIND_OF_NEWS = {"promoted": Kind.WORKSHOP_PROMOTED, "moved": Kind.WORKSHOP_MOVED,
                "cancelled": Kind.WORKSHOP_CANCELLED}


def tell(workshop: Workshop, user_ids: list[int], news: str) -> None:
    """`news`: registered, waiting, promoted, moved, cancelled, reminder_day, reminder_hour.
    A confirmation of the patron's own registration is e-mail only (they just saw it on the
    page); the rest is also kept as a notification."""
    if not user_ids:
        return
    if news in KIND_OF_NEWS:
        notify.record(user_ids, KIND_OF_NEWS[news], workshop=workshop)
    mail_to(workshop, notify.wants(user_ids, Topic.WORKSHOPS, Channel.EMAIL), news)


def mail_to(workshop: Workshop, user_ids, news: str) -> None:
    """The workshop's e-mail, with its calendar file, to each of these patrons."""
    if not user_ids:
        return
    user_ids = list(user_ids)
    seats = dict(db.session.execute(select(Registration.user_id, Registration.state).where(
        Registration.workshop_id == workshop.id, Registration.user_id.in_(user_ids))).all())
    readers = db.session.execute(select(User.id, User.email, User.locale).where(
        User.id.in_(user_ids)).order_by(User.id))
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

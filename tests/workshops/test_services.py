"""Workshops' rules: places and the waiting list, the registration window, moving and cancelling,
attendance, check-in, minutes and recognised hours."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.account import services as account
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.mail.models import OutboxMessage
from app.timeutil import utcnow
from app.workshops import services
from app.workshops.models import Registration, Seat, Workshop


def mail_to(user) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to == user.email)
                                   .order_by(OutboxMessage.id)))


def plan_of(workshop: Workshop, **changes) -> services.Plan:
    fields = {name: getattr(workshop, name) for name in services.Plan.__dataclass_fields__}
    fields["patron_types"] = tuple(kind.value for kind in workshop.invited_types)
    return services.Plan(**fields | changes)


def test_full_workshop_puts_patrons_on_a_waiting_list_and_promotes_the_first(make_workshop,
                                                                             make_user):
    workshop = make_workshop(places=1)
    first, second, third = make_user(), make_user(), make_user()
    assert services.register(workshop, first) is Seat.REGISTERED
    assert services.register(workshop, second) is Seat.WAITING
    assert services.register(workshop, third) is Seat.WAITING
    assert workshop.registered == 1 and workshop.free_places == 0
    assert services.seat_of(workshop, third)[1] == 2
    services.cancel_registration(workshop, first)
    db.session.commit()
    assert services.seat_of(workshop, second)[0].state == Seat.REGISTERED.value
    assert services.seat_of(workshop, third)[1] == 1
    assert workshop.registered == 1
    told = mail_to(second)[-1]
    assert "place freed up" in told.subject and told.attachment_name.endswith(".ics")
    assert not any("place freed" in m.subject for m in mail_to(third))


def test_registration_mails_a_calendar_file(make_workshop, make_user):
    workshop, patron = make_workshop(), make_user()
    services.register(workshop, patron)
    db.session.commit()
    [message] = mail_to(patron)
    assert "registered" in message.subject
    assert message.attachment_type == "text/calendar"
    assert "BEGIN:VEVENT" in message.attachment


@pytest.mark.parametrize("window, message", [
    ({"opens_at": timedelta(days=1)}, "not opened"),
    ({"closes_at": -timedelta(minutes=1)}, "closed"),
])
def test_registration_is_refused_outside_its_window(make_workshop, make_user, window, message):
    now = utcnow()
    fields = {name: now + delta for name, delta in window.items()}
    if "opens_at" not in fields:
        fields["opens_at"] = now - timedelta(days=2)
    workshop = make_workshop(**fields)
    with pytest.raises(Refused, match=message):
        services.register(workshop, make_user())


def test_only_invited_patron_types_register(make_workshop, make_user):
    workshop = make_workshop(patron_types=("faculty", "postgraduate"))
    with pytest.raises(Refused, match="Faculty, Postgraduate"):
        services.register(workshop, make_user(patron_type="undergraduate"))
    assert services.register(workshop, make_user(patron_type="faculty")) is Seat.REGISTERED


def test_twice_or_cancelling_without_a_registration_is_refused(make_workshop, make_user):
    workshop, patron = make_workshop(), make_user()
    services.register(workshop, patron)
    with pytest.raises(Refused, match="already registered"):
        services.register(workshop, patron)
    with pytest.raises(Refused, match="not registered"):
        services.cancel_registration(workshop, make_user())


def test_cancelling_is_possible_up_to_the_start(make_workshop, make_user, staff):
    workshop, patron = make_workshop(), make_user()
    services.register(workshop, patron)
    workshop.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    with pytest.raises(Refused, match="has started"):
        services.cancel_registration(workshop, patron)


def test_the_schedule_is_checked(make_workshop, staff):
    workshop = make_workshop()
    with pytest.raises(Refused, match="end after it starts"):
        services.edit(workshop, plan_of(workshop, ends_at=workshop.starts_at), by=staff)
    with pytest.raises(Refused, match="close by the time"):
        services.edit(workshop, plan_of(workshop, closes_at=workshop.ends_at), by=staff)
    with pytest.raises(Refused, match="branch or an online link"):
        services.edit(workshop, plan_of(workshop, branch_id=None), by=staff)


def test_patrons_cannot_schedule_or_edit(make_workshop, make_user):
    workshop, patron = make_workshop(), make_user()
    with pytest.raises(Refused):
        services.schedule(plan_of(workshop), by=patron)
    with pytest.raises(Refused):
        services.edit(workshop, plan_of(workshop, title="Taken over"), by=patron)


def test_moving_raises_the_sequence_and_tells_registered_and_waiting(make_workshop, make_user,
                                                                    staff):
    workshop = make_workshop(places=1)
    registered, waiting, bystander = make_user(), make_user(), make_user()
    services.register(workshop, registered)
    services.register(workshop, waiting)
    db.session.commit()
    assert services.edit(workshop, plan_of(workshop, title="A new title"), by=staff) is False
    assert workshop.sequence == 0
    later = workshop.starts_at + timedelta(days=1)
    assert services.edit(workshop, plan_of(workshop, starts_at=later,
                                           ends_at=later + timedelta(hours=2)), by=staff)
    db.session.commit()
    assert workshop.sequence == 1
    for patron in (registered, waiting):
        assert "has moved" in mail_to(patron)[-1].subject
    assert mail_to(bystander) == []


def test_more_places_go_to_those_waiting_and_fewer_than_taken_is_refused(make_workshop,
                                                                        make_user, staff):
    workshop = make_workshop(places=1)
    patrons = [make_user() for _ in range(3)]
    for patron in patrons:
        services.register(workshop, patron)
    with pytest.raises(Refused, match="keep at least"):
        services.edit(workshop, plan_of(workshop, places=0), by=staff)
    services.edit(workshop, plan_of(workshop, places=2), by=staff)
    db.session.commit()
    assert workshop.registered == 2
    assert services.seat_of(workshop, patrons[1])[0].state == Seat.REGISTERED.value
    assert services.seat_of(workshop, patrons[2])[1] == 1


def test_cancelling_the_workshop_tells_everyone_and_stops_registration(make_workshop, make_user,
                                                                      staff):
    workshop, patron = make_workshop(), make_user()
    services.register(workshop, patron)
    services.cancel_workshop(workshop, by=staff, reason="The room flooded.")
    db.session.commit()
    message = mail_to(patron)[-1]
    assert "cancelled" in message.subject and "STATUS:CANCELLED" in message.attachment
    with pytest.raises(Refused, match="cancelled"):
        services.register(workshop, make_user())


def test_attendance_adds_the_workshops_hours_to_recognition(make_workshop, make_user, staff):
    workshop = make_workshop(hours=2.5)
    patron, absent, waiting = make_user(), make_user(), make_user()
    workshop.places = 2
    for person in (patron, absent, waiting):
        services.register(workshop, person)
    registration = services.seat_of(workshop, patron)[0]
    with pytest.raises(Refused):
        services.mark_attendance(registration, by=patron, attended=True)
    with pytest.raises(Refused, match="Only registered"):
        services.mark_attendance(services.seat_of(workshop, waiting)[0], by=staff, attended=True)
    services.mark_attendance(registration, by=staff, attended=True)
    workshop.starts_at -= timedelta(days=8)
    workshop.ends_at -= timedelta(days=8)
    db.session.commit()
    given = account.contributions(patron)
    assert given["workshops"] == [workshop] and given["hours"] == Decimal("2.5")
    assert account.contributions(absent)["hours"] == 0
    assert services.attendance_counts(workshop) == {"registered": 2, "attended": 1,
                                                    "no_shows": 1}


def test_patrons_check_in_with_the_code_around_the_session(make_workshop, make_user):
    workshop, patron, stranger = make_workshop(), make_user(), make_user()
    services.register(workshop, patron)
    with pytest.raises(Refused, match="an hour before"):
        services.check_in(workshop, patron, workshop.check_in_code)
    workshop.starts_at = utcnow() + timedelta(minutes=30)
    workshop.ends_at = workshop.starts_at + timedelta(hours=2)
    with pytest.raises(Refused, match="not this workshop's code"):
        services.check_in(workshop, patron, "WRONG1")
    with pytest.raises(Refused, match="Only registered"):
        services.check_in(workshop, stranger, workshop.check_in_code)
    services.check_in(workshop, patron, workshop.check_in_code.lower())
    assert services.seat_of(workshop, patron)[0].attended_at is not None


def test_minutes_are_published_after_the_session(make_workshop, staff):
    workshop = make_workshop()
    with pytest.raises(Refused, match="after the workshop"):
        services.publish_minutes(workshop, by=staff, minutes="We agreed on three zones.")
    workshop.starts_at = utcnow() - timedelta(hours=3)
    workshop.ends_at = utcnow() - timedelta(hours=1)
    services.publish_minutes(workshop, by=staff, minutes="We agreed on three zones.")
    assert workshop.minutes_published_at is not None


def test_forty_simultaneous_registrations_fill_twelve_places_in_arrival_order(
        app, make_workshop, make_user):
    workshop = make_workshop(places=12)
    patrons = [make_user().id for _ in range(40)]
    workshop_id = workshop.id
    db.session.rollback()  # the test's own session holds no lock while the registrations arrive

    def register(user_id):
        with app.app_context():
            try:
                services.register(db.session.get(Workshop, workshop_id),
                                  db.session.get(User, user_id))
                db.session.commit()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(register, patrons))
    db.session.expire_all()
    rows = db.session.scalars(select(Registration).where(Registration.workshop_id == workshop_id)
                              .order_by(Registration.id)).all()
    registered = [r for r in rows if r.state == Seat.REGISTERED.value]
    waiting = [r for r in rows if r.state == Seat.WAITING.value]
    assert len(registered) == 12 and len(waiting) == 28
    assert db.session.get(Workshop, workshop_id).registered == 12
    assert max(r.id for r in registered) < min(w.id for w in waiting)  # arrival order

    # one cancellation promotes exactly the first waiting patron, and tells them
    workshop = db.session.get(Workshop, workshop_id)
    leaving = db.session.get(User, registered[0].user_id)
    first_waiting = db.session.get(User, waiting[0].user_id)
    services.cancel_registration(workshop, leaving)
    db.session.commit()
    db.session.expire_all()
    states = dict(db.session.execute(select(Registration.user_id, Registration.state).where(
        Registration.workshop_id == workshop_id)).all())
    assert states[first_waiting.id] == Seat.REGISTERED.value
    assert sum(state == Seat.REGISTERED.value for state in states.values()) == 12
    assert [w.user_id for w in waiting[1:]] == [
        uid for uid in (w.user_id for w in waiting[1:]) if states[uid] == Seat.WAITING.value]
    assert any("place freed up" in m.subject for m in mail_to(first_waiting))
    assert not any("place freed up" in m.subject
                   for w in waiting[1:] for m in mail_to(db.session.get(User, w.user_id)))


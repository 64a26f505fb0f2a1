"""Reminders the day before and an hour before: each sent once, whether the job runs twice, two
workers run it at once, or a worker dies half-way; in each patron's language and choice."""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail import services as mail
from app.mail.models import OutboxMessage
from app.notifications import tasks, workshop_reminders
from app.timeutil import utcnow
from app.workshops import services


def reminders() -> list[tuple[str, str]]:
    return list(db.session.execute(select(OutboxMessage.to, OutboxMessage.subject).where(
        OutboxMessage.subject.contains("tomorrow") | OutboxMessage.subject.contains("soon")
        | OutboxMessage.subject.contains("明天") | OutboxMessage.subject.contains("即将"))
        .order_by(OutboxMessage.id)).all())


@pytest.fixture
def booked(make_workshop, make_user):
    """A workshop in 20 hours with two registered patrons, one reading Chinese, one waiting and
    one who wants no e-mail."""
    workshop = make_workshop(places=3, starts_in=timedelta(hours=20))
    english, chinese, quiet, waiting = (make_user() for _ in range(4))
    chinese.locale = "zh_Hans"
    quiet.email_frequency = "none"
    for patron in (english, chinese, quiet):
        services.register(workshop, patron)
    services.register(workshop, waiting)
    db.session.commit()
    return workshop, english, chinese, quiet, waiting


def test_the_job_run_twice_sends_each_reminder_once(booked):
    workshop, english, chinese, quiet, waiting = booked
    assert tasks.workshop_reminders.call_local() == 2  # the day before: English and Chinese readers
    assert tasks.workshop_reminders.call_local() == 0
    sent = reminders()
    assert sorted(to for to, _subject in sent) == sorted([english.email, chinese.email])
    subjects = dict(sent)
    assert "tomorrow" in subjects[english.email] and "明天" in subjects[chinese.email]
    workshop.starts_at = utcnow() + timedelta(minutes=50)
    workshop.ends_at = workshop.starts_at + timedelta(hours=1)
    db.session.commit()
    assert tasks.workshop_reminders.call_local() == 2  # an hour before
    assert tasks.workshop_reminders.call_local() == 0
    assert len(reminders()) == 4


def test_a_worker_that_dies_before_committing_leaves_the_reminder_for_the_next(booked,
                                                                              monkeypatch):
    queued = mail.queue_rendered
    calls = []

    def crash_on_second(*args, **kwargs):
        calls.append(args[0])
        queued(*args, **kwargs)
        if len(calls) == 2:
            raise SystemExit("worker killed")  # after the marker and the e-mail, before commit

    monkeypatch.setattr(workshop_reminders.mail, "queue_rendered", crash_on_second)
    with pytest.raises(SystemExit):
        workshop_reminders.send_reminders(utcnow())
    db.session.rollback()
    assert len(reminders()) == 1  # the first was committed, the second rolled back
    monkeypatch.setattr(workshop_reminders.mail, "queue_rendered", queued)
    assert workshop_reminders.send_reminders(utcnow()) == 1
    assert workshop_reminders.send_reminders(utcnow()) == 0
    assert len(reminders()) == 2 and len({to for to, _s in reminders()}) == 2


def test_two_workers_at_once_send_each_reminder_once(app, booked):
    db.session.rollback()

    def run(_):
        with app.app_context():
            try:
                return workshop_reminders.send_reminders(utcnow())
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sum(pool.map(run, range(2))) == 2
    assert len(reminders()) == 2


def test_a_cancelled_workshop_sends_no_reminders(booked, staff):
    workshop = booked[0]
    services.cancel_workshop(workshop, by=staff, reason="The room flooded.")
    db.session.commit()
    assert tasks.workshop_reminders.call_local() == 0

"""The job worker's tasks (app/jobs.py), run at once by huey's immediate mode (testing config)."""
from collections import Counter
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.tasks import deliver_outbox
from app.notifications.models import Kind
from app.notifications.services import tell
from app.notifications.tasks import queue_digests


@pytest.fixture
def sent(app):
    jobs.init_app(app)
    assert jobs.huey.immediate  # HUEY_IMMEDIATE in the testing config
    app.extensions["mailman"].outbox = []
    return app.extensions["mailman"].outbox


def run(task):
    """What the consumer does with a task taken from the queue; its return value (huey keeps
    no results for periodic tasks, and logs an error as None)."""
    return jobs.huey.execute(task.s())


def test_delivering_the_outbox_twice_sends_each_message_once(sent, make_user, make_proposal):
    readers = [make_user(), make_user()]
    tell([reader.id for reader in readers], Kind.OUTCOME, make_proposal())
    db.session.commit()

    assert run(deliver_outbox) == (2, 0)
    assert run(deliver_outbox) == (0, 0)  # a re-run after a crash finds nothing to send
    assert sorted(message.to[0] for message in sent) == sorted(r.email for r in readers)
    assert all(m.sent_at for m in db.session.scalars(select(OutboxMessage)))


def test_queueing_digests_twice_queues_each_patron_once(sent, make_user, make_proposal):
    weekly = make_user()
    weekly.email_frequency = "weekly"
    tell([weekly.id], Kind.PROJECT_UPDATE, make_proposal(title="Sunday opening hours"))
    db.session.commit()

    assert run(queue_digests) == 1
    assert run(queue_digests) == 0  # last_digest_at was recorded with the first
    db.session.rollback()
    digests = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.to == weekly.email)).all()
    db.session.commit()  # on SQLite the test's open transaction would hold the write lock
    assert [body.count("Sunday opening hours") for body in digests] == [1]
    assert run(deliver_outbox) == (1, 0) and run(deliver_outbox) == (0, 0)
    assert len(sent) == 1


def test_a_digest_run_overlapping_another_does_nothing(sent, make_user, make_proposal):
    weekly = make_user()
    weekly.email_frequency = "weekly"
    tell([weekly.id], Kind.PROJECT_UPDATE, make_proposal())
    db.session.commit()
    with jobs.huey.lock_task("queue_digests"):  # another worker is sending the digests
        assert run(queue_digests) is None
    assert run(queue_digests) == 1


def test_the_schedule_delivers_every_minute_and_digests_once_a_day(app):
    midnight = datetime(2026, 11, 25)
    due = Counter(task.name for minute in range(24 * 60)
                  for task in jobs.huey.read_periodic(midnight + timedelta(minutes=minute)))
    assert due == {"deliver_outbox": 24 * 60, "queue_digests": 1,
                   "refresh_dashboard": 24 * 60 // 5, "workshop_reminders": 24 * 60 // 5,
                   "call_news": 24 * 60 // 5,
                   "forget_stale_uploads": 24}


def test_digests_go_out_at_a_quarter_past_six_on_the_librarys_clock(app):
    """06:15 in Shanghai is 22:15 UTC the evening before."""
    def digests_due(moment):
        return "queue_digests" in {task.name for task in jobs.huey.read_periodic(moment)}

    assert digests_due(datetime(2026, 11, 24, 22, 15))
    assert not digests_due(datetime(2026, 11, 25, 6, 15))


def test_jobs_use_redis_when_a_url_is_set_and_a_file_otherwise(tmp_path):
    from huey.storage import RedisStorage

    queue_file = tmp_path / "queue" / "huey.sqlite3"
    local = jobs.make_huey({"HUEY_IMMEDIATE": False, "HUEY_REDIS_URL": None,
                            "HUEY_SQLITE_PATH": str(queue_file)})
    assert not queue_file.exists()  # nothing is written until the queue is used
    local.storage.enqueue(b"task")
    assert queue_file.exists() and local.storage.queue_size() == 1
    shared = jobs.make_huey({"HUEY_IMMEDIATE": False, "HUEY_SQLITE_PATH": "unused",
                             "HUEY_REDIS_URL": "redis://127.0.0.1:6379/15"})
    assert isinstance(shared.storage, RedisStorage)  # no connection is made until it is used

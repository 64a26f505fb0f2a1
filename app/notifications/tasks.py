"""The digests' job: once a day at 06:15 on the library's clock, queue the weekly digests that
are due (app/jobs.py runs it)."""
from huey import crontab

from app import timeutil
from app.jobs import app_of_jobs, huey, on_library_clock
from app.notifications.calls import send_call_news
from app.notifications.digests import send_digests
from app.notifications.workshop_reminders import send_reminders
from app.timeutil import utcnow


@huey.periodic_task(on_library_clock(crontab(minute="15", hour="6")), name="queue_digests")
@huey.lock_task("queue_digests")  # two runs at once would both find the same patrons due
def queue_digests() -> int:
    """Every day; each patron's digest is queued only once a week (send_digests checks).
    A run that finds the lock taken does nothing; the consumer's --flush-locks clears a lock
    left by a worker that was killed."""
    with app_of_jobs().app_context():
        return send_digests(utcnow())


@huey.periodic_task(crontab(minute="*/5"), name="workshop_reminders")
def workshop_reminders() -> int:
    """Every five minutes: the reminders that have come due, each sent once (the reminder rows'
    unique constraint, claimed with the e-mail in one transaction, makes a second run or a
    second worker harmless)."""
    with app_of_jobs().app_context():
        return send_reminders(utcnow())


@huey.periodic_task(crontab(minute="*/5"), name="call_news")
def call_news() -> int:
    """Every five minutes: calls whose collecting or results phase has begun (by the clock, as
    every phase does) are announced, each once (the call_notice rows' unique constraint)."""
    with app_of_jobs().app_context():
        return send_call_news(timeutil.utcnow())  # read late: tests move the clock

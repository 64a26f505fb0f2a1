"""The outbox's job: deliver what waits, every minute (app/jobs.py runs it)."""
from huey import crontab

from app.jobs import app_of_jobs, huey
from app.mail.services import deliver_pending


@huey.periodic_task(crontab(minute="*"), name="deliver_outbox")
def deliver_outbox() -> tuple[int, int]:
    """Send what waits in the outbox; (sent, failed)."""
    with app_of_jobs().app_context():  # a context of its own: its own session, committed or not
        return deliver_pending()

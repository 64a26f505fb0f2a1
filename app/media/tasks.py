"""Pending uploads nobody used within a day are deleted, rows and files, and so are stored files
no row names (a process killed between writing a file and committing its row); app/jobs.py
runs it."""
from huey import crontab

from app.extensions import db
from app.jobs import app_of_jobs, huey
from app.media.services import forget_stale_pending, sweep_unreferenced


@huey.periodic_task(crontab(minute="17"), name="forget_stale_uploads")
def forget_stale_uploads() -> int:
    """Hourly; run twice, the second finds nothing left."""
    with app_of_jobs().app_context():
        removed = forget_stale_pending()
        db.session.commit()
        return removed + sweep_unreferenced()

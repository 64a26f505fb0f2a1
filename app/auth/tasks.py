"""The accounts' job: the e-mail with a link to choose a new password (app/jobs.py runs it).

The request that asks for a link only puts this job on the queue, for every address it is given:
it does the same work whether or not an account has that address, so neither its answer nor the
time it takes tells anyone who has an account. The worker looks the address up.
"""
from app.auth import services, tokens
from app.extensions import db
from app.jobs import app_of_jobs, huey
from app.links import public_url
from app.mail import services as mail


@huey.task(name="send_reset_link")
def send_reset_link(email: str) -> bool:
    """Queue the e-mail with the link in the outbox, if an open account has this address;
    whether it did. Run twice, it sends two links, both good for the hour."""
    with app_of_jobs().app_context():  # a context of its own: its own session and commit
        user = services.find_by_email(email)
        if user is None or user.deleted_at:
            return False
        link = public_url("recovery.reset", token=tokens.reset_token(user))
        mail.queue_rendered(user.email, user.locale, "mail/reset.txt", user=user, link=link)
        db.session.commit()
        return True

"""The e-mail outbox: queue in the request's transaction, deliver from a worker."""

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mailman import EmailMessage
from sqlalchemy import select, update

from app.extensions import db
from app.mail.models import OutboxMessage
from app.timeutil import utcnow

MAX_ATTEMPTS = 5


def queue(to: str, subject: str, body: str, attachment: tuple[str, str, str] | None = None,
          ) -> OutboxMessage:
    """`attachment`: (file name, MIME type, text)."""
    name, mimetype, content = attachment or ("", "", "")
    message = OutboxMessage(to=to, subject=subject[:200], body=body, attachment_name=name,
                            attachment_type=mimetype, attachment=content)
    db.session.add(message)
    return message


def queue_rendered(to: str, locale: str | None, template: str, *,
                   attachment: tuple[str, str, str] | None = None, **context) -> OutboxMessage:
    """A template whose first line is the subject, rendered in the reader's language."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, _blank, body = render_template(template, **context).strip().partition("\n")
    return queue(to, subject.strip(), body.strip() + "\n", attachment)


def deliver_pending(limit: int = 200, progress=None) -> tuple[int, int]:
    """Send what waits. Each message is marked sent before it goes out and unmarked if the
    transport refuses it, so two workers, a retry or a crash between sending and marking never
    send it twice (a crash in that instant loses one message instead). Returns (sent, failed)."""
    sent = failed = 0
    pending = db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None),
                                       OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)).all()
    db.session.commit()
    for number, message_id in enumerate(pending, 1):
        if not _claim(message_id):
            continue  # another worker took it
        message = db.session.get(OutboxMessage, message_id)
        try:
            email = EmailMessage(message.subject, message.body, to=[message.to],
                                 headers={"Message-ID": f"<outbox-{message.id}@commons>"})
            if message.attachment_name:
                email.attach(message.attachment_name, message.attachment,
                             message.attachment_type)
            email.send()
        except Exception as error:  # noqa: BLE001 - any transport failure is retried later
            message.sent_at = None
            message.last_error = str(error)[:2000]
            failed += 1
        else:
            sent += 1
        db.session.commit()
        if progress:
            progress(number, len(pending))
    return sent, failed


def _claim(message_id: int) -> bool:
    """Mark the message sent, if nobody has: the one worker that wins sends it."""
    claimed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id,
                                    OutboxMessage.sent_at.is_(None))
        .values(attempts=OutboxMessage.attempts + 1, sent_at=utcnow())
    ).rowcount == 1
    db.session.commit()
    return claimed

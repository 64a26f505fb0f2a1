import pytest

from sqlalchemy import select

from app.extensions import db
from app.mail import services as mail
from app.mail.models import OutboxMessage
from app.notifications.digests import send_digests
from app.notifications.models import Kind
from app.notifications.services import tell
from app.timeutil import utcnow


def outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_immediate_readers_get_an_email_through_the_outbox(app, make_user, make_proposal):
    proposal = make_proposal(title="Quiet seats for exam week")
    immediate, weekly, silent = make_user(), make_user(), make_user()
    weekly.email_frequency, silent.email_frequency = "weekly", "none"
    tell([immediate.id, weekly.id, silent.id], Kind.OUTCOME, proposal)
    db.session.commit()
    queued = outbox()
    assert [m.to for m in queued] == [immediate.email]
    assert "Quiet seats for exam week" in queued[0].body
    assert f"/proposals/{proposal.id}" in queued[0].body


def test_delivery_sends_each_message_once(app, make_user, make_proposal):
    tell([make_user().id], Kind.OUTCOME, make_proposal())
    db.session.commit()
    sent = app.extensions["mailman"].outbox = []
    assert mail.deliver_pending() == (1, 0)
    assert mail.deliver_pending() == (0, 0)  # a second worker run finds nothing
    assert len(sent) == 1 and outbox()[0].sent_at is not None


def test_a_crash_between_sending_and_marking_sends_no_duplicate(app, make_user,
                                                                 make_proposal, monkeypatch):
    tell([make_user().id], Kind.OUTCOME, make_proposal())
    db.session.commit()
    sent = app.extensions["mailman"].outbox = []

    def crash_after_sending(*args, **kwargs):
        raise KeyboardInterrupt  # the worker process dies right after the message left

    real_commit = db.session.commit
    calls = []

    def commit_then_die():
        calls.append(1)
        if len(calls) == 3:  # the commit that would record the outcome of the send
            crash_after_sending()
        real_commit()

    monkeypatch.setattr(db.session, "commit", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        mail.deliver_pending()
    monkeypatch.undo()
    db.session.rollback()
    assert len(sent) == 1
    assert mail.deliver_pending() == (0, 0)  # the restarted worker does not send it again
    assert len(sent) == 1


def test_a_refused_message_is_tried_again(app, make_user, make_proposal, monkeypatch):
    tell([make_user().id], Kind.OUTCOME, make_proposal())
    db.session.commit()
    from flask_mailman import EmailMessage

    monkeypatch.setattr(EmailMessage, "send", lambda self: (_ for _ in ()).throw(OSError("down")))
    assert mail.deliver_pending() == (0, 1)
    assert outbox()[0].sent_at is None and "down" in outbox()[0].last_error
    monkeypatch.undo()
    assert mail.deliver_pending() == (1, 0)


def test_weekly_digest_only_for_patrons_with_news(app, make_user, make_proposal):
    proposal = make_proposal(title="Longer hours at weekends")
    with_news, without = make_user(), make_user()
    for user in (with_news, without):
        user.email_frequency = "weekly"
    tell([with_news.id], Kind.PROJECT_UPDATE, proposal)
    db.session.commit()
    assert send_digests(utcnow()) == 1
    digest = outbox()[-1]
    assert digest.to == with_news.email and "Longer hours at weekends" in digest.body
    assert send_digests(utcnow()) == 0  # not twice in a week


def test_email_speaks_the_readers_language(app, make_user, make_proposal):
    reader = make_user()
    reader.locale = "zh_Hans"
    tell([reader.id], Kind.OUTCOME, make_proposal(title="图书馆自习室座位不够"))
    db.session.commit()
    assert "图书馆自习室座位不够" in outbox()[0].body
    assert "Commons" in outbox()[0].subject


def test_settings_page_saves_the_choice(client, login, make_user):
    user = make_user()
    login(user)
    assert client.get("/notifications/settings").status_code == 200
    assert client.post("/notifications/settings", data={"email_frequency": "weekly"}).status_code == 303
    db.session.refresh(user)
    assert user.email_frequency == "weekly"
    assert client.post("/notifications/settings", data={"email_frequency": "hourly"}).status_code == 422


def test_cli_delivers_with_a_summary(app, make_user, make_proposal):
    tell([make_user().id], Kind.OUTCOME, make_proposal())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output

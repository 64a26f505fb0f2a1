import re
from datetime import datetime

import pytest
from sqlalchemy import select

from app.auth.models import EmailFrequency, User
from app.extensions import db
from app.mail import services as mail
from app.mail.models import OutboxMessage
from app.notifications import services as notify_services
from app.notifications.digests import send_digests
from app.notifications.models import TOPIC_OF, Kind, Topic
from app.notifications.services import tell
from app.projects import services as projects
from app.proposals import services as proposals
from app.timeutil import utcnow
from tests.conftest import PASSWORD


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
    assert outbox()[0].subject == "馆读共建：你关注的建议有新动态"


def test_settings_page_saves_the_choice(client, login, make_user):
    """Ticking only digests: the old frequency follows as a summary; a branch that is not one
    of the choices is refused with 422."""
    user = make_user()
    login(user)
    assert client.get("/notifications/settings").status_code == 200
    assert client.post("/notifications/settings",
                       data={"decisions-digest": "y", "projects-digest": "y"}).status_code == 303
    db.session.refresh(user)
    assert user.email_frequency == "weekly"
    assert client.post("/notifications/settings",
                       data={"call_branches": "nowhere"}).status_code == 422


def test_cli_delivers_with_a_summary(app, make_user, make_proposal):
    tell([make_user().id], Kind.OUTCOME, make_proposal())
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0 and "1 sent, 0 failed" in result.output


# English a Chinese reader should never meet: three English words in a row, once links and
# addresses are set aside ("Commons: news about …", "Hello 李欣怡, this happened to …").
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[\s,.:;!?'’()-]+[A-Za-z]+){2,}")
LINK_OR_ADDRESS = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+")
TITLE = "图书馆自习室座位不够"


def english_in(message: OutboxMessage) -> list[str]:
    return ENGLISH_RUN.findall(LINK_OR_ADDRESS.sub(" ", f"{message.subject}\n{message.body}"))


def test_the_english_check_sees_english_around_chinese():
    message = OutboxMessage(subject="馆读共建", body="Hello 李欣怡, this happened to proposals:\n"
                                                    "- “图书馆” is now 已采纳.\nhttp://x.example/a/b/c")
    assert english_in(message) == ["this happened to proposals"]


def a_chinese_patron(make_user, **fields):
    reader = make_user(name="李欣怡")
    reader.locale = "zh_Hans"
    for key, value in fields.items():
        setattr(reader, key, value)
    db.session.commit()
    return reader


def mail_to(user) -> list[OutboxMessage]:
    return [message for message in outbox() if message.to == user.email]


def test_a_decision_reaches_a_chinese_supporter_in_chinese(client, login, make_user,
                                                           make_proposal):
    """English staff accept in an English browser; the supporter reads Chinese."""
    proposal = make_proposal(title=TITLE, status="under_review")
    reader = a_chinese_patron(make_user)
    proposals.support(proposal, reader)
    db.session.commit()
    login(make_user(role="staff"))
    client.post(f"/proposals/{proposal.id}/status", headers={"Accept-Language": "en"},
                data={"action": "accept", "note": "经馆务会讨论，采纳这条建议。"})
    [message] = mail_to(reader)
    assert message.subject == "馆读共建：你关注的建议有新动态"
    assert f"“{TITLE}”的状态已变为：已采纳。" in message.body and "查看详情：" in message.body
    assert english_in(message) == []


def test_a_chinese_volunteer_moved_up_from_the_waiting_list_reads_chinese(make_user,
                                                                          make_project):
    project = make_project(places=1)
    project.proposal.title = TITLE
    member, waiting = make_user(), a_chinese_patron(make_user)
    projects.join(project, member)
    projects.join(project, waiting)
    projects.leave(project, member)
    db.session.commit()
    [message] = mail_to(waiting)
    assert "有名额空出来了：你已成为" in message.body
    assert english_in(message) == []


def test_a_chinese_patrons_weekly_digest_is_all_chinese(make_user, make_proposal):
    reader = a_chinese_patron(make_user, email_frequency="weekly")
    proposal, merged = make_proposal(title=TITLE), make_proposal(title="自习室座位预约")
    about_proposals = [kind for kind in Kind if TOPIC_OF[kind] in (
        Topic.DECISIONS, Topic.RESPONSES, Topic.PROJECTS)]  # what a weekly reader gets by default
    for kind in about_proposals:
        tell([reader.id], kind, proposal, source=merged)
    db.session.commit()
    assert mail_to(reader) == []  # the digest, not one e-mail each
    assert send_digests(utcnow()) == 1  # as the worker sends it: no request, no browser
    [digest] = mail_to(reader)
    assert digest.subject == "馆读共建：每周动态汇总"
    assert (digest.body.startswith("李欣怡，你好！")
            and digest.body.count(f"“{TITLE}”") == len(about_proposals))
    assert english_in(digest) == []


def test_a_password_reset_asked_in_english_reaches_a_chinese_patron_in_chinese(client,
                                                                                make_user):
    reader = a_chinese_patron(make_user)
    client.post("/auth/reset", data={"email": reader.email}, headers={"Accept-Language": "en"})
    [message] = mail_to(reader)
    assert message.subject == "馆读共建：设置新密码"
    assert message.body.startswith("李欣怡，你好：") and "/auth/reset/" in message.body
    assert english_in(message) == []


def test_an_english_patron_gets_english_whoever_asks(client, make_user):
    reader = make_user(name="Alex Reader")
    reader.locale = "en"
    db.session.commit()
    client.post("/auth/reset", data={"email": reader.email}, headers={"Accept-Language": "zh-CN"})
    [message] = mail_to(reader)
    assert message.subject == "Commons: choose a new password"
    assert message.body.startswith("Hello Alex Reader,")


def test_signing_up_in_chinese_saves_chinese_for_every_e_mail(client):
    """The confirmation link goes out at sign-up, in the language the patron signed up in,
    which becomes their saved language (digests and notifications follow it)."""
    client.post("/auth/register", headers={"Accept-Language": "zh-CN"},
                data={"email": "xinyi@example.edu", "display_name": "李欣怡",
                      "patron_type": "undergraduate", "password": PASSWORD})
    user = db.session.scalars(select(User).where(User.email == "xinyi@example.edu")).one()
    assert user.locale == "zh_Hans"
    [message] = mail_to(user)
    assert message.subject == "馆读共建：确认你的邮箱"
    assert english_in(message) == []


def test_e_mails_date_what_happened_on_the_librarys_clock(app, make_user, make_proposal,
                                                         monkeypatch):
    """16:05 UTC on 7 December is 00:05 on the 8th for a reader in the library's zone."""
    monkeypatch.setattr(notify_services, "utcnow", lambda: datetime(2026, 12, 7, 16, 5, 42))
    reader = a_chinese_patron(make_user)
    weekly = a_chinese_patron(make_user, email_frequency=EmailFrequency.WEEKLY.value)
    proposal = make_proposal(title="图书馆自习室座位不够")
    tell([reader.id, weekly.id], Kind.STATUS_CHANGED, proposal)
    db.session.commit()
    (immediate,) = mail_to(reader)
    assert "2026年12月8日 00:05" in immediate.body and "00:05:42" not in immediate.body
    send_digests(datetime(2026, 12, 8, 1))
    (digest,) = mail_to(weekly)
    assert "2026年12月8日 00:05" in digest.body and "16:05" not in digest.body

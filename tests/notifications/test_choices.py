"""Notification settings per kind of event × channel: every kind reaches a patron on exactly the
channels they ticked, through the real event path; without ticking anything, patrons keep what
their old e-mail frequency gave them."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications import services as notify
from app.notifications import tasks
from app.notifications.digests import send_digests
from app.notifications.models import Channel, Notification, Topic
from app.projects import services as projects
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.timeutil import utcnow
from app.workshops import services as workshops
from tests.calls.moments import BEFORE, COLLECTING
from tests.conftest import PASSWORD

DIGEST_SUBJECT = "Commons: your weekly digest"


def mails_to(user) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.to == user.email).order_by(OutboxMessage.id)))


def ticked(page: str, name: str) -> bool:
    match = re.search(rf'<input[^>]*\bid="{re.escape(name)}"[^>]*>', page)
    assert match, name
    return " checked" in match.group(0)


def only(topic: Topic, channel: Channel) -> dict:
    return {(t, c): (t, c) == (topic, channel) for t in Topic for c in Channel}


@pytest.fixture
def happen(make_user, make_proposal, make_project, make_workshop, make_call, staff, clock):
    """Makes one event of each kind happen, as the site would, to news `patron` is part of."""
    def decision(patron):
        proposal = make_proposal(author=patron)
        lifecycle.transition(proposal, "review", by=staff)

    def response(patron):
        proposals.add_comment(make_proposal(author=patron), author=staff, official=True,
                              body="We will open the east room on Sundays.")

    def project_news(patron):
        project = make_project()
        notify.set_following(patron, project.proposal, True)
        projects.post_update(project, by=staff, body="The chairs arrived.")

    def discussion(patron):
        proposals.add_comment(make_proposal(author=patron), author=make_user(),
                              body="I would use it every evening.")

    def workshop_news(patron):
        workshop = make_workshop()
        workshops.register(workshop, patron)
        db.session.commit()
        workshops.cancel_workshop(workshop, by=staff, reason="The room flooded.")

    def call_news(patron):
        notify.watch_calls(patron, {None})
        make_call()
        clock(COLLECTING)
        assert tasks.call_news.call_local() == 1

    return {Topic.DECISIONS: decision, Topic.RESPONSES: response, Topic.PROJECTS: project_news,
            Topic.DISCUSSION: discussion, Topic.WORKSHOPS: workshop_news, Topic.CALLS: call_news}


def reached(patron) -> set[Channel]:
    """The channels the news reached: the notification centre, an e-mail at once, the digest."""
    channels = set()
    if notify.recent(patron):
        channels.add(Channel.IN_APP)
    if mails_to(patron):
        channels.add(Channel.EMAIL)
    send_digests(utcnow() + timedelta(minutes=1))
    db.session.commit()
    if DIGEST_SUBJECT in mails_to(patron):
        channels.add(Channel.DIGEST)
    return channels


@pytest.mark.parametrize("channel", list(Channel), ids=lambda c: c.value)
@pytest.mark.parametrize("topic", list(Topic), ids=lambda t: t.value)
def test_each_kind_of_news_reaches_only_the_channel_ticked(happen, make_user, topic, channel):
    patron = make_user()
    notify.choose(patron, only(topic, channel))
    db.session.commit()
    happen[topic](patron)
    db.session.commit()
    assert reached(patron) == {channel}


@pytest.mark.parametrize("topic", list(Topic), ids=lambda t: t.value)
def test_a_kind_ticked_nowhere_reaches_nobody(happen, make_user, topic):
    patron = make_user()
    notify.choose(patron, {(t, c): t is not topic for t in Topic for c in Channel})
    db.session.commit()
    happen[topic](patron)
    db.session.commit()
    assert reached(patron) == set()
    assert not db.session.scalars(select(Notification).where(
        Notification.user_id == patron.id)).all()


DEFAULTS = {  # what each old e-mail frequency gave, kind by kind
    "immediate": {Topic.DECISIONS: {Channel.IN_APP, Channel.EMAIL},
                  Topic.WORKSHOPS: {Channel.IN_APP, Channel.EMAIL},
                  Topic.DISCUSSION: set()},
    "weekly": {Topic.DECISIONS: {Channel.IN_APP, Channel.DIGEST},
               Topic.WORKSHOPS: {Channel.IN_APP, Channel.EMAIL},
               Topic.DISCUSSION: set()},
    "none": {Topic.DECISIONS: {Channel.IN_APP}, Topic.WORKSHOPS: {Channel.IN_APP},
             Topic.DISCUSSION: set()},
}


@pytest.mark.parametrize("frequency", list(DEFAULTS))
@pytest.mark.parametrize("topic", [Topic.DECISIONS, Topic.WORKSHOPS, Topic.DISCUSSION],
                         ids=lambda t: t.value)
def test_patrons_who_never_ticked_keep_what_their_e_mail_frequency_gave(
        happen, make_user, frequency, topic):
    """Decisions as before (e-mail at once, the digest or neither, always here); a booked
    workshop's news by e-mail for anyone who takes e-mail; no comment chatter."""
    patron = make_user()
    patron.email_frequency = frequency
    db.session.commit()
    happen[topic](patron)
    db.session.commit()
    assert reached(patron) == DEFAULTS[frequency][topic]


def test_the_settings_table_shows_the_defaults_then_what_was_ticked(client, login, make_user):
    patron = make_user()
    patron.email_frequency = "weekly"
    db.session.commit()
    login(patron)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert ticked(page, "decisions-digest") and ticked(page, "decisions-in_app")
    assert not ticked(page, "decisions-email") and not ticked(page, "discussion-in_app")
    assert '<label for="discussion-in_app" class="visually-hidden">Comments and replies: Here, ' \
           'in Commons</label>' in page
    response = client.post("/notifications/settings", data={
        "discussion-email": "y", "workshops-in_app": "y", "call_branches": ["all"]})
    assert response.status_code == 303
    table = notify.table_of(patron)
    assert {cell for cell, on in table.items() if on} == {
        (Topic.DISCUSSION, Channel.EMAIL), (Topic.WORKSHOPS, Channel.IN_APP)}
    assert notify.watched_branches(patron) == {None}
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert ticked(page, "discussion-email") and not ticked(page, "decisions-digest")
    assert ticked(page, "call_branches-0") and not ticked(page, "call_branches-1")


def test_the_settings_page_speaks_chinese_and_asks_a_sign_in(client, login, make_user):
    assert client.get("/notifications/settings").status_code == 302
    patron = make_user()
    patron.locale = "zh_Hans"
    db.session.commit()
    login(patron)
    page = client.get("/notifications/settings", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200 and "每周汇总" in page.get_data(as_text=True)


def test_a_refused_branch_keeps_what_was_ticked_and_writes_nothing(client, login, make_user):
    patron = make_user()
    login(patron)
    response = client.post("/notifications/settings",
                           data={"calls-email": "y", "call_branches": ["999999"]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ticked(page, "calls-email") and not ticked(page, "calls-in_app")
    assert notify.table_of(patron)[(Topic.CALLS, Channel.IN_APP)] is True  # nothing saved


def test_a_closed_account_hears_nothing_more(happen, make_user):
    from app.account import services as account

    patron = make_user()
    notify.choose(patron, {(t, c): True for t in Topic for c in Channel})
    db.session.commit()
    account.close(patron, password=PASSWORD)
    db.session.commit()
    assert notify.wants([patron.id], Topic.DECISIONS, Channel.EMAIL) == set()


def test_a_reply_tells_the_comment_author_who_chose_discussion(make_user, make_proposal):
    commenter, replier = make_user(), make_user()
    notify.choose(commenter, only(Topic.DISCUSSION, Channel.IN_APP))
    proposal = make_proposal()
    comment = proposals.add_comment(proposal, author=commenter, body="More sockets, please.")
    db.session.commit()
    proposals.add_comment(proposal, author=replier, body="Agreed.", reply_to=comment)
    db.session.commit()
    [news] = notify.recent(commenter)
    assert notify.describe(news) == f"Someone replied to your comment on “{proposal.title}”."


def test_before_the_call_opens_nobody_is_told(make_user, make_call, clock):
    patron = make_user()
    notify.watch_calls(patron, {None})
    make_call()
    clock(BEFORE)
    assert tasks.call_news.call_local() == 0
    assert notify.recent(patron) == []


def test_marking_the_centre_read_leaves_digest_only_news_for_the_digest(
        client, login, happen, make_user):
    patron = make_user()
    notify.choose(patron, {(t, c): False for t in Topic for c in Channel} | {
        (Topic.DECISIONS, Channel.DIGEST): True, (Topic.DISCUSSION, Channel.IN_APP): True})
    db.session.commit()
    happen[Topic.DECISIONS](patron)
    happen[Topic.DISCUSSION](patron)
    db.session.commit()
    login(patron)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Someone commented on" in page and "is now" not in page
    assert client.post("/notifications/read").status_code == 303
    assert notify.unread_count(patron) == 0
    send_digests(utcnow() + timedelta(minutes=1))
    db.session.commit()
    [digest] = db.session.scalars(select(OutboxMessage.body).where(
        OutboxMessage.to == patron.email)).all()
    assert "is now Under review" in digest and "Someone commented" not in digest


def test_every_kind_of_notification_belongs_to_a_kind_patrons_choose():
    from app.notifications.models import TOPIC_OF, Kind

    assert [kind for kind in Kind if kind not in TOPIC_OF] == []

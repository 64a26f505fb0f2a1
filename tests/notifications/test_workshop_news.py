"""Workshop news in the notification centre as well as by e-mail (issue 24): a move, a
cancellation, a place freed from the waiting list and the reminders, each with a link that
works, honouring each patron's choices."""
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications import services as notify
from app.notifications import workshop_reminders
from app.notifications.models import Channel, Topic
from app.timeutil import utcnow
from app.workshops import services as workshops


def plan_of(workshop, **changes) -> workshops.Plan:
    values = dict(title=workshop.title, description=workshop.description,
                  starts_at=workshop.starts_at, ends_at=workshop.ends_at,
                  places=workshop.places, opens_at=workshop.opens_at,
                  closes_at=workshop.closes_at, branch_id=workshop.branch_id,
                  room=workshop.room) | changes
    return workshops.Plan(**values)


def centre(client, login, patron) -> str:
    login(patron)
    return client.get("/notifications").get_data(as_text=True)


def test_a_moved_workshop_is_news_in_the_centre_with_a_working_link(client, login, make_user,
                                                                    make_workshop, staff):
    workshop = make_workshop()
    registered, waiting = make_user(), make_user()
    workshop.places = 1
    for patron in (registered, waiting):
        workshops.register(workshop, patron)
    db.session.commit()
    later = workshop.starts_at + timedelta(days=1)
    workshops.edit(workshop, plan_of(workshop, starts_at=later, ends_at=later + timedelta(hours=2),
                                     closes_at=later), by=staff)
    db.session.commit()
    for patron in (registered, waiting):
        [news] = notify.recent(patron)
        assert notify.describe(news) == (f"The workshop “{workshop.title}” has moved: check its "
                                         "new time.")
    page = centre(client, login, waiting)
    assert f'href="/workshops/{workshop.id}">See the workshop</a>' in page
    assert client.get(f"/workshops/{workshop.id}").status_code == 200
    assert client.get("/").status_code in (200, 302)


def test_a_cancelled_workshop_and_a_promotion_reach_the_centre_and_e_mail(make_user,
                                                                         make_workshop, staff):
    workshop = make_workshop(places=1)
    first, second = make_user(), make_user()
    workshops.register(workshop, first)
    workshops.register(workshop, second)
    db.session.commit()
    workshops.cancel_registration(workshop, first)
    db.session.commit()
    [news] = notify.recent(second)
    assert "you are now registered for the workshop" in notify.describe(news)
    workshops.cancel_workshop(workshop, by=staff, reason="The room flooded.")
    db.session.commit()
    latest = notify.recent(second)[0]
    assert notify.describe(latest) == f"The workshop “{workshop.title}” is called off."
    subjects = db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.to == second.email)).all()
    assert any("is cancelled" in s for s in subjects) and any("freed up" in s for s in subjects)


def test_news_of_a_workshop_speaks_the_readers_language(client, login, make_user,
                                                       make_workshop, staff):
    workshop = make_workshop()
    reader = make_user()
    reader.locale = "zh_Hans"
    workshops.register(workshop, reader)
    db.session.commit()
    workshops.cancel_workshop(workshop, by=staff)
    db.session.commit()
    login(reader)
    page = client.get("/notifications", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert f"工作坊“{workshop.title}”已取消。" in page and "查看工作坊" in page


def test_reminders_honour_each_patrons_choices(make_user, make_workshop):
    """In-app only: a notification and no e-mail; e-mail only: the e-mail and no notification;
    neither: nothing, and the job still reminds nobody twice."""
    workshop = make_workshop(places=5, starts_in=timedelta(hours=20))
    here, by_mail, neither = make_user(), make_user(), make_user()
    everything_off = {(t, c): False for t in Topic for c in Channel}
    notify.choose(here, everything_off | {(Topic.WORKSHOPS, Channel.IN_APP): True})
    notify.choose(by_mail, everything_off | {(Topic.WORKSHOPS, Channel.EMAIL): True})
    notify.choose(neither, everything_off)
    for patron in (here, by_mail, neither):
        workshops.register(workshop, patron)
    db.session.commit()
    assert workshop_reminders.send_reminders(utcnow()) == 1  # one e-mail: by_mail's
    assert workshop_reminders.send_reminders(utcnow()) == 0
    reminded = db.session.scalars(select(OutboxMessage.to).where(
        OutboxMessage.subject.contains("tomorrow"))).all()
    assert reminded == [by_mail.email]
    [news] = notify.recent(here)
    assert notify.describe(news) == f"A reminder: the workshop “{workshop.title}” is coming up."
    assert notify.recent(by_mail) == [] and notify.recent(neither) == []

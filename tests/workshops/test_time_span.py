"""A session's time reads once for its day: "21 Dec 2026, 14:00–15:00", in both languages."""
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.i18n import span, time_span
from app.mail.models import OutboxMessage
from app.workshops import services

# 06:00 UTC is 14:00 in Shanghai, the library's zone in the tests.
STARTS = datetime(2026, 12, 21, 6, 0)


def test_a_session_on_one_day_shows_its_date_once(app):
    with app.test_request_context(), force_locale("en"):
        assert span(STARTS, datetime(2026, 12, 21, 7, 0)) == ("21 Dec 2026, 14:00", "15:00")
        shown = str(time_span(STARTS, datetime(2026, 12, 21, 7, 0)))
        assert ">21 Dec 2026, 14:00</time>–<time" in shown and ">15:00</time>" in shown
        assert 'datetime="2026-12-21T07:00:00Z"' in shown
    with app.test_request_context(), force_locale("zh_Hans"):
        assert span(STARTS, datetime(2026, 12, 21, 7, 0)) == ("2026年12月21日 14:00", "15:00")


def test_a_session_across_midnight_on_the_library_clock_shows_both_dates(app):
    # 15:30 UTC is 23:30 in Shanghai; 17:00 UTC is 01:00 the next day there.
    with app.test_request_context(), force_locale("en"):
        first, last = span(datetime(2026, 12, 21, 15, 30), datetime(2026, 12, 21, 17, 0))
        assert (first, last) == ("21 Dec 2026, 23:30", "22 Dec 2026, 01:00")
        assert "</time> – <time" in str(time_span(datetime(2026, 12, 21, 15, 30),
                                                   datetime(2026, 12, 21, 17, 0)))


def test_the_workshop_page_shows_a_one_day_session_so(client, make_workshop):
    workshop = make_workshop()
    workshop.starts_at, workshop.ends_at = datetime(2027, 1, 10, 6, 0), datetime(2027, 1, 10, 7, 0)
    workshop.closes_at = workshop.starts_at
    db.session.commit()
    page = client.get(f"/workshops/{workshop.id}").text
    assert ">10 Jan 2027, 14:00</time>–<time" in page and ">15:00</time>" in page
    assert "10 Jan 2027, 15:00" not in page
    chinese = client.get(f"/workshops/{workshop.id}?lang=zh-Hans").text
    assert ">2027年1月10日 14:00</time>–<time" in chinese


def test_the_workshop_e_mail_shows_a_one_day_session_date_once_in_both_languages(make_user,
                                                                                 make_workshop):
    workshop = make_workshop()
    workshop.starts_at, workshop.ends_at = datetime(2027, 1, 10, 6, 0), datetime(2027, 1, 10, 7, 0)
    workshop.closes_at = workshop.starts_at
    db.session.commit()
    english, chinese = make_user(), make_user(name="李欣怡")
    chinese.locale = "zh_Hans"
    for patron in (english, chinese):
        services.register(workshop, patron)
    db.session.commit()
    bodies = {m.to: m.body for m in db.session.scalars(select(OutboxMessage))}
    assert "10 Jan 2027, 14:00–15:00\n" in bodies[english.email]
    assert "10 Jan 2027, 15:00" not in bodies[english.email]
    assert "2027年1月10日 14:00–15:00\n" in bodies[chinese.email]
    assert "2027年1月10日 15:00" not in bodies[chinese.email]


def test_the_workshop_feed_shows_a_one_day_session_date_once(client, make_workshop):
    workshop = make_workshop()
    workshop.starts_at, workshop.ends_at = datetime(2027, 1, 10, 6, 0), datetime(2027, 1, 10, 7, 0)
    db.session.commit()
    feed = client.get("/feeds/workshops.atom").text
    assert "10 Jan 2027, 14:00&lt;/time&gt;–&lt;time" in feed
    assert "10 Jan 2027, 15:00" not in feed

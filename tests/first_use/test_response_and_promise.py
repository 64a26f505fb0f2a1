"""Issue 21, items 2 and 3: the library's response box shows the decision; the promise is
visible before it triggers; the home page says how it works, with live numbers."""
import re
from datetime import date, timedelta

import pytest

from app import settings
from app.extensions import db
from app.proposals import lifecycle, services
from app.proposals.lifecycle import Action
from app.proposals.models import Status
from app.timeutil import utcnow


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


def response_box(html: str) -> str:
    start = html.index('id="response-heading"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("action, label", [(Action.ACCEPT, "Accepted"),
                                           (Action.DECLINE, "Declined")])
def test_once_decided_the_response_is_the_decision_and_its_reason(client, make_proposal, staff,
                                                                  action, label):
    proposal = make_proposal(status=Status.UNDER_REVIEW)
    services.add_comment(proposal, author=staff, official=True,
                         body="The decision depends on next year's budget.")
    lifecycle.transition(proposal, action, by=staff,
                         note="We will trial the database for six months from January.")
    db.session.commit()
    page = client.get(f"/proposals/{proposal.id}").text
    box = response_box(page)
    assert label in box and "We will trial the database for six months" in box
    assert "The decision depends on next" not in box
    assert len(re.findall(r"The library(?:'|&#39;)s response", page)) == 1  # the decision's
    comments = page[page.index('id="comments"'):]
    assert "The decision depends on next" in comments and "official response" in comments


def test_under_review_the_box_shows_the_feasibility_note_and_due_date(client, make_proposal,
                                                                     staff):
    proposal = make_proposal()
    lifecycle.transition(proposal, Action.REVIEW, by=staff)
    proposal.feasibility_note = "Needs two more staff on Sundays."
    db.session.commit()
    box = response_box(client.get(f"/proposals/{proposal.id}").text)
    assert "Needs two more staff on Sundays." in box and "Answer due by" in box


def test_progress_towards_the_promise_on_the_list_and_the_page(client, login, make_user,
                                                              make_proposal):
    proposal = make_proposal(title="More sockets in the east reading room")
    for _n in range(12):
        services.support(proposal, make_user())
    db.session.commit()
    words = "12 of 20 supporters: at 20 the library answers within 14 days"
    for html in (client.get("/proposals").text, client.get(f"/proposals/{proposal.id}").text):
        assert words in html
        assert re.search(rf'<label for="progress-{proposal.id}">{words}</label>', html)
        assert f'<progress id="progress-{proposal.id}" max="20" value="12">' in html
    settings.put("response_threshold", 30)
    db.session.commit()
    assert "12 of 30 supporters: at 30" in client.get(f"/proposals/{proposal.id}").text
    zh = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "zh-CN"}).text
    assert "已有 12 人支持，共需 30 人：达到 30 人后，图书馆将在 14 天内答复" in zh


def test_a_support_with_htmx_updates_the_progress_too(client, login, make_user, make_proposal):
    proposal = make_proposal()
    login(make_user())
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"},
                           headers={"HX-Request": "true"})
    assert f'id="promise-{proposal.id}" data-hx-swap-oob="true"' in response.text
    assert "1 of 20 supporters" in response.text


def test_the_home_page_says_how_it_works_with_live_numbers(client, make_proposal, make_project,
                                                          staff):
    response = client.get("/")
    assert response.status_code == 200
    for step in ("Propose.", "Moderation.", "Supports.", "The promise.", "Project.",
                 "Outcome."):
        assert step in response.text
    assert "When 20 patrons support a proposal, the library answers it within 14 days" in (
        response.text)
    assert "no answer has fallen due yet" in response.text
    assert "0 open projects are looking for volunteers." in response.text

    make_project(places=3)
    in_time, late = make_proposal(), make_proposal()
    for proposal in (in_time, late):
        lifecycle.transition(proposal, Action.REVIEW, by=staff)
    lifecycle.transition(in_time, Action.ACCEPT, by=staff, note="Yes.")
    late.response_due_at = utcnow() - timedelta(minutes=1)  # due, unanswered
    in_time.response_due_at = utcnow() - timedelta(minutes=2)  # and answered before that
    in_time.decided_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    text = client.get("/").text
    assert "1 open project is looking for volunteers." in text
    assert "1 of 2 answers due so far came within the promise." in text
    zh = client.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert "如何运作" in zh


@pytest.mark.parametrize("day, code", [(date(2026, 12, 7), "2026-autumn"),
                                       (date(2027, 1, 31), "2026-autumn"),
                                       (date(2027, 2, 1), "2027-spring"),
                                       (date(2027, 7, 31), "2027-spring"),
                                       (date(2027, 8, 1), "2027-autumn")])
def test_terms_split_the_year_at_february_and_august(app, day, code):
    from app.terms import Term

    term = Term.of(day)
    assert term.code == code and term.start <= day <= term.end
    assert Term.from_code(code) == term

"""Consultations on a draft: staff publish a draft for comments between two moments, the clock
opens and closes it, patrons comment on the whole or on a numbered section, comments follow the
proposals' moderation, flags and limits, and after the end staff publish a response that each
section's comments link to."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import settings
from app.audit import AuditEntry
from app.consultations.models import Consultation
from app.extensions import db, limiter
from app.proposals.models import Comment
from tests.conftest import count
from tests.consultations.conftest import AFTER, BEFORE, DURING, RESPONSE, form

WORDS = "Please keep one table for typing on the silent floors."


def _state_shown(page: str) -> str:
    return re.search(r'id="consultation-state">([^<]+)<', page).group(1)


def _section_block(page: str, number: int) -> str:
    return re.search(rf'<section id="section-{number}".*?</section>', page, re.S).group(0)


def _comment(client, consultation, section="None", body=WORDS):
    return client.post(f"/consultations/{consultation.id}/comments",
                       data={"section": str(section), "body": body})


# Staff actions and their boundaries

@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303), ("admin", 303)])
def test_only_staff_and_admins_publish_a_draft(client, login, make_user, role, expected):
    login(make_user(role=role))
    assert client.post("/consultations/new", data=form()).status_code == expected
    assert count(Consultation) == (1 if expected == 303 else 0)


def test_a_visitor_is_sent_to_sign_in_and_publishes_nothing(client):
    response = client.post("/consultations/new", data=form())
    assert response.status_code == 302 and "/auth/login" in response.location
    assert count(Consultation) == 0


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303)])
def test_only_staff_change_a_consultation(client, login, make_user, make_consultation, role,
                                          expected):
    consultation = make_consultation()
    login(make_user(role=role))
    response = client.post(f"/consultations/{consultation.id}/edit",
                           data=form(title_en="Noise-zone rules, second draft"))
    assert response.status_code == expected
    db.session.refresh(consultation)
    assert (consultation.title_en == "Noise-zone rules, second draft") is (expected == 303)


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303)])
def test_only_staff_publish_the_response(client, login, make_user, make_consultation, clock,
                                         role, expected):
    consultation = make_consultation()
    clock(AFTER)
    login(make_user(role=role))
    response = client.post(f"/consultations/{consultation.id}/response",
                           data={"response_en": RESPONSE, "response_zh": ""})
    assert response.status_code == expected
    db.session.refresh(consultation)
    assert (consultation.responded_at is not None) is (expected == 303)


def test_every_staff_action_is_in_the_audit_log(client, login, staff, clock):
    login(staff)
    client.post("/consultations/new", data=form())
    consultation = db.session.scalar(select(Consultation))
    client.post(f"/consultations/{consultation.id}/edit", data=form(title_en="Second draft"))
    clock(AFTER)
    client.post(f"/consultations/{consultation.id}/response", data={"response_en": RESPONSE})
    actions = db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.subject_type == "consultation", AuditEntry.subject_id == consultation.id,
        AuditEntry.actor_id == staff.id).order_by(AuditEntry.id)).all()
    assert actions == ["create_consultation", "edit_consultation", "publish_response"]


def test_a_draft_with_different_sections_in_each_language_is_refused(client, login, staff):
    login(staff)
    response = client.post("/consultations/new",
                           data=form(body_zh="## 静音区\n四楼和五楼禁止交谈。"))
    assert response.status_code == 422
    assert "The English draft has 3 sections and the Chinese one 1" in response.text
    assert "Three zones from next term." in response.text  # what staff typed is kept
    assert count(Consultation) == 0


def test_closing_before_opening_is_refused_next_to_the_field(client, login, staff):
    login(staff)
    response = client.post("/consultations/new", data=form(closes_at="2026-03-01T09:00"))
    assert response.status_code == 422
    assert re.search(r'id="closes_at-error">Comments must close after they open', response.text)


# Open and closed by the clock

def test_the_clock_opens_and_closes_the_consultation(client, make_consultation, clock):
    consultation = make_consultation()
    shown = {}
    for moment in (BEFORE, DURING, AFTER):
        clock(moment)
        page = client.get(f"/consultations/{consultation.id}").text  # a visitor: kept copies
        listing = client.get("/consultations").text
        shown[moment] = (_state_shown(page),
                         re.search(r'<h2 id="consultations-(\w+)">(?:(?!<h2).)*Draft noise-zone',
                                   listing, re.S).group(1))
    assert shown == {BEFORE: ("Not open for comments yet", "upcoming"),
                     DURING: ("Open for comments", "open"),
                     AFTER: ("Closed for comments", "past")}


@pytest.mark.parametrize("moment, reason", [
    (BEFORE, "Comments open on 2 Mar 2026, 09:00."),
    (AFTER, "Comments closed on 9 Mar 2026, 17:00."),
])
def test_a_comment_outside_the_dates_is_refused_with_the_reason(
        client, login, make_user, make_consultation, clock, moment, reason):
    consultation = make_consultation()
    clock(moment)
    login(make_user())
    response = _comment(client, consultation, section=1)
    assert response.status_code == 422
    assert reason in response.text
    assert WORDS in response.text  # what the patron typed is kept
    assert db.session.scalar(select(Comment.id).where(Comment.consultation_id.is_not(None))) \
        is None


# Comments on the whole and on a section

def test_a_patron_comments_on_a_section_and_it_is_listed_under_it(
        client, login, make_user, make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    login(make_user(name="Li Xinyi"))
    response = _comment(client, consultation, section=2)
    comment = db.session.scalar(select(Comment).where(Comment.consultation_id == consultation.id))
    assert response.status_code == 303
    assert response.location.endswith(f"/consultations/{consultation.id}#comment-{comment.id}")
    assert comment.section == 2 and comment.proposal_id is None
    page = client.get(f"/consultations/{consultation.id}").text
    second = _section_block(page, 2)
    assert f'id="comment-{comment.id}"' in second and WORDS in second
    assert "1 comment on this section" in second
    assert "0 comments on this section" in _section_block(page, 1)
    assert "0 comments on the whole draft" in page


def test_a_comment_on_the_whole_draft_is_listed_apart(client, login, make_user,
                                                      make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    login(make_user())
    assert _comment(client, consultation, section="None").status_code == 303
    page = client.get(f"/consultations/{consultation.id}").text
    assert "1 comment on the whole draft" in page
    assert all("0 comments on this section" in _section_block(page, n) for n in (1, 2, 3))


def test_the_section_link_chooses_the_section_in_the_form(client, login, make_user,
                                                         make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    login(make_user())
    page = client.get(f"/consultations/{consultation.id}?section=3").text
    assert re.search(r'<option selected value="3">|<option value="3" selected', page)
    assert f'href="/consultations/{consultation.id}?section=2#comment-form"' in page


def test_a_section_the_draft_lacks_is_refused(client, login, make_user, make_consultation,
                                              clock):
    consultation = make_consultation()
    clock(DURING)
    login(make_user())
    assert _comment(client, consultation, section=9).status_code == 422
    assert db.session.scalar(select(Comment.id).where(Comment.consultation_id.is_not(None))) \
        is None


def test_the_same_form_posted_twice_posts_one_comment(client, login, make_user,
                                                      make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    login(make_user())
    data = {"section": "1", "body": WORDS, "once": "token-1"}
    for _ in range(2):
        client.post(f"/consultations/{consultation.id}/comments", data=data)
    assert db.session.query(Comment).filter(Comment.consultation_id == consultation.id).count() \
        == 1


# Moderation, flags and limits: the proposals' own

def test_flags_from_enough_patrons_hide_a_comment_until_staff_look(
        app, client, login, make_user, make_consultation, clock, staff):
    settings.put("flag_threshold", 2)
    db.session.commit()
    consultation = make_consultation()
    clock(DURING)
    author = make_user()
    login(author)
    _comment(client, consultation, section=1)
    comment = db.session.scalar(select(Comment).where(Comment.consultation_id == consultation.id))
    for _ in range(2):
        login(make_user())
        response = client.post(f"/comments/{comment.id}/flag", data={"reason": "offensive"})
        assert response.status_code == 303
        assert response.location.endswith(f"/consultations/{consultation.id}#comment-{comment.id}")
    db.session.refresh(comment)
    assert comment.hidden_at is not None
    page = client.get(f"/consultations/{consultation.id}").text
    assert "This comment is hidden while library staff look at it." in page
    assert WORDS not in page  # another patron no longer reads it
    assert comment.id in [item["subject"].id for item in _flagged_items(client, login, staff)]


def _flagged_items(client, login, staff):
    from app.moderation.services import flagged
    login(staff)
    queue = client.get("/staff/moderation").text
    assert "Comment by" in queue and "/consultations/" in queue  # linked to its draft
    return flagged().items


def test_a_patron_cannot_flag_their_own_comment(client, login, make_user, make_consultation,
                                                clock):
    consultation = make_consultation()
    clock(DURING)
    author = make_user()
    login(author)
    _comment(client, consultation)
    comment = db.session.scalar(select(Comment).where(Comment.consultation_id == consultation.id))
    client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}, follow_redirects=True)
    db.session.refresh(comment)
    assert comment.hidden_at is None


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303)])
def test_only_staff_hide_a_consultation_comment(client, login, make_user, make_consultation,
                                                clock, role, expected):
    consultation = make_consultation()
    clock(DURING)
    login(make_user())
    _comment(client, consultation, section=3)
    comment = db.session.scalar(select(Comment).where(Comment.consultation_id == consultation.id))
    user = make_user(role=role)
    login(user)
    response = client.post(f"/comments/{comment.id}/hide", data={"hidden": "1"})
    assert response.status_code == expected
    db.session.refresh(comment)
    assert (comment.hidden_at is not None) is (expected == 303)
    if expected == 303:
        assert response.location.endswith(f"#comment-{comment.id}")
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.actor_id == user.id)) == "hide_comment"


def test_its_author_deletes_a_comment_and_nobody_else_does(client, login, make_user,
                                                           make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    author = make_user()
    login(author)
    _comment(client, consultation)
    comment = db.session.scalar(select(Comment).where(Comment.consultation_id == consultation.id))
    login(make_user())
    client.post(f"/consultations/{consultation.id}/comments/{comment.id}/delete")
    db.session.refresh(comment)
    assert comment.deleted_at is None
    login(author)
    client.post(f"/consultations/{consultation.id}/comments/{comment.id}/delete")
    db.session.refresh(comment)
    assert comment.deleted_at is not None and comment.body == ""


def test_comments_on_drafts_and_proposals_share_one_limit(
        app, client, login, make_user, make_consultation, make_proposal, clock, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTS", "1 per minute")
    limiter.reset()
    try:
        consultation, proposal = make_consultation(), make_proposal()
        clock(DURING)
        login(make_user())
        assert client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "Agreed, floor 3 is loud."}).status_code == 303
        assert _comment(client, consultation).status_code == 429
    finally:
        limiter.reset()


# The response

def test_the_response_waits_for_the_end(client, login, staff, make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    login(staff)
    response = client.post(f"/consultations/{consultation.id}/response",
                           data={"response_en": RESPONSE})
    assert response.status_code == 422
    assert "The response is published once comments have closed" in response.text
    db.session.refresh(consultation)
    assert consultation.responded_at is None


def test_a_response_needs_a_part_per_section(client, login, staff, make_consultation, clock):
    consultation = make_consultation()
    clock(AFTER)
    login(staff)
    response = client.post(f"/consultations/{consultation.id}/response",
                           data={"response_en": "We changed two rules.\n\n## Silent zone\nOk."})
    assert response.status_code == 422
    assert "The draft has 3 sections" in response.text


def test_each_comments_section_links_to_its_part_of_the_response(
        client, login, make_user, staff, make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    login(make_user())
    for section in (1, 2, 3):
        _comment(client, consultation, section=section, body=f"About section {section}.")
    clock(AFTER)
    login(staff)
    assert client.post(f"/consultations/{consultation.id}/response",
                       data={"response_en": RESPONSE}).status_code == 303
    page = client.get(f"/consultations/{consultation.id}").text
    for number, words in ((1, "Phone booths"), (2, "Signs show"), (3, "three hours")):
        block = _section_block(page, number)
        assert f"About section {number}." in block
        assert f'href="#response-{number}"' in block
        part = re.search(rf'<section id="response-{number}".*?</section>', page, re.S).group(0)
        assert words in part
    assert "We changed two rules after your comments." in page


def test_the_page_in_chinese_shows_the_chinese_draft(client, make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    page = client.get(f"/consultations/{consultation.id}?lang=zh_Hans").text
    assert "噪音分区规则（草案）" in page and "四楼和五楼禁止交谈。" in page


# The call it belongs to

def test_the_call_page_links_its_consultation(client, make_call, make_consultation):
    call = make_call()
    consultation = make_consultation(call_id=call.id)
    page = client.get(f"/calls/{call.id}").text
    assert f'href="/consultations/{consultation.id}"' in page
    assert f'href="/calls/{call.id}"' in client.get(f"/consultations/{consultation.id}").text


def test_its_author_edits_a_comment_for_a_while_and_nobody_else_does(
        client, login, make_user, make_consultation, clock):
    consultation = make_consultation()
    clock(DURING)
    author = make_user()
    login(author)
    _comment(client, consultation, section=1)
    comment = db.session.scalar(select(Comment).where(Comment.consultation_id == consultation.id))
    path = f"/consultations/{consultation.id}/comments/{comment.id}/edit"
    assert client.post(path, data={"body": "Two typing tables, please."}).status_code == 303
    db.session.refresh(comment)
    assert comment.body == "Two typing tables, please." and comment.edited_at is not None
    login(make_user())
    assert client.post(path, data={"body": "Not mine."}).status_code == 403
    login(author)
    comment.created_at -= timedelta(minutes=16)  # posted a quarter of an hour ago and more
    db.session.commit()
    assert client.post(path, data={"body": "Three tables."}).status_code == 403
    db.session.refresh(comment)
    assert comment.body == "Two typing tables, please."

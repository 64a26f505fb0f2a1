import re
from datetime import timedelta

import pytest

from app import settings
from app.extensions import db
from app.moderation.models import Flag
from app.proposals.models import Comment, Proposal, Status
from app.timeutil import utcnow
from tests.conftest import count
from tests.proposals.test_routes import statements_for


def post_status(client, proposal, action, note="", htmx=False, follow_redirects=False, **extra):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/proposals/{proposal.id}/status", follow_redirects=follow_redirects,
                       data={"action": action, "note": note} | extra, headers=headers)


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 303), ("admin", 303)])
def test_only_staff_publish(client, login, make_user, make_proposal, role, expected):
    user = make_user(role=role)
    proposal = make_proposal(author=user, status=Status.SUBMITTED)  # even their own
    login(user)
    assert post_status(client, proposal, "publish").status_code == expected


def test_others_cannot_even_see_a_submitted_proposal(client, login, make_user, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    login(make_user())
    assert post_status(client, proposal, "publish").status_code == 404


def test_visitor_is_sent_to_sign_in(client, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    response = post_status(client, proposal, "publish")
    assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.parametrize("role", ["patron", "staff"])
def test_queue_is_staff_only(client, login, make_user, role):
    login(make_user(role=role))
    assert client.get("/staff/moderation").status_code == (200 if role == "staff" else 403)


def test_queue_lists_overdue_first_then_submitted_oldest_first(client, login, make_user,
                                                               make_proposal):
    newer = make_proposal(title="Submitted second, newer", status=Status.SUBMITTED)
    older = make_proposal(title="Submitted first, older", status=Status.SUBMITTED)
    older.created_at = newer.created_at - timedelta(days=2)
    late = make_proposal(title="Waiting far too long", status=Status.UNDER_REVIEW)
    late.response_due_at = utcnow() - timedelta(days=1)
    db.session.commit()
    login(make_user(role="staff"))
    page = client.get("/staff/moderation").text
    assert page.index("Waiting far too long") < page.index("Submitted first, older") \
        < page.index("Submitted second, newer")


def test_publish_from_the_queue_with_htmx_swaps_the_item(client, login, make_user, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    login(make_user(role="staff"))
    response = post_status(client, proposal, "publish", htmx=True)
    assert response.status_code == 200
    assert f'id="item-{proposal.id}"' in response.text and "<html" not in response.text
    assert "Open for support" in response.text
    assert db.session.get(Proposal, proposal.id).status == "open"


def test_plain_form_goes_back_where_it_came_from(client, login, make_user, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    login(make_user(role="staff"))
    response = post_status(client, proposal, "publish", back="/staff/moderation")
    assert response.status_code == 303 and response.location.endswith("/staff/moderation")


def test_reject_without_reason_is_refused_readably(client, login, make_user, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    login(make_user(role="staff"))
    response = post_status(client, proposal, "reject", htmx=True)
    # htmx swaps only a 2xx answer: the item comes back, open, with the refusal beside the form
    assert response.status_code == 200 and "Please give a reason" in response.text
    assert f'id="refused-reject-{proposal.id}"' in response.text
    assert db.session.get(Proposal, proposal.id).status == "submitted"


def test_illegal_transition_is_refused_whatever_the_route(client, login, make_user, make_proposal):
    proposal = make_proposal(status=Status.DECLINED)
    login(make_user(role="staff"))
    page = post_status(client, proposal, "accept", note="yes", follow_redirects=True)
    assert "cannot take the step" in page.text
    assert db.session.get(Proposal, proposal.id).status == "declined"


@pytest.mark.parametrize("action", ["", "explode", "x" * 300])
def test_unknown_action_is_a_bad_request(client, login, make_user, make_proposal, action):
    proposal = make_proposal()
    login(make_user(role="staff"))
    assert post_status(client, proposal, action).status_code == 400


def test_author_withdraws_and_resubmits(client, login, make_user, make_proposal):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.CHANGES_REQUESTED)
    login(author)
    assert post_status(client, proposal, "resubmit").status_code == 303
    asked = post_status(client, proposal, "withdraw")  # the author says why on its own form
    assert asked.status_code == 303 and asked.location.endswith(f"/proposals/{proposal.id}/withdraw")
    assert db.session.get(Proposal, proposal.id).status == "submitted"
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": "not_needed"})
    assert response.status_code == 303
    assert db.session.get(Proposal, proposal.id).status == "withdrawn"


def test_public_page_shows_promise_timeline_and_feasibility(client, login, make_user,
                                                            make_proposal):
    proposal = make_proposal()
    login(make_user(role="staff"))
    post_status(client, proposal, "review")
    client.post(f"/proposals/{proposal.id}/feasibility",
                data={"note": "Needs two more staff on Sundays."})
    client.post("/auth/logout")
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Answer due by" in page and "Needs two more staff on Sundays." in page
    assert "Under review" in page and "Timeline" in page
    stored = db.session.get(Proposal, proposal.id)
    stored.response_due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert "Overdue" in client.get(f"/proposals/{proposal.id}").text


def test_merge_through_the_page(client, login, make_user, make_proposal):
    source, target = make_proposal(), make_proposal(title="The original idea about seats")
    login(make_user(role="staff"))
    response = post_status(client, source, "merge", note="Same idea.", target=str(target.id))
    assert response.status_code == 303
    page = client.get(f"/proposals/{source.id}").text
    link = f'<a href="/proposals/{target.id}">#{target.id} The original idea about seats</a>'
    assert f"This proposal was merged into {link}. Its supports count there now." in page
    chinese = client.get(f"/proposals/{source.id}", headers={"Accept-Language": "zh-CN"}).text
    assert f"这条建议已合并到{link}，原有的支持已计入该建议。" in chinese  # one sentence, in order
    bad = post_status(client, target, "merge", note="dup", target="999999", follow_redirects=True)
    assert "no proposal with that number" in bad.text


def test_classify_is_staff_only(client, login, make_user, make_proposal):
    proposal = make_proposal()
    login(make_user())
    assert client.post(f"/proposals/{proposal.id}/classify",
                       data={"category_id": "2", "branch_id": "2"}).status_code == 403
    client.post("/auth/logout")
    login(make_user(role="staff"))
    client.post(f"/proposals/{proposal.id}/classify", data={"category_id": "2", "branch_id": "3"})
    stored = db.session.get(Proposal, proposal.id)
    assert (stored.category_id, stored.branch_id) == (2, 3)


def test_flags_hide_content_until_staff_decide(client, login, make_user, make_proposal):
    settings.put("flag_threshold", 2)
    db.session.commit()
    proposal = make_proposal(title="Buy cheap watches at example dot com")
    login(make_user())
    client.post(f"/proposals/{proposal.id}/flag", data={"reason": "spam"})
    again = client.post(f"/proposals/{proposal.id}/flag", data={"reason": "spam"},
                        follow_redirects=True)
    assert "already flagged" in again.text and count(Flag) == 1  # one patron counts once
    assert client.get(f"/proposals/{proposal.id}").status_code == 200
    client.post("/auth/logout")
    login(make_user())
    client.post(f"/proposals/{proposal.id}/flag", data={"reason": "offensive"})
    client.post("/auth/logout")
    assert client.get(f"/proposals/{proposal.id}").status_code == 404
    assert "cheap watches" not in client.get("/proposals").text
    login(make_user(role="staff"))
    assert "cheap watches" in client.get("/staff/moderation").text
    client.post(f"/staff/flags/proposal/{proposal.id}", data={"decision": "dismiss"})
    client.post("/auth/logout")
    assert client.get(f"/proposals/{proposal.id}").status_code == 200


def test_flag_needs_a_known_reason(client, login, make_user, make_proposal):
    proposal = make_proposal()
    login(make_user())
    page = client.post(f"/proposals/{proposal.id}/flag", data={"reason": "boring"},
                       follow_redirects=True)
    assert "Choose a reason" in page.text and count(Flag) == 0


def test_flagged_comment_is_hidden_and_upheld(client, login, make_user, make_proposal):
    settings.put("flag_threshold", 1)
    db.session.commit()
    proposal = make_proposal()
    login(make_user(name="Troll"))
    client.post(f"/proposals/{proposal.id}/comments", data={"body": "Call 555-0100 for Li Hua"})
    comment = db.session.query(Comment).one()
    client.post("/auth/logout")
    login(make_user())
    client.post(f"/comments/{comment.id}/flag", data={"reason": "personal"})
    client.post("/auth/logout")
    assert "555-0100" not in client.get(f"/proposals/{proposal.id}").text
    login(make_user(role="staff"))
    client.post(f"/staff/flags/comment/{comment.id}", data={"decision": "uphold"})
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).hidden_at is not None
    assert db.session.query(Flag).one().resolution == "upheld"


def test_notifications_page_lists_status_changes(client, login, make_user, make_proposal):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.SUBMITTED)
    login(make_user(role="staff"))
    post_status(client, proposal, "publish")
    client.post("/auth/logout")
    login(author)
    assert '<span class="count-badge">1' in client.get("/proposals").text
    page = client.get("/notifications").text
    assert proposal.title in page and "Open for support" in page
    client.post("/notifications/read")
    assert "count-badge" not in client.get("/proposals").text


def test_queue_items_change_category_in_place(client, login, make_user, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    login(make_user(role="staff"))
    assert f'id="classify-category-{proposal.id}"' in client.get("/staff/moderation").text
    response = client.post(f"/proposals/{proposal.id}/classify", headers={"HX-Request": "true"},
                           data={"category_id": "3", "branch_id": "2"})
    assert response.status_code == 200 and f'id="item-{proposal.id}"' in response.text
    assert db.session.get(Proposal, proposal.id).category_id == 3


def queue_titles(page: str) -> list[str]:
    return re.findall(r'<h3><a href="/proposals/\d+">#\d+ (Waiting number \d+)</a></h3>', page)


def test_each_queue_section_shows_a_page_and_links_to_the_rest(client, login, make_user,
                                                               make_proposal):
    made = [make_proposal(title=f"Waiting number {n}", status=Status.SUBMITTED)
            for n in range(23)]
    for n, proposal in enumerate(made):  # the oldest first in the queue
        proposal.created_at = utcnow() - timedelta(hours=100 - n)
    db.session.commit()
    login(make_user(role="staff"))
    whole = client.get("/staff/moderation").text
    assert queue_titles(whole) == [f"Waiting number {n}" for n in range(20)]
    assert "Awaiting moderation (23)" in whole
    assert '<a href="/staff/moderation?section=submitted">See all 23</a>' in whole
    first = client.get("/staff/moderation?section=submitted").text
    assert queue_titles(first) == [f"Waiting number {n}" for n in range(20)]
    assert 'rel="next" href="/staff/moderation?section=submitted&amp;page=2"' in first
    assert "Back to the whole queue" in first and 'id="overdue"' not in first
    second = client.get("/staff/moderation?section=submitted&page=2").text
    assert queue_titles(second) == ["Waiting number 20", "Waiting number 21", "Waiting number 22"]
    assert 'rel="prev" href="/staff/moderation?section=submitted"' in second
    assert '<ol class="queue-list" start="21">' in second
    client.set_cookie("lang", "zh_Hans")
    assert "查看全部 23 项" in client.get("/staff/moderation").text
    assert "返回整个审核队列" in client.get("/staff/moderation?section=submitted").text


@pytest.mark.parametrize("query", ["section=nope", "section=flagged&page=abc",
                                   "section=overdue&page=99999999999999", "page=-3"])
def test_odd_queue_addresses_still_answer(client, login, make_user, query):
    login(make_user(role="staff"))
    assert client.get(f"/staff/moderation?{query}").status_code == 200


def test_the_queue_reads_a_constant_number_of_statements(client, login, make_user, make_proposal):
    def waiting(n):
        for _ in range(n):
            proposal = make_proposal(status=Status.SUBMITTED)
            late = make_proposal(status=Status.UNDER_REVIEW)
            late.response_due_at = utcnow() - timedelta(days=1)
            for flagger in (make_user(), make_user()):
                db.session.add(Flag(user_id=flagger.id, proposal_id=proposal.id, reason="spam"))
            comment = Comment(proposal_id=late.id, author_id=make_user().id, body="Buy now.")
            db.session.add(comment)
            db.session.flush()
            db.session.add(Flag(user_id=make_user().id, comment_id=comment.id, reason="spam"))
        db.session.commit()

    login(make_user(role="staff"))
    waiting(1)
    few = statements_for(client, "/staff/moderation")
    waiting(6)
    assert statements_for(client, "/staff/moderation") == few
    page = client.get("/staff/moderation").text
    assert "Flagged (14)" in page and page.count("Flagged by 2 patrons") == 7

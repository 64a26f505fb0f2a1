"""Issue 21, item 5: what authors and commenters tripped over on first use (JavaScript off:
plain posts)."""
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.proposals import lifecycle, services
from app.proposals.lifecycle import Action
from app.proposals.models import Comment, Proposal, Status
from app.timeutil import utcnow
from tests.conftest import count


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


def published(make_proposal, author=None, **fields):
    proposal = make_proposal(author=author, **fields)
    proposal.published_at = utcnow()
    db.session.commit()
    return proposal


def test_a_patron_sends_a_new_proposal_for_review(client, login, make_user, staff):
    login(make_user())
    page = client.get("/proposals/new").text
    assert ">Send for review<" in page and "Publish my proposal" not in page
    client.post("/auth/logout")
    login(staff)  # what staff enter is published at once, and the button says so
    assert "Publish my proposal" in client.get("/proposals/new").text


def test_the_banner_shows_what_staff_asked_beside_edit_and_resubmit(client, login, make_user,
                                                                    make_proposal, staff):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.SUBMITTED)
    lifecycle.transition(proposal, Action.REQUEST_CHANGES, by=staff,
                         note="Please say which floor you mean.")
    db.session.commit()
    login(author)
    page = client.get(f"/proposals/{proposal.id}").text
    banner = page[page.index('id="changes-heading"'):page.index("</section>",
                                                                  page.index("changes-heading"))]
    assert "Library staff asked for changes" in banner
    assert "Please say which floor you mean." in banner
    assert "Edit this proposal" in banner and "Resubmit for moderation" in banner
    assert page.count("Edit this proposal") == 1  # not a second time further down


# --- withdrawing, with a reason -------------------------------------------------------------

@pytest.mark.parametrize("who, expected", [("author", 200), ("other", 403), ("staff", 403),
                                           ("visitor", 302)])
def test_only_the_author_may_withdraw(client, login, make_user, make_proposal, staff, who,
                                      expected):
    author = make_user()
    proposal = make_proposal(author=author)
    people = {"author": author, "other": make_user(), "staff": staff}
    if who in people:
        login(people[who])
    assert client.get(f"/proposals/{proposal.id}/withdraw").status_code == expected
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={"reason": "duplicate"})
    assert response.status_code == (303 if who == "author" else expected)
    withdrawn = db.session.get(Proposal, proposal.id).status == "withdrawn"
    assert withdrawn is (who == "author")


@pytest.mark.parametrize("data, field, message", [
    ({}, "reason", "Choose why you withdraw the proposal."),
    ({"reason": "nonsense"}, "reason", "Not a valid choice"),
    ({"reason": "other", "details": "  "}, "details",
     "Please say in a few words why you withdraw it."),
])
def test_withdrawing_without_a_reason_is_refused_beside_the_field(client, login, make_user,
                                                                  make_proposal, data, field,
                                                                  message):
    author = make_user()
    proposal = make_proposal(author=author)
    login(author)
    response = client.post(f"/proposals/{proposal.id}/withdraw", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text
    assert db.session.get(Proposal, proposal.id).status == "open"


def test_a_withdrawn_proposal_stays_readable_with_its_reason(client, login, make_user,
                                                            make_proposal):
    """Feature row 15: readable, marked withdrawn, with the reason, instead of a 404."""
    author = make_user()
    proposal = published(make_proposal, author)
    login(author)
    page = client.get(f"/proposals/{proposal.id}").text
    assert f'href="/proposals/{proposal.id}/withdraw"' in page  # the step, a link to its form
    response = client.post(f"/proposals/{proposal.id}/withdraw", data={
        "reason": "elsewhere", "details": "The Law Library already lends these chargers."})
    assert response.status_code == 303
    client.post("/auth/logout")
    page = client.get(f"/proposals/{proposal.id}")
    assert page.status_code == 200
    assert "Withdrawn by its author" in page.text and "It was done elsewhere" in page.text
    assert "The Law Library already lends these chargers." in page.text
    assert proposal.title in page.text and "Sign in to support" not in page.text
    assert proposal.title not in client.get("/proposals").text  # the list shows live ones
    zh = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "zh-CN"}).text
    assert "建议人已撤回" in zh


def test_a_proposal_withdrawn_before_it_was_published_stays_private(client, login, make_user,
                                                                   make_proposal):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.SUBMITTED)
    services.withdraw(proposal, by=author, reason="not_needed")
    db.session.commit()
    assert client.get(f"/proposals/{proposal.id}").status_code == 404
    login(author)
    page = client.get(f"/proposals/{proposal.id}").text
    assert "It is no longer needed" in page and "Only you and library staff" in page


# --- comments: post once, edit for a while, delete, reply one level ---------------------------

def once_token(html: str, form_action: str) -> str:
    form = html[html.index(f'action="{form_action}'):]
    return re.search(r'name="(?:[\w-]*-)?once"[^>]*value="([^"]+)"', form).group(1)


def test_a_comment_is_posted_once_and_the_page_is_not_kept(client, login, make_user,
                                                         make_proposal):
    proposal = make_proposal()
    login(make_user())
    page = client.get(f"/proposals/{proposal.id}")
    assert page.headers["Cache-Control"] == "no-store"
    assert 'class="comment-form" autocomplete="off"' in page.text
    token = once_token(page.text, f"/proposals/{proposal.id}/comments")
    data = {"body": "Yes, and on the fourth floor too.", "once": token}
    first = client.post(f"/proposals/{proposal.id}/comments", data=data)
    assert first.status_code == 303 and "#comment-" in first.location
    again = client.post(f"/proposals/{proposal.id}/comments", data=data, follow_redirects=True)
    assert "This comment was already posted." in again.text
    assert count(Comment) == 1
    fresh = once_token(again.text, f"/proposals/{proposal.id}/comments")
    assert fresh != token  # a new form, a new token


def test_the_author_edits_a_comment_for_15_minutes(client, login, make_user, make_proposal):
    proposal, author = make_proposal(), make_user()
    comment = services.add_comment(proposal, author=author, body="Ths is a typo.")
    db.session.commit()
    url = f"/proposals/{proposal.id}/comments/{comment.id}/edit"
    login(make_user())
    assert client.get(url).status_code == 403
    assert client.post(url, data={"body": "Vandalised"}).status_code == 403
    client.post("/auth/logout")
    login(author)
    assert 'autocomplete="off"' in client.get(url).text
    assert client.post(url, data={"body": ""}).status_code == 422
    assert client.post(url, data={"body": "This is a typo."}).status_code == 303
    page = client.get(f"/proposals/{proposal.id}").text
    assert "This is a typo." in page and "edited" in page
    db.session.get(Comment, comment.id).created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert client.get(url).status_code == 403
    assert url not in client.get(f"/proposals/{proposal.id}").text


def test_the_author_deletes_a_comment_at_any_time(client, login, make_user, make_proposal):
    proposal, author = make_proposal(), make_user()
    comment = services.add_comment(proposal, author=author, body="I changed my mind about it.")
    comment.created_at = utcnow() - timedelta(days=30)
    db.session.commit()
    url = f"/proposals/{proposal.id}/comments/{comment.id}/delete"
    login(make_user())
    assert client.post(url).status_code == 403
    client.post("/auth/logout")
    login(author)
    assert client.post(url).status_code == 303
    client.post("/auth/logout")
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Comment deleted by its author." in page
    assert "I changed my mind about it." not in page
    assert client.post(url).status_code == 302  # to sign in: visitors delete nothing


def test_replies_go_one_level_deep(client, login, make_user, make_proposal):
    proposal = make_proposal()
    first = services.add_comment(proposal, author=make_user(), body="Open on Sundays, please.")
    db.session.commit()
    login(make_user())
    url = f"/proposals/{proposal.id}/comments/{first.id}/replies"
    page = client.get(f"/proposals/{proposal.id}").text
    assert f'action="{url}"' in page
    refused = client.post(url, data={f"reply-{first.id}-body": ""})
    assert refused.status_code == 422
    assert f'id="reply-{first.id}-body-error"' in refused.text
    assert client.post(url, data={f"reply-{first.id}-body": "Agreed, mornings at least."}
                       ).status_code == 303
    reply = db.session.query(Comment).filter(Comment.parent_id == first.id).one()
    page = client.get(f"/proposals/{proposal.id}").text
    assert 'class="comment comment-reply"' in page and "Agreed, mornings at least." in page
    deeper = f"/proposals/{proposal.id}/comments/{reply.id}/replies"
    assert f'action="{deeper}"' not in page  # no reply to a reply is offered
    response = client.post(deeper, data={f"reply-{reply.id}-body": "And a third level?"})
    assert response.status_code == 422 and "one level deep" in response.text
    assert count(Comment) == 2
    other = make_proposal()
    assert client.post(f"/proposals/{other.id}/comments/{first.id}/replies",
                       data={f"reply-{first.id}-body": "Elsewhere"}).status_code == 404

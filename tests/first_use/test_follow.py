"""Issue 21, item 6 (first half): any patron follows or stops following a proposal or its
project, whatever their part in it; followers hear of decisions, project news and outcomes."""
import re

import pytest

from app.extensions import db
from app.notifications import services as notify
from app.notifications.models import Notification
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.lifecycle import Action


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


def told(user) -> int:
    return db.session.query(Notification).filter(Notification.user_id == user.id).count()


def test_a_patron_follows_without_supporting_and_hears_of_the_decision(client, login, make_user,
                                                                      make_proposal, staff):
    proposal, reader = make_proposal(), make_user()
    login(reader)
    page = client.get(f"/proposals/{proposal.id}").text
    assert re.search(r'aria-pressed="false">\s*Follow\s*</button>', page)
    response = client.post(f"/notifications/follow/{proposal.id}",
                           data={"want": "follow", "back": f"/proposals/{proposal.id}"})
    assert response.status_code == 303 and response.location.endswith(f"/proposals/{proposal.id}")
    page = client.get(f"/proposals/{proposal.id}").text
    assert "You follow “" in page and "Following" in page
    assert proposal.support_count == 0
    lifecycle.transition(proposal, Action.DECLINE, by=staff, note="No budget this year.")
    db.session.commit()
    assert told(reader) == 1


def test_a_supporter_stops_following_and_hears_nothing_more(client, login, make_user,
                                                          make_proposal, staff):
    proposal, supporter = make_proposal(), make_user()
    proposals.support(proposal, supporter)
    db.session.commit()
    login(supporter)
    assert "Following" in client.get(f"/proposals/{proposal.id}").text  # by supporting
    client.post(f"/notifications/follow/{proposal.id}", data={"want": "unfollow"})
    client.post(f"/notifications/follow/{proposal.id}", data={"want": "unfollow"})  # twice: same
    lifecycle.transition(proposal, Action.DECLINE, by=staff, note="No budget this year.")
    db.session.commit()
    assert told(supporter) == 0
    assert supporter.id not in notify.followers(proposal)
    assert proposal.author_id in notify.followers(proposal)


def test_follow_with_htmx_swaps_the_button_and_says_so(client, login, make_user, make_proposal):
    proposal = make_proposal()
    login(make_user())
    response = client.post(f"/notifications/follow/{proposal.id}", data={"want": "follow"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="follow-{proposal.id}"' in response.text and 'aria-pressed="true"' in response.text
    assert "You follow this proposal." in response.text and "<html" not in response.text


def test_a_project_page_has_the_follow_button_too(client, login, make_user, make_project):
    project = make_project()
    reader = make_user()
    login(reader)
    page = client.get(f"/projects/{project.id}").text
    assert f'action="/notifications/follow/{project.proposal_id}"' in page
    response = client.post(f"/notifications/follow/{project.proposal_id}",
                           data={"want": "follow", "back": f"/projects/{project.id}"})
    assert response.location.endswith(f"/projects/{project.id}")
    assert reader.id in notify.followers(project.proposal)


@pytest.mark.parametrize("who, expected", [("visitor", 302), ("patron", 303)])
def test_visitors_follow_nothing(client, login, make_user, make_proposal, who, expected):
    proposal = make_proposal()
    if who == "patron":
        login(make_user())
    assert client.post(f"/notifications/follow/{proposal.id}").status_code == expected


def test_an_unpublished_proposal_cannot_be_followed_by_others(client, login, make_user,
                                                            make_proposal):
    from app.proposals.models import Status

    proposal = make_proposal(status=Status.SUBMITTED)
    login(make_user())
    assert client.post(f"/notifications/follow/{proposal.id}").status_code == 404

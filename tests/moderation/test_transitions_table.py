"""Every (status, transition, role) through the page that changes status."""
import pytest

from app.extensions import db
from app.proposals.lifecycle import PROJECT_STEPS, RULES, Action, Who
from app.proposals.models import PUBLIC_STATUSES, Proposal, ProposalEvent, Status
from tests.conftest import PASSWORD

ROLES = ("visitor", "stranger", "author", "staff")


def expected(role: str, status: Status, action: Action) -> int:
    rule = RULES[action]
    if role == "visitor":
        return 302  # off to sign in
    if role == "stranger" and status not in PUBLIC_STATUSES:
        return 404  # unpublished proposals do not exist for others
    permitted = role == "staff" if rule.who is Who.STAFF else role == "author"
    if not permitted:
        return 403
    return 303 if status in rule.sources else 422


@pytest.mark.parametrize("action", [a for a in Action if a not in PROJECT_STEPS])
@pytest.mark.parametrize("status", list(Status))
def test_transition_through_the_page(client, make_user, make_proposal, status, action):
    author, stranger, staff = make_user(), make_user(), make_user(role="staff")
    target = make_proposal(title="The proposal to merge into")
    people = {"stranger": stranger, "author": author, "staff": staff}
    for role in ROLES:
        proposal = make_proposal(author=author, status=status)
        before = db.session.query(ProposalEvent).filter_by(proposal_id=proposal.id).count()
        if role != "visitor":
            client.post("/auth/login", data={"email": people[role].email, "password": PASSWORD})
        response = client.post(f"/proposals/{proposal.id}/status", data={
            "action": action.value, "note": "Because we checked.", "target": str(target.id)})
        client.post("/auth/logout")
        code = expected(role, status, action)
        assert response.status_code == code, (role, status, action)
        stored = db.session.get(Proposal, proposal.id)
        events = db.session.query(ProposalEvent).filter_by(proposal_id=proposal.id).count()
        if code == 303 and action is Action.WITHDRAW:  # the author says why on its own form
            assert response.location.endswith(f"/proposals/{proposal.id}/withdraw")
            assert stored.status == status.value and events == before
        elif code == 303:
            assert stored.status == RULES[action].target.value and events == before + 1
        else:
            assert stored.status == status.value and events == before
        if code == 422:
            assert "cannot take the step" in response.text


@pytest.mark.parametrize("action", list(PROJECT_STEPS))
def test_project_steps_are_not_taken_by_the_status_form(client, login, make_user, make_proposal,
                                                       action):
    proposal = make_proposal(status=RULES[action].sources[0])
    login(make_user(role="staff"))
    response = client.post(f"/proposals/{proposal.id}/status", data={"action": action.value})
    assert response.status_code == 400
    assert db.session.get(Proposal, proposal.id).status == RULES[action].sources[0].value

"""A required choice starts on an empty "Choose…" option (valid HTML, and nobody files a
proposal under a category or branch they never chose); the server refuses an empty choice with
a message beside the field, and keeps what was typed."""
import re

import pytest

from app.auth.models import User
from app.extensions import db
from app.projects.models import Project
from app.proposals.models import Proposal, Status
from tests.conftest import count

PROPOSAL = {
    "title": "Open the east reading room on Sundays",
    "problem": "On Sundays every seat in the main hall is taken by ten o'clock.",
    "suggestion": "Open the east reading room from 9 to 17 on Sundays, staffed by volunteers.",
    "category_id": "",
    "branch_id": "",
}


def select(page: str, name: str) -> str:
    return re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)


def options(page: str, name: str) -> list[tuple[str, bool, str]]:
    """(value, selected, label) of each option of the select called `name`."""
    return [(re.search(r'value="([^"]*)"', attrs).group(1), " selected" in attrs, label)
            for attrs, label in re.findall(r"<option([^>]*)>(.*?)</option>", select(page, name))]


@pytest.mark.parametrize("role", ["patron", "staff"])
def test_the_new_proposal_form_chooses_no_category_or_branch_for_the_patron(
        client, login, make_user, role):
    login(make_user(role=role))
    page = client.get("/proposals/new").text
    for name in ("category_id", "branch_id"):
        first, *rest = options(page, name)
        assert first == ("", True, "Choose…")
        assert rest and not any(selected for _value, selected, _label in rest)
        assert re.search(rf'<select[^>]*name="{name}"[^>]*required', page)


@pytest.mark.parametrize("lang, messages", [
    ("en", ("Choose a category.", "Choose a library branch.")),
    ("zh_Hans", ("请选择类别。", "请选择分馆。")),
])
def test_a_proposal_without_a_category_or_branch_is_refused_beside_each_field(
        client, login, make_user, lang, messages):
    login(make_user())
    client.set_cookie("lang", lang)
    response = client.post("/proposals/new", data=PROPOSAL)
    assert response.status_code == 422
    for name, message in zip(("category_id", "branch_id"), messages, strict=True):
        error = re.search(rf'<p class="error" id="{name}-error">(.*?)</p>', response.text)
        assert error and error.group(1) == message
        assert re.search(rf'<select[^>]*aria-invalid="true"[^>]*name="{name}"', response.text)
    assert "east reading room from 9 to 17" in response.text  # what was typed comes back
    assert count(Proposal) == 0


def test_a_choice_made_is_kept_when_another_field_is_refused(client, login, make_user):
    login(make_user())
    response = client.post("/proposals/new", data=PROPOSAL | {"category_id": "2",
                                                               "branch_id": "", "title": "x"})
    assert response.status_code == 422
    assert ("2", True) in [(value, selected) for value, selected, _ in
                           options(response.text, "category_id")]
    assert options(response.text, "branch_id")[0][:2] == ("", True)


def test_a_chosen_category_and_branch_file_the_proposal(client, login, make_user):
    login(make_user())
    response = client.post("/proposals/new", data=PROPOSAL | {"category_id": "2",
                                                               "branch_id": "3"})
    assert response.status_code == 303
    proposal = db.session.query(Proposal).one()
    assert (proposal.category_id, proposal.branch_id) == (2, 3)


def test_editing_shows_the_proposals_own_category_and_branch(client, login, make_user,
                                                             make_proposal):
    proposal = make_proposal(category_id=2, branch_id=3)
    login(make_user(role="staff"))
    page = client.get(f"/proposals/{proposal.id}/edit").text
    assert [v for v, selected, _ in options(page, "category_id") if selected] == ["2"]
    assert [v for v, selected, _ in options(page, "branch_id") if selected] == ["3"]
    refused = client.post(f"/proposals/{proposal.id}/edit",
                          data=PROPOSAL | {"category_id": "", "branch_id": "3"})
    assert refused.status_code == 422 and "Choose a category." in refused.text


def test_registering_asks_which_kind_of_patron_and_refuses_no_answer(client):
    page = client.get("/auth/register").text
    assert options(page, "patron_type")[0] == ("", True, "Choose…")
    response = client.post("/auth/register", data={
        "email": "nadia@example.edu", "display_name": "Nadia Reader", "patron_type": "",
        "password": "a new and long enough password"})
    assert response.status_code == 422
    assert '<p class="error" id="patron_type-error">Choose which of these you are.</p>' \
        in response.text
    assert "Nadia Reader" in response.text and count(User) == 0


def test_starting_a_project_without_a_lead_is_refused(client, login, make_user, make_proposal):
    staff = make_user(role="staff")
    proposal = make_proposal(status=Status.ACCEPTED)
    login(staff)
    page = client.get(f"/proposals/{proposal.id}/project").text
    first, *rest = options(page, "lead_id")
    assert first == ("", False, "Choose…")  # the one starting it leads, unless changed
    assert [v for v, selected, _ in rest if selected] == [str(staff.id)]
    response = client.post(f"/proposals/{proposal.id}/project", data={
        "goal": "Open the east room on Sundays.", "volunteer_tasks": "Welcome readers.",
        "places": "5", "starts_on": "2026-12-01", "lead_id": ""})
    assert response.status_code == 422
    assert '<p class="error" id="lead_id-error">Choose a staff lead.</p>' in response.text
    assert "Open the east room on Sundays." in response.text and count(Project) == 0


def test_a_choice_not_in_the_list_is_still_refused(client, login, make_user):
    login(make_user())
    response = client.post("/proposals/new", data=PROPOSAL | {"category_id": "999",
                                                               "branch_id": "x"})
    assert response.status_code == 422
    assert response.text.count("Not a valid choice.") == 2 and count(Proposal) == 0

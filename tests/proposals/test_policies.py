"""Who may do what with proposals and their comments (app/proposals/policies.py)."""
import pytest

from app.proposals import policies
from app.proposals.models import Status
from tests.policy_people import allowed, comment, person, proposal


@pytest.mark.parametrize("role, expected", allowed("patron author staff admin"))
def test_published_proposals_are_discussed_by_anyone_signed_in(role, expected):
    assert policies.can_comment(person(role), proposal()) is expected
    assert not policies.can_comment(person(role), proposal(Status.SUBMITTED))


@pytest.mark.parametrize("role, expected", allowed("author staff admin"))
def test_a_hidden_comment_is_read_by_its_author_and_staff(role, expected):
    assert policies.can_read(person(role), comment(hidden=True)) is expected
    assert policies.can_read(person(role), comment())


@pytest.mark.parametrize("role, expected", allowed("author staff admin"))
def test_unpublished_proposals_are_seen_by_their_author_and_staff(role, expected):
    assert policies.can_view(person(role), proposal(Status.SUBMITTED)) is expected
    assert policies.can_view(person(role), proposal())


@pytest.mark.parametrize("status, expected", [(Status.SUBMITTED, True),
                                              (Status.CHANGES_REQUESTED, True),
                                              (Status.OPEN, False)])
def test_the_author_edits_until_staff_publish(status, expected):
    assert policies.can_edit(person("author"), proposal(status)) is expected
    assert not policies.can_edit(person("patron"), proposal(status))
    assert policies.can_edit(person("staff"), proposal(status))


@pytest.mark.parametrize("role, expected", allowed("staff admin"))
@pytest.mark.parametrize("can", [policies.can_enter_for_patron, policies.can_mark_official])
def test_desk_entries_and_official_responses_are_staffs(role, expected, can):
    assert can(person(role)) is expected

"""Who may decide on proposals and comments (app/moderation/policies.py), role by role."""
import pytest

from app.moderation import policies
from app.proposals.lifecycle import Action
from app.proposals.models import Status
from tests.policy_people import allowed, comment, person, proposal

STAFF = allowed("staff admin")


@pytest.mark.parametrize("role, expected", STAFF)
@pytest.mark.parametrize("can", [policies.can_moderate, policies.can_classify,
                                 policies.can_assess, policies.can_hide])
def test_the_queue_flags_and_classification_are_staffs(role, expected, can):
    assert can(person(role)) is expected


@pytest.mark.parametrize("role, expected", STAFF)
@pytest.mark.parametrize("action", [Action.PUBLISH, Action.REJECT, Action.MERGE, Action.ACCEPT])
def test_staff_take_the_staff_steps(role, expected, action):
    assert policies.can_take(person(role), proposal(), action) is expected


@pytest.mark.parametrize("role, expected", allowed("author"))
@pytest.mark.parametrize("action", [Action.WITHDRAW, Action.RESUBMIT])
def test_only_the_author_takes_the_authors_steps(role, expected, action):
    assert policies.can_take(person(role), proposal(), action) is expected


@pytest.mark.parametrize("status, expected", [
    (Status.SUBMITTED, True), (Status.OPEN, True), (Status.UNDER_REVIEW, True),
    (Status.ACCEPTED, False), (Status.DECLINED, False), (Status.MERGED, False)])
def test_the_queue_offers_classification_while_a_proposal_is_sorted(status, expected):
    assert policies.can_triage(person("staff"), proposal(status)) is expected
    assert not policies.can_triage(person("patron"), proposal(status))
    assert policies.can_classify(person("staff"), proposal(status))  # from its page, always


@pytest.mark.parametrize("status, expected", [(Status.UNDER_REVIEW, True), (Status.OPEN, False),
                                              (Status.ACCEPTED, False)])
def test_a_feasibility_note_is_written_under_review(status, expected):
    assert policies.can_assess(person("staff"), proposal(status)) is expected
    assert not policies.can_assess(person("patron"), proposal(Status.UNDER_REVIEW))


@pytest.mark.parametrize("role, expected", allowed("patron staff admin"))
def test_anyone_signed_in_flags_what_others_wrote(role, expected):
    assert policies.can_flag(person(role), proposal()) is expected
    assert policies.can_flag(person(role), comment()) is expected


@pytest.mark.parametrize("role", ["patron", "staff"])
def test_what_the_public_cannot_see_is_not_flagged(role):
    assert not policies.can_flag(person(role), proposal(Status.SUBMITTED))
    assert not policies.can_flag(person(role), proposal(hidden=True))
    assert not policies.can_flag(person(role), comment(hidden=True))

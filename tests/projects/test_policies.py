"""Who may do what with projects (app/projects/policies.py), role by role."""
import pytest

from app.projects import policies
from app.proposals.models import Status
from tests.policy_people import allowed, person, project, proposal

STAFF = allowed("staff admin")


@pytest.mark.parametrize("role, expected", STAFF)
@pytest.mark.parametrize("can", [policies.can_start, policies.can_report_progress,
                                 policies.can_complete, policies.can_see_volunteers,
                                 policies.can_record_hours])
def test_staff_run_projects(role, expected, can):
    assert can(person(role)) is expected


@pytest.mark.parametrize("role, expected", STAFF)
def test_an_accepted_proposal_becomes_a_project(role, expected):
    assert policies.can_start(person(role), proposal(Status.ACCEPTED)) is expected
    for status in (Status.UNDER_REVIEW, Status.IN_PROGRESS, Status.COMPLETED):
        assert not policies.can_start(person(role), proposal(status))


@pytest.mark.parametrize("role, expected", STAFF)
def test_progress_is_reported_until_the_project_is_complete(role, expected):
    assert policies.can_report_progress(person(role), project()) is expected
    assert not policies.can_report_progress(person(role), project(completed=True))
    assert policies.can_complete(person(role), project()) is expected

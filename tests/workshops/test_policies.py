"""Who may do what with workshops (app/workshops/policies.py), role by role."""
from datetime import datetime

import pytest

from app.workshops import policies
from app.workshops.models import Workshop
from tests.policy_people import allowed, person

STAFF = allowed("staff admin")


@pytest.mark.parametrize("role, expected", STAFF)
@pytest.mark.parametrize("can", [policies.can_schedule, policies.can_edit,
                                 policies.can_take_attendance, policies.can_publish_minutes,
                                 policies.can_see_registrations])
def test_staff_run_workshops(role, expected, can):
    assert can(person(role)) is expected


@pytest.mark.parametrize("role, expected", STAFF)
def test_a_cancelled_workshop_is_not_edited_or_run(role, expected):
    live, cancelled = Workshop(id=1), Workshop(id=2, cancelled_at=datetime(2026, 1, 1))
    assert policies.can_edit(person(role), live) is expected
    assert policies.can_take_attendance(person(role), live) is expected
    assert not policies.can_edit(person(role), cancelled)
    assert not policies.can_take_attendance(person(role), cancelled)

"""Who may read the dashboard (app/insight/policies.py)."""
import pytest

from app.insight import policies
from tests.policy_people import allowed, person


@pytest.mark.parametrize("role, expected", allowed("staff admin"))
def test_the_dashboard_is_for_staff(role, expected):
    assert policies.can_view_dashboard(person(role)) is expected

"""Who may do what with accounts and settings (app/admin/policies.py), role by role."""
import pytest

from app.admin import policies
from app.auth.models import User
from app.auth.policies import is_admin, is_signed_in, is_staff
from app.exports.policies import can_export
from tests.policy_people import allowed, person


@pytest.mark.parametrize("role, expected", allowed("staff admin"))
@pytest.mark.parametrize("can", [policies.can_manage_accounts, policies.can_suspend,
                                 policies.can_lift_suspension, can_export, is_staff])
def test_staff_look_after_accounts(role, expected, can):
    assert can(person(role)) is expected


@pytest.mark.parametrize("role, expected", allowed("admin"))
@pytest.mark.parametrize("can", [policies.can_configure, policies.can_change_role, is_admin])
def test_system_owners_change_roles_and_settings(role, expected, can):
    assert can(person(role)) is expected


@pytest.mark.parametrize("role, expected", allowed("patron author staff admin"))
def test_signed_in(role, expected):
    assert is_signed_in(person(role)) is expected


@pytest.mark.parametrize("by, account, expected", [
    ("staff", "patron", True), ("staff", "staff", False), ("staff", "admin", False),
    ("admin", "patron", True), ("admin", "staff", True), ("admin", "admin", True),
    ("patron", "patron", False), ("visitor", "patron", False)])
def test_only_a_system_owner_suspends_staff(by, account, expected):
    other = User(id=99, role=account)
    assert policies.can_suspend(person(by), other) is expected


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_nobody_suspends_themselves_or_changes_their_own_role(role):
    me = person(role)
    assert not policies.can_suspend(me, me) and not policies.can_change_role(me, me)


@pytest.mark.parametrize("role, expected", allowed("admin"))
def test_a_role_is_changed_by_a_system_owner(role, expected):
    assert policies.can_change_role(person(role), User(id=99, role="staff")) is expected

import pytest

from app.auth import services
from app.auth.models import User
from app.auth.passwords import verify_password
from app.domain import Refused
from app.extensions import db
from tests.conftest import PASSWORD, count


def register(**changes) -> User:
    values = {"email": "reader@example.edu", "display_name": "Rae Reader", "password": PASSWORD}
    return services.register(**(values | changes))


def test_register_normalises_what_people_type(app):
    user = register(email="  Rae.Reader@Example.EDU ", display_name="  Rae Reader  ")
    db.session.commit()

    assert (user.email, user.display_name) == ("rae.reader@example.edu", "Rae Reader")
    assert (user.role, user.patron_type) == ("patron", "other")
    assert verify_password(user.password_hash, PASSWORD)
    assert services.find_by_email("RAE.READER@example.edu ") == user


@pytest.mark.parametrize("password, message", [
    ("x" * 9, "Use at least 10 characters."),
    ("x" * 257, "Use at most 256 characters."),
])
def test_register_refuses_a_password_outside_the_rules(app, password, message):
    with pytest.raises(Refused, match=message) as refusal:
        register(password=password)
    assert refusal.value.field == "password"
    assert count(User) == 0


@pytest.mark.parametrize("length", [10, 256])
def test_register_accepts_a_password_at_the_limits(app, length):
    user = register(password="x" * length)
    assert verify_password(user.password_hash, "x" * length)


def test_register_refuses_a_taken_email_in_any_case(app, make_user):
    make_user(email="reader@example.edu")
    with pytest.raises(Refused, match="already exists") as refusal:
        register(email="Reader@EXAMPLE.edu")
    assert refusal.value.field == "email"


@pytest.mark.parametrize("field, value", [("role", "superuser"), ("patron_type", "wizard")])
def test_register_refuses_unknown_kinds(app, field, value):
    with pytest.raises(ValueError):
        register(**{field: value})


@pytest.mark.parametrize("email, password, found", [
    ("reader@example.edu", PASSWORD, True),
    (" READER@example.edu", PASSWORD, True),
    ("reader@example.edu", PASSWORD.upper(), False),
    ("reader@example.edu", "", False),
    ("someone@example.edu", PASSWORD, False),
])
def test_authenticate(app, make_user, email, password, found):
    user = make_user(email="reader@example.edu")
    assert services.authenticate(email, password) == (user if found else None)


def test_ending_sessions_changes_the_session_id(app, make_user):
    user = make_user()
    before = user.get_id()
    services.end_other_sessions(user)

    assert user.get_id() != before
    assert user.get_id().startswith(f"{user.id}:")


def test_a_role_change_takes_effect_and_ends_sessions(app, make_user):
    user = make_user()
    before = user.get_id()
    services.set_role(user, "staff")

    assert user.is_staff and user.get_id() != before
    with pytest.raises(ValueError):
        services.set_role(user, "superuser")

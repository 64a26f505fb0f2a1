import pytest

from app.auth.models import User
from app.extensions import db
from tests.conftest import count

GOOD_PASSWORD = "a long enough password"


@pytest.fixture
def create_user(app):
    runner = app.test_cli_runner()

    def run(*args, input=f"{GOOD_PASSWORD}\n"):
        return runner.invoke(args=["create-user", *args], input=input)
    return run


def only_user() -> User:
    return db.session.query(User).one()


def test_creates_a_staff_account_from_stdin(create_user):
    result = create_user("Staff@Example.edu", "--role", "staff", "--password-stdin")

    assert result.exit_code == 0, result.output
    assert "Created staff staff@example.edu" in result.output
    user = only_user()
    assert (user.email, user.role, user.display_name) == ("staff@example.edu", "staff", "Staff")
    assert user.is_staff and not user.is_admin


def test_the_created_account_can_sign_in(create_user, client):
    assert create_user("desk@example.edu", "--password-stdin").exit_code == 0
    response = client.post("/auth/login",
                           data={"email": "desk@example.edu", "password": GOOD_PASSWORD})
    assert response.status_code == 303


def test_prompts_twice_for_the_password(create_user):
    result = create_user("admin@example.edu", "--role", "admin", "--name", "Ada Admin",
                         input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")

    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output  # hidden input
    user = only_user()
    assert (user.role, user.display_name) == ("admin", "Ada Admin")


def test_a_mismatched_confirmation_creates_nothing(create_user):
    result = create_user("admin@example.edu", input=f"{GOOD_PASSWORD}\nsomething else entirely\n")
    assert result.exit_code != 0
    assert "do not match" in result.output
    assert count(User) == 0


@pytest.mark.parametrize("password", ["too short", ""])
def test_a_too_short_password_is_refused_clearly(create_user, password):
    result = create_user("staff@example.edu", "--password-stdin", input=f"{password}\n")

    assert result.exit_code == 1
    assert "Error: Use at least 10 characters." in result.output
    assert count(User) == 0


def test_an_email_already_used_is_refused(create_user, make_user):
    make_user(email="staff@example.edu")
    result = create_user("STAFF@example.edu", "--role", "staff", "--password-stdin")

    assert result.exit_code == 1
    assert "already exists" in result.output
    assert count(User) == 1 and only_user().role == "patron"


@pytest.mark.parametrize("option, value", [("--role", "superuser"), ("--patron-type", "wizard")])
def test_an_unknown_choice_is_refused(create_user, option, value):
    result = create_user("staff@example.edu", option, value, "--password-stdin")

    assert result.exit_code == 2
    assert f"Invalid value for '{option}'" in result.output
    assert count(User) == 0


def test_create_user_refuses_a_malformed_email(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "not-an-email", "--password-stdin"], input="a long enough password\n")
    assert result.exit_code != 0 and "valid e-mail" in result.output

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from argon2 import PasswordHasher, Type

from app.auth import passwords, services
from app.auth.models import User
from app.extensions import db
from app.proposals.models import Support
from tests.auth.pages import Page
from tests.conftest import PASSWORD, count

NEW_PASSWORD = "a new and long enough password"


def registration(**changes) -> dict:
    return {"email": "new.patron@example.edu", "display_name": "Nadia Reader",
            "patron_type": "postgraduate", "password": NEW_PASSWORD} | changes


def is_signed_in(client, name: str | None = None) -> bool:
    """What the page header shows: the display name and a sign-out button, or a sign-in link."""
    page = client.get("/proposals").text
    signed_in = ">Sign out<" in page
    assert signed_in != (">Sign in<" in page)
    if signed_in and name is not None:
        assert name in page
    return signed_in


def login_redirect_target(response) -> str | None:
    """The `next` of a redirect to the sign-in page."""
    assert response.status_code in (302, 303)
    location = urlsplit(response.location)
    assert location.path == "/auth/login"
    return parse_qs(location.query).get("next", [None])[0]


# --- Registration --------------------------------------------------------------------------

def test_registration_creates_the_account_and_signs_in(client):
    response = client.post("/auth/register", data=registration(email="New.Patron@Example.EDU"))

    assert response.status_code == 303
    assert response.location == "/proposals"
    assert is_signed_in(client, "Nadia Reader")
    user = db.session.query(User).one()
    assert user.email == "new.patron@example.edu"
    assert user.patron_type == "postgraduate" and user.role == "patron"
    assert user.password_hash.startswith("$argon2id$")
    assert NEW_PASSWORD not in user.password_hash
    assert passwords.verify_password(user.password_hash, NEW_PASSWORD)


def test_registration_follows_a_safe_next(client):
    response = client.post("/auth/register?next=/proposals/new", data=registration())
    assert response.status_code == 303
    assert response.location == "/proposals/new"


@pytest.mark.parametrize("changes, field, message", [
    ({"password": "too short"}, "password", "Use at least 10 characters."),
    ({"password": "x" * 257}, "password", "Use at most 256 characters."),
    ({"email": "not-an-email"}, "email", "Invalid email address."),
    ({"patron_type": "wizard"}, "patron_type", "Not a valid choice."),
    ({"email": ""}, "email", "This field is required."),
    ({"display_name": ""}, "display_name", "This field is required."),
    ({"password": ""}, "password", "This field is required."),
    ({"display_name": "N"}, "display_name", "between 2 and 80 characters"),
], ids=["short-password", "long-password", "bad-email", "bad-patron-type", "no-email",
        "no-name", "no-password", "short-name"])
def test_registration_refuses_invalid_input_next_to_the_field(client, changes, field, message):
    data = registration(**changes)
    response = client.post("/auth/register", data=data)

    assert response.status_code == 422
    page = Page(response.text)
    error = page.error_for(field)
    assert error is not None and message in error.text
    assert error.tag == "p" and error.get("id") == f"{field}-error"
    assert page.control(field).get("aria-invalid") == "true"
    assert page.control("email").get("value") == data["email"]
    assert page.control("display_name").get("value") == data["display_name"]
    if data["password"]:
        assert data["password"] not in response.text
    assert count(User) == 0
    assert not is_signed_in(client)


def test_registration_with_nothing_filled_in_marks_every_field(client):
    response = client.post("/auth/register", data={})
    assert response.status_code == 422
    page = Page(response.text)
    for name in ("email", "display_name", "patron_type", "password"):
        assert page.error_for(name) is not None, name


@pytest.mark.parametrize("existing, typed", [
    ("alice@example.edu", "Alice@Example.edu"),
    ("Alice@Example.edu", "alice@example.edu"),
])
def test_registration_refuses_an_email_already_used_in_any_case(client, make_user, existing,
                                                                typed):
    make_user(email=existing)
    response = client.post("/auth/register", data=registration(email=typed))

    assert response.status_code == 422
    page = Page(response.text)
    assert "already exists" in page.error_for("email").text
    assert page.control("email").get("value") == typed
    assert NEW_PASSWORD not in response.text
    assert count(User) == 1
    assert not is_signed_in(client)


@pytest.mark.parametrize("method, url, data", [
    ("get", "/auth/login", None),
    ("get", "/auth/register", None),
    ("post", "/auth/register", registration(password="short")),
])
def test_fields_without_an_error_are_not_announced_as_invalid(client, method, url, data):
    page = Page(getattr(client, method)(url, data=data).text)
    for control in page.controls():
        name = control.get("name")
        if name == "password" and data:
            continue  # the field that really has an error
        assert control.get("aria-invalid") in (None, "false"), name
        for ref in (control.get("aria-describedby") or "").split():
            assert page.by_id(ref) is not None, f"{name} is described by missing #{ref}"


# --- Sign-in -------------------------------------------------------------------------------

@pytest.mark.parametrize("remember", [True, False])
def test_sign_in_sets_a_remember_cookie_only_when_asked(client, make_user, remember):
    user = make_user(name="Rita Remembered")
    data = {"email": user.email, "password": PASSWORD} | ({"remember": "y"} if remember else {})
    response = client.post("/auth/login", data=data)

    assert response.status_code == 303
    assert response.location == "/proposals"
    assert (client.get_cookie("remember_token") is not None) is remember
    assert is_signed_in(client, "Rita Remembered")


def test_sign_in_ignores_the_case_of_the_email(client, make_user):
    make_user(email="carol@example.edu", name="Carol Case")
    response = client.post("/auth/login",
                           data={"email": "CAROL@Example.EDU", "password": PASSWORD})
    assert response.status_code == 303
    assert is_signed_in(client, "Carol Case")


@pytest.mark.parametrize("email, password", [
    ("dan@example.edu", "not the right password"),
    ("nobody@example.edu", PASSWORD),
], ids=["wrong-password", "unknown-email"])
def test_sign_in_refusal_says_why_and_signs_nobody_in(client, make_user, email, password):
    make_user(email="dan@example.edu")
    response = client.post("/auth/login", data={"email": email, "password": password})

    assert response.status_code == 422
    page = Page(response.text)
    assert "do not match" in page.error_for("password").text
    assert page.control("email").get("value") == email
    assert password not in response.text
    assert client.get_cookie("remember_token") is None
    assert not is_signed_in(client)


@pytest.mark.parametrize("target", ["/proposals/1", "/proposals?sort=new&page=2"])
def test_sign_in_follows_a_path_on_this_site(client, make_user, target):
    user = make_user()
    response = client.post("/auth/login",
                           data={"email": user.email, "password": PASSWORD, "next": target})
    assert response.status_code == 303
    assert response.location == target


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example", "///evil.example", "/\\evil.example",
    "\\\\evil.example", "javascript:alert(1)", "/\t/evil.example", "evil.example", "",
])
def test_sign_in_never_redirects_off_site(client, make_user, target):
    user = make_user()
    response = client.post("/auth/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    assert response.location == "/proposals"


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_page_they_wanted(client, make_user):
    user = make_user()
    target = login_redirect_target(client.get("/proposals/new"))
    assert target == "/proposals/new"

    form = Page(client.get("/auth/login", query_string={"next": target}).text)
    assert form.control("next").get("value") == "/proposals/new"
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                "next": form.control("next").get("value")})
    assert response.location == "/proposals/new"
    assert client.get(response.location).status_code == 200


def test_a_visitor_cannot_support_and_nothing_is_written(client, make_proposal):
    proposal = make_proposal()
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"})

    login_redirect_target(response)
    assert count(Support) == 0
    db.session.refresh(proposal)
    assert proposal.support_count == 0


def test_after_a_refused_support_click_signing_in_lands_on_a_working_page(client, make_user,
                                                                         make_proposal):
    proposal, user = make_proposal(), make_user()
    page = f"http://localhost/proposals/{proposal.id}"  # a stale page, signed out meanwhile
    target = login_redirect_target(
        client.post(f"/proposals/{proposal.id}/support", headers={"Referer": page}))
    response = client.post("/auth/login", query_string={"next": target} if target else None,
                           data={"email": user.email, "password": PASSWORD})
    assert client.get(response.location).status_code == 200


# --- Sign-out and sessions -----------------------------------------------------------------

def test_sign_out_does_not_answer_get(client, make_user, login):
    login(make_user())
    assert client.get("/auth/logout").status_code == 405
    assert is_signed_in(client)


def test_sign_out_ends_the_session(client, make_user, login):
    login(make_user())
    response = client.post("/auth/logout")

    assert response.status_code == 303
    assert not is_signed_in(client)
    assert login_redirect_target(client.get("/proposals/new")) == "/proposals/new"


def test_a_copy_of_the_session_cookie_stops_working_after_sign_out(app, client, make_user,
                                                                  login):
    login(make_user(name="Shared Terminal"))
    copy = app.test_client()  # someone who copied the cookie before the patron signed out
    copy.set_cookie("session", client.get_cookie("session").value)
    assert "Shared Terminal" in copy.get("/account").text

    assert client.post("/auth/logout").status_code == 303

    assert login_redirect_target(copy.get("/account")) == "/account"
    assert login_redirect_target(copy.get("/account/export")) == "/account/export"


def test_sign_out_everywhere_ends_the_sessions_of_other_browsers(app, client, make_user, login):
    user = make_user(name="Many Devices")
    login(user)
    phone = app.test_client()
    phone.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert is_signed_in(phone, "Many Devices")

    response = client.post("/auth/sign-out-everywhere")

    assert response.status_code == 303 and response.location == "/auth/login"
    assert not is_signed_in(client)
    assert not is_signed_in(phone)  # its remember-me cookie is void too
    assert login_redirect_target(phone.get("/account")) == "/account"
    assert client.post("/auth/login", data={"email": user.email,
                                            "password": PASSWORD}).status_code == 303


def test_sign_out_everywhere_is_a_post_for_the_signed_in(client, make_user, login):
    assert login_redirect_target(client.post("/auth/sign-out-everywhere")) is not None
    login(make_user())
    assert client.get("/auth/sign-out-everywhere").status_code == 405
    page = client.get("/account").text
    assert 'action="/auth/sign-out-everywhere"' in page and 'name="csrf_token"' in page
    assert is_signed_in(client)


def test_sign_out_everywhere_needs_the_pages_csrf_token(app, client, make_user, login):
    login(make_user())
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/auth/sign-out-everywhere").status_code == 400
        assert is_signed_in(client)
        form = re.search(r'action="/auth/sign-out-everywhere">\s*<input type="hidden" '
                         r'name="csrf_token" value="([^"]+)"', client.get("/account").text)
        response = client.post("/auth/sign-out-everywhere", data={"csrf_token": form.group(1)})
        assert response.status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert not is_signed_in(client)


def test_sign_out_also_ends_a_remembered_sign_in(client, make_user):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    client.post("/auth/logout")

    assert not is_signed_in(client)


def test_ending_other_sessions_signs_out_a_signed_in_browser(client, make_user, login):
    user = make_user(name="Olga Other")
    login(user)
    assert is_signed_in(client, "Olga Other")

    services.end_other_sessions(user)
    db.session.commit()

    assert not is_signed_in(client)
    assert login_redirect_target(client.get("/proposals/new")) == "/proposals/new"


def test_ending_other_sessions_voids_the_remember_cookie(client, make_user):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    client.delete_cookie("session")  # the browser was closed: only the remember cookie is left
    assert is_signed_in(client)  # the cookie works ...

    client.delete_cookie("session")
    services.end_other_sessions(user)
    db.session.commit()
    assert client.get_cookie("remember_token") is not None
    assert not is_signed_in(client)  # ... until the nonce changes


# --- Password re-hashing -------------------------------------------------------------------

OLDER_HASHERS = {
    "less-memory": PasswordHasher(time_cost=1, memory_cost=256, parallelism=1),
    "argon2i": PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.I),
}


@pytest.mark.parametrize("made_with", [*OLDER_HASHERS, "current"])
def test_sign_in_upgrades_a_password_hash_made_with_older_parameters(client, make_user, login,
                                                                    made_with):
    user = make_user()
    old_hash = user.password_hash = OLDER_HASHERS.get(made_with, passwords._hasher).hash(PASSWORD)
    db.session.commit()

    login(user)

    db.session.refresh(user)
    assert (user.password_hash != old_hash) is (made_with != "current")
    assert not passwords.needs_rehash(user.password_hash)
    assert passwords.verify_password(user.password_hash, PASSWORD)

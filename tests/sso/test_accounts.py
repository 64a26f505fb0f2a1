"""What campus sign-in changes around accounts: password sign-up switched off, closing, the data
export, the administrators' list."""
import json

import pytest

from app.auth.models import User
from app.extensions import db
from app.sso.models import ExternalIdentity
from tests.conftest import count


@pytest.mark.parametrize("setting, register", [("open", 200), ("existing", 404), ("off", 404)])
def test_password_sign_up_follows_local_accounts(client, app, monkeypatch, setting, register):
    monkeypatch.setitem(app.config, "LOCAL_ACCOUNTS", setting)
    assert client.get("/auth/register").status_code == register
    posted = client.post("/auth/register", data={
        "email": "new@example.edu", "display_name": "New Patron", "patron_type": "faculty",
        "password": "a long enough password"})
    assert posted.status_code == (303 if setting == "open" else 404)
    assert ("Create an account" in client.get("/auth/login").text) == (setting == "open")


def test_with_local_accounts_off_the_sign_in_page_shows_only_the_campus_buttons(
        client, app, monkeypatch, oidc_on):
    monkeypatch.setitem(app.config, "LOCAL_ACCOUNTS", "off")
    page = client.get("/auth/login?next=/projects").text
    assert 'href="/auth/sso/oidc?next=/projects"' in page and "University sign-in" in page
    assert 'name="password"' not in page and "/auth/register" not in page
    assert "统一身份认证" in client.get("/auth/login?lang=zh-Hans").text


def test_with_local_accounts_off_accounts_made_by_the_library_still_sign_in(
        client, app, monkeypatch, oidc_on, make_user, login):
    """Desk intake, imports and `flask create-user` make password accounts; they keep working."""
    monkeypatch.setitem(app.config, "LOCAL_ACCOUNTS", "off")
    login(make_user(role="admin"))
    assert client.get("/admin/users").status_code == 200


def test_existing_password_sign_in_page_offers_both(client, app, monkeypatch, oidc_on):
    monkeypatch.setitem(app.config, "LOCAL_ACCOUNTS", "existing")
    page = client.get("/auth/login").text
    assert "/auth/sso/oidc" in page and 'name="password"' in page


def test_an_unknown_local_accounts_setting_is_refused_at_start():
    from app import create_app
    with pytest.raises(RuntimeError, match="LOCAL_ACCOUNTS"):
        create_app({"ENV_NAME": "testing", "LOCAL_ACCOUNTS": "sometimes"})


def test_the_export_lists_the_linked_provider_and_no_token(sign_in_with_oidc, client):
    sign_in_with_oidc("lihua")
    exported = client.get("/account/export")
    data = json.loads(exported.text)
    assert [(row["provider"], row["subject"]) for row in data["signs_in_with"]] == [
        ("oidc", "lihua")]
    assert data["has_password"] is False
    assert "token" not in exported.text.lower() and "eyJ" not in exported.text


def test_closing_a_campus_account_removes_the_link_and_a_new_sign_in_starts_afresh(
        sign_in_with_oidc, client):
    sign_in_with_oidc("lihua")
    page = client.get("/account/close").text
    assert 'name="password"' not in page  # nothing to prove: it has no password
    closed = client.post("/account/close", data={"understood": "y"})
    assert closed.status_code == 303
    assert count(ExternalIdentity) == 0
    old = db.session.scalar(db.select(User))
    assert old.deleted_at is not None and old.display_name == ""
    sign_in_with_oidc("lihua")
    assert count(User) == 2 and db.session.scalar(db.select(ExternalIdentity.user_id)) != old.id


def test_closing_a_password_account_still_asks_for_the_password(client, make_user, login):
    login(make_user())
    refused = client.post("/account/close", data={"understood": "y", "password": "wrong one!"})
    assert refused.status_code == 422


def test_administrators_see_how_each_account_signs_in(sign_in_with_oidc, client, make_user,
                                                     login):
    sign_in_with_oidc("lihua")
    client.post("/auth/logout")
    login(make_user(role="admin", name="Admin Zhou"))
    page = client.get("/admin/users").text
    assert "Signs in with" in page
    rows = {row.split("</th>")[0].rsplit(">", 1)[-1]: row for row in page.split('<th scope="row">')[1:]}
    assert "OpenID Connect" in rows["Li Hua"] and "password" not in rows["Li Hua"].split(
        "<td>")[-2]
    assert "password" in rows["Admin Zhou"]


def test_the_content_security_policy_is_the_same_with_campus_sign_in(client, app, monkeypatch):
    before = client.get("/auth/login").headers["Content-Security-Policy"]
    monkeypatch.setitem(app.config, "CAS_SERVER_URL", "https://cas.univ.example/cas")
    page = client.get("/auth/login")
    assert "/auth/sso/cas" in page.text
    assert page.headers["Content-Security-Policy"] == before  # a redirect, never a frame

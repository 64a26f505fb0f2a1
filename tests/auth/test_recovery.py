import re

from app.auth import tokens
from app.auth.models import User
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def link_in_last_mail() -> str:
    body = db.session.query(OutboxMessage).order_by(OutboxMessage.id.desc()).first().body
    return re.search(r"http://\S+(/auth/\S+)", body).group(1)


def test_reset_by_email_link_works_once(client, make_user):
    user = make_user()
    response = client.post("/auth/reset", data={"email": user.email.upper()})
    assert response.status_code == 303
    link = link_in_last_mail()
    assert client.get(link).status_code == 200
    assert client.post(link, data={"password": "short"}).status_code == 422
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 303
    assert client.post("/auth/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 303
    client.post("/auth/logout")
    used = client.post(link, data={"password": "another new passphrase"})
    assert used.status_code == 303 and "/auth/reset" in used.location  # single use
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 422


def test_reset_answers_the_same_for_unknown_addresses(client, make_user):
    make_user()
    known = client.post("/auth/reset", data={"email": "nobody@example.edu"}, follow_redirects=True)
    assert "If an account uses that address" in known.text
    assert db.session.query(OutboxMessage).count() == 0


def test_tampered_or_expired_tokens_are_refused(app, client, make_user):
    user = make_user()
    token = tokens.reset_token(user)
    assert tokens.user_for_reset(token[:-2] + "xx") is None
    assert tokens.user_for_reset("garbage") is None
    assert client.get("/auth/reset/" + "x" * 5000).status_code == 303


def test_verification_gate_before_proposing(app, client, login, make_user):
    app.config["REQUIRE_EMAIL_VERIFICATION"] = True
    try:
        client.post("/auth/register", data={"email": "new@example.edu", "display_name": "New",
                                            "patron_type": "undergraduate", "password": PASSWORD})
        gate = client.get("/proposals/new")
        assert gate.status_code == 403 and "Confirm your e-mail address" in gate.text
        client.get(link_in_last_mail())
        assert client.get("/proposals/new").status_code == 200
        assert db.session.query(User).one().email_verified_at is not None
    finally:
        app.config["REQUIRE_EMAIL_VERIFICATION"] = False

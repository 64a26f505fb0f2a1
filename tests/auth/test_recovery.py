import re
from contextlib import contextmanager

from sqlalchemy import event

from app import jobs
from app.auth import tokens
from app.auth.models import User
from app.extensions import db
from app.mail.models import OutboxMessage
from app.timeutil import utcnow
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


@contextmanager
def statements_run():
    """Every SQL statement sent to the database inside the block."""
    sent = []

    def note(_connection, _cursor, statement, *_args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_a_reset_request_does_the_same_work_whether_or_not_the_account_exists(
        client, make_user, monkeypatch):
    user = make_user()
    queued = []
    monkeypatch.setattr(jobs.huey, "enqueue", queued.append)  # held back, to be looked at
    work = {}
    for address in (user.email.upper(), "nobody@example.edu"):
        with statements_run() as statements:
            response = client.post("/auth/reset", data={"email": address})
        work[address] = (response.status_code, response.location, statements)

    known, unknown = work.values()
    assert known == unknown == (303, "/auth/login", [])  # not one statement either way
    assert [(task.name, task.args) for task in queued] == [
        ("send_reset_link", (user.email,)), ("send_reset_link", ("nobody@example.edu",))]
    assert db.session.query(OutboxMessage).count() == 0
    db.session.commit()  # the worker writes from a session of its own

    for task in queued:
        jobs.huey.execute(task)  # what the worker does with them
    assert [m.to for m in db.session.query(OutboxMessage)] == [user.email]


def test_the_reset_answer_and_page_are_the_same_either_way(client, make_user):
    user = make_user()
    pages = [client.post("/auth/reset", data={"email": address}, follow_redirects=True).text
             for address in (user.email, "nobody@example.edu")]
    assert pages[0] == pages[1] and "If an account uses that address" in pages[0]
    assert db.session.query(OutboxMessage).count() == 1


def test_a_closed_account_gets_no_link(app, client, make_user):
    user = make_user()
    user.deleted_at = utcnow()
    db.session.commit()
    client.post("/auth/reset", data={"email": user.email})
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

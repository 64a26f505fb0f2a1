import json

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notification
from app.projects import services as projects
from app.projects.models import Volunteer
from app.proposals import services as proposals
from tests.conftest import PASSWORD


def test_profile_and_recognition_show_contributions(client, login, make_user, make_proposal):
    patron = make_user(name="Mei Reader")
    make_proposal(author=patron, title="Late-night quiet floor")
    login(patron)
    profile = client.get("/account").text
    assert "Late-night quiet floor" in profile and "Download my data" in profile
    assert "Mei Reader" in client.get("/account/recognition").text


def test_export_has_everything_about_me_and_nothing_secret(client, login, make_user,
                                                           make_proposal):
    patron = make_user(name="Exporter")
    proposal = make_proposal(author=patron, title="Proposal to export")
    proposals.support(make_proposal(), patron)
    db.session.commit()
    login(patron)
    response = client.get("/account/export")
    assert response.mimetype == "application/json" and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["profile"]["email"] == patron.email
    assert [p["title"] for p in data["proposals"]] == ["Proposal to export"]
    assert len(data["supports"]) == 1 and data["proposals"][0]["id"] == proposal.id
    assert "argon2" not in response.text and "password_hash" not in response.text


def test_closing_keeps_words_credited_to_a_former_patron(client, login, make_user, make_proposal,
                                                         make_project):
    patron = make_user(name="Leaving Person", email="leaving@example.edu")
    proposal = make_proposal(author=patron, title="Idea that outlives its author")
    waiting = make_user()
    project = make_project(places=1)
    projects.join(project, patron)
    projects.join(project, waiting)
    db.session.commit()
    login(patron)
    wrong = client.post("/account/close", data={"password": "nope", "understood": "y"})
    assert wrong.status_code == 422 and "not right" in wrong.text
    unconfirmed = client.post("/account/close", data={"password": PASSWORD})
    assert unconfirmed.status_code == 422
    assert client.post("/account/close", data={"password": PASSWORD, "understood": "y"}).status_code == 303
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Idea that outlives its author" in page and "former patron" in page
    assert "Leaving Person" not in page
    closed = db.session.get(User, patron.id)
    assert closed.deleted_at and "leaving@example.edu" not in closed.email
    states = {v.user_id: v.state for v in db.session.query(Volunteer)}
    assert states == {waiting.id: "member"}  # the place went to the next in line
    assert db.session.query(Notification).filter_by(user_id=patron.id, kind="status_changed").count() == 0
    again = client.post("/auth/login", data={"email": "leaving@example.edu", "password": PASSWORD})
    assert again.status_code == 422


def test_staff_cannot_close_their_own_account_here(client, login, make_user):
    staff = make_user(role="staff")
    login(staff)
    response = client.post("/account/close", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 422 and db.session.get(User, staff.id).deleted_at is None


def test_account_pages_need_sign_in(client):
    for url in ("/account", "/account/export", "/account/recognition", "/account/close"):
        assert client.get(url).status_code == 302

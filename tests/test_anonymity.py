"""Anonymous proposals never reveal their author to other patrons through any page, API
response, feed, export or notification: a proposal whose author hid their name goes the whole
way (comments, supports, an official response, a project with updates, an outcome) and every
surface is read as a visitor, as another patron and as staff.
"""
from datetime import timedelta

import pytest

from app.auth.models import User
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications.digests import send_digests
from app.projects.models import Project
from app.proposals.models import Category, Comment, Proposal, Status
from app.timeutil import utcnow

NAME, EMAIL = "Zhuge Hiddenname", "zhuge.hiddenname@example.edu"
SECRETS = (NAME, "Zhuge", "Hiddenname", EMAIL, "zhuge.hiddenname")
LABEL = "an undergraduate"
TITLE = "Quiet carrels for evening writing"


def assert_hidden(text: str, where: str) -> None:
    lowered = text.lower()
    for secret in SECRETS:
        assert secret.lower() not in lowered, (where, secret)


@pytest.fixture
def story(client, make_user, make_proposal, login):
    author = make_user(name=NAME, email=EMAIL, patron_type="undergraduate")
    other = make_user(name="Other Reader")
    weekly = make_user(name="Weekly Reader")
    staff = make_user(role="staff", name="Librarian Wang")
    other.email_frequency, weekly.email_frequency = "immediate", "weekly"
    proposal = make_proposal(author=author, title=TITLE, hide_name=True, status=Status.OPEN)
    make_proposal(title="Quiet carrels for evening reading")  # a repeated idea, for the dashboard
    db.session.commit()

    login(author)
    assert client.post(f"/proposals/{proposal.id}/comments",
                       data={"body": "I wrote this because the evenings are loud."}
                       ).status_code == 303
    client.post("/auth/logout")
    for reader in (other, weekly):
        login(reader)
        assert client.post(f"/proposals/{proposal.id}/support",
                           data={"want": "support"}).status_code == 303
        assert client.post(f"/proposals/{proposal.id}/comments",
                           data={"body": "Yes please, every evening."}).status_code == 303
        client.post("/auth/logout")

    login(staff)
    assert client.post(f"/proposals/{proposal.id}/comments",
                       data={"body": "We will look at the map room."}).status_code == 303
    official = db.session.query(Comment).filter_by(author_id=staff.id).one()
    assert client.post(f"/proposals/{proposal.id}/comments/{official.id}/official",
                       data={"official": "1"}).status_code == 303
    for action in ("review", "accept"):
        response = client.post(f"/proposals/{proposal.id}/status",
                               data={"action": action, "note": f"Decision: {action}."})
        assert response.status_code == 303, response.text[:500]
    response = client.post(f"/proposals/{proposal.id}/project", data={
        "goal": "Turn the map room into carrels.", "volunteer_tasks": "Move the map cabinets.",
        "places": "3", "starts_on": "2026-12-01", "lead_id": str(staff.id),
        "milestones": "Empty the room | 2026-12-15"})
    assert response.status_code == 303, response.text[:500]
    project = db.session.query(Project).filter_by(proposal_id=proposal.id).one()
    client.post("/auth/logout")
    login(other)
    assert client.post(f"/projects/{project.id}/join").status_code == 303
    client.post("/auth/logout")
    login(staff)
    assert client.post(f"/projects/{project.id}/updates",
                       data={"body": "The cabinets are out."}).status_code == 303
    response = client.post(f"/projects/{project.id}/complete", data={
        "summary": "Twelve quiet carrels are open every evening.",
        "indicators-0-name": "Carrels", "indicators-0-before": "0",
        "indicators-0-after": "12", "indicators-0-unit": "desks"})
    assert response.status_code == 303, response.text[:500]
    client.post("/auth/logout")
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).status == Status.COMPLETED.value
    return proposal, project, author, other, weekly, staff


def pages(proposal, project, slug):
    return [
        "/proposals", "/proposals?q=carrels", "/proposals?q=Zhuge", f"/proposals?q={EMAIL}",
        "/proposals?status=completed", f"/proposals/{proposal.id}",
        f"/proposals/similar?title={TITLE}", "/projects", f"/projects/{project.id}",
        "/outcomes", f"/outcomes?category={slug}",
    ]


def test_pages_show_the_patron_type_never_the_name(client, login, story):
    proposal, project, author, other, weekly, staff = story
    slug = db.session.get(Category, proposal.category_id).slug
    for who in (None, other, staff):
        if who:
            login(who)
        for url in pages(proposal, project, slug):
            response = client.get(url)
            assert response.status_code == 200, url
            if "q=" in url and "carrels" not in url:  # the search box repeats the query
                assert TITLE not in response.text, url  # and the name finds nothing
            else:
                assert_hidden(response.text, (who and who.display_name, url))
        assert LABEL in client.get(f"/proposals/{proposal.id}").text
        assert LABEL in client.get("/proposals").text
        if who:
            client.post("/auth/logout")


def test_notifications_and_mail_to_other_patrons(client, login, story):
    proposal, project, author, other, weekly, staff = story
    assert send_digests(utcnow() + timedelta(hours=1)) == 1  # before reading marks them read
    db.session.commit()
    for reader in (other, weekly):
        login(reader)
        response = client.get("/notifications")
        assert response.status_code == 200
        assert TITLE in response.text  # they did hear about it
        assert_hidden(response.text, ("notifications", reader.display_name))
        client.post("/auth/logout")
    sent = db.session.query(OutboxMessage).filter(OutboxMessage.to != author.email).all()
    assert {m.to for m in sent} >= {other.email, weekly.email}
    for message in sent:
        assert_hidden(message.subject + "\n" + message.body, ("mail", message.to))


def test_api_and_feeds(client, story):
    proposal, project, author, other, weekly, staff = story
    slug = db.session.get(Category, proposal.category_id).slug
    for url in ["/api/v1/proposals", f"/api/v1/proposals/{proposal.id}",
                "/api/v1/proposals?q=carrels", "/api/v1/proposals?status=completed",
                "/api/v1/outcomes", "/api/v1/projects", "/feeds/outcomes.atom",
                f"/feeds/categories/{slug}.atom"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_hidden(response.text, url)
    detail = client.get(f"/api/v1/proposals/{proposal.id}").json
    assert detail["author"] == {"display": LABEL, "anonymous": True,
                                "patron_type": "undergraduate"}
    assert LABEL in client.get(f"/feeds/categories/{slug}.atom").text


def test_staff_exports_and_dashboard(client, login, story):
    proposal, project, author, other, weekly, staff = story
    login(staff)
    index = client.get("/staff/exports")
    assert index.status_code == 200
    for name in ["proposals", "supports-per-day", "outcomes", "volunteer-hours"]:
        response = client.get(f"/staff/exports/{name}.csv")
        assert response.status_code == 200, name
        assert_hidden(response.get_data(as_text=True), name)
    rows = client.get("/staff/exports/proposals.csv").get_data(as_text=True)
    assert "undergraduate" in rows
    today = utcnow().date()
    dashboard = client.get(f"/staff/dashboard?from={today - timedelta(days=30)}&to={today}")
    assert dashboard.status_code == 200
    assert_hidden(dashboard.text, "dashboard")
    for line in dashboard.text.splitlines():
        if 'href="/staff/dashboard/' in line and '.csv' in line:
            href = line.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
            figure = client.get(href)
            assert figure.status_code == 200, href
            assert_hidden(figure.get_data(as_text=True), href)


def test_the_author_still_sees_their_own_work(client, login, story):
    """The name is hidden from others, not lost: the author's own account lists the proposal."""
    proposal, project, author, other, weekly, staff = story
    login(author)
    assert TITLE in client.get("/account").text
    assert db.session.get(User, author.id).display_name == NAME

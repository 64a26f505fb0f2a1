"""The whole loop through the pages: from a patron's idea to a rated outcome."""
from app import settings
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications.models import Notification
from app.projects.models import Project
from app.proposals.models import Proposal
from tests.conftest import PASSWORD


def as_user(client, user):
    client.post("/auth/logout")
    assert client.post("/auth/login", data={"email": user.email, "password": PASSWORD}).status_code == 303


def test_from_idea_to_rated_outcome(client, make_user):
    settings.put("response_threshold", 2)
    db.session.commit()
    author, fan, volunteer = make_user(name="Author"), make_user(), make_user()
    staff = make_user(role="staff")

    as_user(client, author)
    client.post("/proposals/new", data={
        "title": "Open the east reading room on Sundays",
        "problem": "Every seat in the main hall is taken by ten on Sundays.",
        "suggestion": "Open the east room from nine to five, with volunteers.",
        "category_id": "1", "branch_id": "1"})
    proposal = db.session.query(Proposal).one()
    as_user(client, staff)
    assert client.post(f"/proposals/{proposal.id}/status", data={"action": "publish"}).status_code == 303
    for supporter in (fan, volunteer):
        as_user(client, supporter)
        client.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
    db.session.refresh(proposal)
    assert proposal.status == "under_review" and proposal.response_due_at is not None
    as_user(client, staff)
    client.post(f"/proposals/{proposal.id}/status", data={"action": "accept", "note": "Yes, from May."})
    client.post(f"/proposals/{proposal.id}/project", data={
        "goal": "Open the east room on Sundays.", "volunteer_tasks": "Welcome readers.",
        "places": "3", "starts_on": "2026-12-01", "lead_id": str(staff.id)})
    project = db.session.query(Project).one()
    as_user(client, volunteer)
    client.post(f"/projects/{project.id}/join")
    as_user(client, staff)
    client.post(f"/projects/{project.id}/updates", data={"body": "Furniture arrives Monday."})
    client.post(f"/projects/{project.id}/complete", data={
        "summary": "The east room opens on Sundays.", "indicators-0-name": "Sunday seats",
        "indicators-0-before": "180", "indicators-0-after": "300", "indicators-0-unit": "seats"})
    db.session.refresh(proposal)
    assert proposal.status == "completed"

    for person in (author, fan, volunteer):
        kinds = {n.kind for n in db.session.query(Notification).filter_by(user_id=person.id)}
        assert "outcome" in kinds, person.display_name
        assert db.session.query(OutboxMessage).filter_by(to=person.email).count() >= 1
    assert "project_update" in {n.kind for n in db.session.query(Notification).filter_by(user_id=volunteer.id)}

    as_user(client, fan)
    assert "is complete" in client.get("/notifications").text
    outcome_id = project.outcome.id
    client.post(f"/outcomes/{outcome_id}/rate", data={"stars": "5", "comment": "Great"})
    page = client.get("/outcomes").text
    assert "Rated 5.0 of 5" in page and "Sunday seats" in page

"""0024 keeps what patrons had: news already waiting stays in the centre, and in the weekly
digest for those who chose it; project news is filed as project news."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db


def test_news_waiting_before_0024_keeps_its_centre_and_digest(app, make_user, make_proposal):
    weekly, immediate = make_user(), make_user()
    weekly.email_frequency = "weekly"
    proposal = make_proposal()
    db.session.commit()
    ids = {"weekly": weekly.id, "immediate": immediate.id, "proposal": proposal.id}
    db.session.commit()  # on SQLite an open transaction would hold the migration back
    try:
        downgrade(revision="0023")
        db.session.execute(text(
            "INSERT INTO notification (user_id, kind, proposal_id, status, note, created_at) "
            "VALUES (:weekly, 'project_update', :proposal, 'open', '', CURRENT_TIMESTAMP), "
            "(:immediate, 'status_changed', :proposal, 'open', '', CURRENT_TIMESTAMP)"), ids)
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT user_id, topic, in_app, in_digest FROM notification ORDER BY id")).all()
        db.session.commit()
    finally:
        upgrade()
    assert [tuple(row) for row in rows] == [(ids["weekly"], "projects", True, True),
                                            (ids["immediate"], "decisions", True, False)]

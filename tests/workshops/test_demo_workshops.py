"""The demo's workshops (app/workshops/demo.py): the past one shows what came out of it, and an
upcoming one belongs to the open demo call."""
from sqlalchemy import select

from app import demo
from app.extensions import db
from app.proposals.calls import clock
from app.timeutil import utcnow
from app.workshops.models import Came, Workshop, WorkshopLink


def test_the_demo_links_the_past_workshop_and_puts_one_in_the_open_call(app, client):
    assert demo.seed(echo=lambda *_a, **_k: None) is True
    db.session.commit()
    past = db.session.scalar(select(Workshop).where(Workshop.ends_at <= utcnow()))
    kinds = {link.kind for link in db.session.scalars(
        select(WorkshopLink).where(WorkshopLink.workshop_id == past.id))}
    assert kinds == {Came.PROPOSAL, Came.MILESTONE}
    assert "What came out of it" in client.get(f"/workshops/{past.id}").text
    [in_call] = db.session.scalars(select(Workshop).where(Workshop.call_id.is_not(None))).all()
    assert in_call.starts_at > utcnow() and in_call.call.takes_proposals(clock())
    assert in_call.title in client.get(f"/calls/{in_call.call_id}").text

"""The demo's calls for ideas: one open with proposals, one upcoming, one past with its summary."""
from sqlalchemy import select

from app import demo
from app.calls.queries import calls_at
from app.extensions import db
from app.proposals.calls import Phase, clock
from app.proposals.models import Proposal


def test_the_demo_has_an_open_an_upcoming_and_a_past_call(app, client):
    assert demo.seed(echo=lambda _line: None) is True
    db.session.commit()
    now = clock()
    listed = calls_at(now)
    assert [len(listed.open), len(listed.upcoming), len(listed.past)] == [1, 1, 1]
    open_call, past = listed.open[0], listed.past[0]
    assert open_call.phase(now) is Phase.COLLECTING
    in_call = db.session.scalars(select(Proposal).where(Proposal.call_id == open_call.id)).all()
    assert len(in_call) == 2 and all(p.is_public and p.support_count == 2 for p in in_call)
    assert past.shows_summary(now)
    assert past.summary_en in client.get(f"/calls/{past.id}").text
    assert demo.seed(echo=lambda _line: None) is False  # nothing twice

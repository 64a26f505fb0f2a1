from datetime import timedelta

import pytest

from app.extensions import db
from app.proposals.models import Branch
from app.timeutil import utcnow
from app.workshops import services


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


@pytest.fixture
def make_workshop(app, staff):
    """A workshop next week, registration open since yesterday until the start."""
    def make(places=3, *, starts_in=timedelta(days=7), hours=2, **fields):
        starts = (utcnow() + starts_in).replace(second=0, microsecond=0)
        values = dict(
            title="Design sprint for the makerspace", description="Sketch the new makerspace.",
            starts_at=starts, ends_at=starts + timedelta(hours=hours), places=places,
            opens_at=utcnow() - timedelta(days=1), closes_at=starts,
            branch_id=db.session.query(Branch.id).order_by(Branch.id).first()[0],
            room="Room 301",
        ) | fields
        workshop = services.schedule(services.Plan(**values), by=staff)
        db.session.commit()
        return workshop
    return make

"""The dashboard tells three kinds of participation apart: patron-started, invited (made in a
call for ideas, whoever wrote it) and staff-entered; checked on a data set built by hand."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.extensions import db
from app.insight import metrics, rollups
from app.insight.models import SupportTally
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category, Initiative
from app.timeutil import library_today
from tests.calls.moments import COLLECTING

NOW = datetime.now(timezone.utc).replace(tzinfo=None)


def _idea(n: int) -> dict:
    return {"title": f"Idea number {n} for the library", "problem": "Too few seats at exam time.",
            "suggestion": "Open the east reading room on Sundays during exams.",
            "category_id": db.session.scalar(select(Category.id).order_by(Category.id)),
            "branch_id": db.session.scalar(select(Branch.id).order_by(Branch.id))}


def test_patron_started_invited_and_staff_entered_are_counted_apart(
        make_user, make_call, staff, clock):
    """- P: a patron's own idea, supported by 2.
    - I1: a patron's idea in the call, supported by 3; I2: entered at a desk by staff for a
      patron, in the call (invited, not staff-entered), supported by 1.
    - S: entered at a desk outside any call, supported by 1; T: a staff idea, no supports."""
    call = make_call()
    clock(COLLECTING)
    patrons = [make_user() for _ in range(4)]
    p = proposals.create(author=patrons[0], **_idea(1))
    i1 = proposals.create(author=patrons[1], call=call, **_idea(2))
    i2 = proposals.create(author=patrons[2], entered_by=staff, call=call, **_idea(3))
    s = proposals.create(author=patrons[3], entered_by=staff, **_idea(4))
    t = proposals.create(author=staff, **_idea(5))
    for proposal in (p, i1):
        if proposal.state.value == "submitted":
            lifecycle.transition(proposal, lifecycle.Action.PUBLISH, by=staff)
    for proposal, supporters in ((p, patrons[1:3]), (i1, [patrons[0], patrons[2], patrons[3]]),
                                 (i2, patrons[:1]), (s, patrons[:1])):
        for supporter in supporters:
            proposals.support(proposal, supporter)
    db.session.commit()
    assert [x.initiative for x in (p, i1, i2, s, t)] == [
        Initiative.PATRON, Initiative.INVITED, Initiative.INVITED, Initiative.STAFF,
        Initiative.STAFF]

    clock(NOW)  # back to the day the supports were given
    today = library_today()
    period = metrics.Period(today - timedelta(days=1), today + timedelta(days=1))
    split = {i.label: i for i in metrics.initiative(period)}
    assert (split["Proposals"].by_patrons, split["Proposals"].invited,
            split["Proposals"].by_staff) == (1, 2, 2)
    assert (split["Supports"].by_patrons, split["Supports"].invited,
            split["Supports"].by_staff) == (2, 4, 1)
    assert split["Proposals"].patron_share == 1 / 5

    # The roll-ups kept as supports came in equal those worked out again from the rows.
    kept = sorted(db.session.execute(select(SupportTally.invited, SupportTally.by_staff,
                                            SupportTally.supports)).all())
    rollups.rebuild()
    db.session.commit()
    assert sorted(db.session.execute(select(SupportTally.invited, SupportTally.by_staff,
                                            SupportTally.supports)).all()) == kept


def test_the_dashboard_shows_the_three_kinds(client, login, make_user, make_call, staff, clock):
    call = make_call()
    clock(COLLECTING)
    proposals.create(author=make_user(), call=call, **_idea(1))
    proposals.create(author=make_user(), **_idea(2))
    db.session.commit()
    clock(NOW)  # the dashboard's period ends today
    login(staff)
    page = client.get("/staff/dashboard").text
    assert "Invited (calls for ideas)" in page
    assert b"Proposals,1,1,0" in client.get("/staff/dashboard/initiative.csv").data

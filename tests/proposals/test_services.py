from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.moderation import services as moderation
from app.proposals import services, trending
from app.proposals.models import Origin, Proposal, Status, Support


def supports_of(proposal) -> int:
    return db.session.scalar(select(func.count()).where(Support.proposal_id == proposal.id))


def test_support_counts_once_however_often_it_is_given(make_user, make_proposal):
    proposal, patron = make_proposal(), make_user()
    assert services.support(proposal, patron) is True
    assert services.support(proposal, patron) is True
    db.session.commit()
    assert proposal.support_count == 1 == supports_of(proposal)


def test_toggle_flips_and_withdraw_keeps_count_exact(make_user, make_proposal):
    proposal, patron = make_proposal(), make_user()
    assert services.toggle_support(proposal, patron) is True
    assert services.toggle_support(proposal, patron) is False
    assert services.toggle_support(proposal, patron, want="withdraw") is False
    db.session.commit()
    assert proposal.support_count == 0 == supports_of(proposal)


def test_stale_button_never_undoes_what_the_patron_meant(make_user, make_proposal):
    proposal, patron = make_proposal(), make_user()
    for _ in range(2):  # a double click on "Support"
        services.toggle_support(proposal, patron, want="support")
    db.session.commit()
    assert proposal.support_count == 1


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.DECLINED, Status.COMPLETED])
def test_only_open_and_under_review_take_new_supports(make_user, make_proposal, status):
    proposal = make_proposal(status=status)
    with pytest.raises(Refused):
        services.support(proposal, make_user())


@pytest.mark.parametrize("status", [Status.ACCEPTED, Status.IN_PROGRESS, Status.COMPLETED,
                                    Status.DECLINED, Status.MERGED, Status.WITHDRAWN])
@pytest.mark.parametrize("withdraw", [
    lambda proposal, patron: services.withdraw_support(proposal, patron),
    lambda proposal, patron: services.toggle_support(proposal, patron, want="withdraw"),
    lambda proposal, patron: services.toggle_support(proposal, patron),  # the flip
], ids=["withdraw", "want-withdraw", "flip"])
def test_a_support_cannot_be_withdrawn_once_supports_are_closed(make_user, make_proposal,
                                                                 status, withdraw):
    proposal, patron = make_proposal(), make_user()
    services.support(proposal, patron)
    proposal.status = status.value
    db.session.commit()

    with pytest.raises(Refused) as refusal:
        withdraw(proposal, patron)
    db.session.rollback()

    assert "none can be added or withdrawn" in str(refusal.value)
    with pytest.raises(Refused) as adding:
        services.support(proposal, make_user())
    assert str(adding.value) == str(refusal.value)  # refused alike, in the same words
    db.session.rollback()
    assert proposal.support_count == 1 == supports_of(proposal)


def test_checking_that_supports_are_open_costs_no_statement(make_user, make_proposal):
    proposal, patron = make_proposal(status=Status.ACCEPTED), make_user()
    db.session.refresh(proposal)
    statements = []
    note = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        for click in (services.support, services.withdraw_support, services.toggle_support):
            with pytest.raises(Refused):
                click(proposal, patron)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert statements == []


def test_trending_prefers_recent_support_over_old(make_user, make_proposal):
    now = services.utcnow()
    week_ago = now - timedelta(days=trending.HALF_LIFE_DAYS)
    assert trending.weight(now) == pytest.approx(2 * trending.weight(week_ago))


def test_origin_records_who_started_the_proposal(make_user, make_proposal):
    patron, staff = make_user(), make_user(role="staff")
    assert make_proposal(author=patron).origin == Origin.ONLINE.value
    assert make_proposal(author=staff).origin == Origin.STAFF.value
    desk = services.create(author=patron, entered_by=staff, title="Desk idea about lockers",
                           problem="p" * 30, suggestion="s" * 30, category_id=1, branch_id=1)
    assert desk.origin == Origin.DESK.value and desk.entered_by_id == staff.id


def test_only_staff_enter_proposals_for_patrons(make_user):
    with pytest.raises(Refused):
        services.create(author=make_user(), entered_by=make_user(), title="Some title here",
                        problem="p" * 30, suggestion="s" * 30, category_id=1, branch_id=1)


def test_comment_counts_and_official_marking_is_staff_only(make_user, make_proposal):
    proposal, patron, staff = make_proposal(), make_user(), make_user(role="staff")
    comment = services.add_comment(proposal, author=patron, body="Agreed, it is loud.")
    db.session.commit()
    assert proposal.comment_count == 1
    with pytest.raises(Refused):
        moderation.set_official(comment, by=patron)
    moderation.set_official(comment, by=staff)
    assert comment.is_official


def test_simultaneous_supports_by_one_patron_leave_one_row(app, make_user, make_proposal):
    """Twenty clicks arriving at once, each in its own request and transaction."""
    proposal, patron = make_proposal(), make_user()
    proposal_id, user_id = proposal.id, patron.id
    db.session.rollback()  # the test's own session holds no lock while the clicks arrive

    def click(_):
        with app.app_context():
            try:
                services.support(db.session.get(Proposal, proposal_id),
                                 db.session.get(type(patron), user_id))
                db.session.commit()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(click, range(20)))
    db.session.expire_all()
    assert supports_of(proposal) == 1
    assert db.session.get(Proposal, proposal_id).support_count == 1


def test_simultaneous_supporters_each_see_the_count_their_support_made(
        app, make_user, make_proposal):
    proposal = make_proposal()
    proposal_id, patron_ids = proposal.id, [make_user().id for _ in range(10)]
    db.session.rollback()

    def click(patron_id: int) -> int:
        with app.app_context():
            try:
                shown = db.session.get(Proposal, proposal_id)
                services.support(shown, db.session.get(User, patron_id))
                count = shown.support_count  # what the page shows
                db.session.commit()
                return count
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=10) as pool:
        shown = list(pool.map(click, patron_ids))
    assert sorted(shown) == list(range(1, 11))
    assert supports_of(proposal) == 10 == db.session.get(Proposal, proposal_id).support_count

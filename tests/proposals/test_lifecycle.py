from datetime import datetime, timedelta

import pytest

from app import settings
from app.audit import AuditEntry
from app.domain import Refused
from app.extensions import db
from app.notifications.models import Notification
from app.proposals import lifecycle, services
from app.proposals.lifecycle import RULES, Action
from app.proposals.models import ProposalEvent, Status, Support
from tests.conftest import count

S = Status


@pytest.fixture
def staff(make_user):
    return make_user(role="staff")


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_every_transition_is_allowed_exactly_from_its_sources(
    make_user, make_proposal, staff, action, status
):
    author = make_user()
    proposal = make_proposal(author=author, status=status)
    rule = RULES[action]
    actor = staff if rule.who is lifecycle.Who.STAFF else author
    if action is Action.MERGE:
        return  # merging needs a target: tested below
    if status in rule.sources:
        event = lifecycle.transition(proposal, action, by=actor, note="Because.")
        assert proposal.status == rule.target.value == event.to_status
        assert event.from_status == status.value
    else:
        with pytest.raises(Refused):
            lifecycle.transition(proposal, action, by=actor, note="Because.")
        assert proposal.status == status.value


@pytest.mark.parametrize("action", [a for a in Action if RULES[a].who is lifecycle.Who.STAFF])
def test_patrons_cannot_take_staff_steps(make_user, make_proposal, action):
    author = make_user()
    proposal = make_proposal(author=author, status=RULES[action].sources[0])
    with pytest.raises(Refused, match="Only library staff"):
        lifecycle.transition(proposal, action, by=author, note="x")


def test_only_the_author_withdraws(make_user, make_proposal, staff):
    proposal = make_proposal()
    with pytest.raises(Refused, match="Only the author"):
        lifecycle.transition(proposal, Action.WITHDRAW, by=make_user())
    with pytest.raises(Refused):
        lifecycle.transition(proposal, Action.WITHDRAW, by=staff)


@pytest.mark.parametrize("action, status", [
    (Action.REJECT, S.SUBMITTED), (Action.REQUEST_CHANGES, S.SUBMITTED),
    (Action.DECLINE, S.OPEN), (Action.ACCEPT, S.UNDER_REVIEW),
])
def test_decisions_need_a_reason(make_proposal, staff, action, status):
    proposal = make_proposal(status=status)
    with pytest.raises(Refused, match="reason") as refusal:
        lifecycle.transition(proposal, action, by=staff, note="   ")
    assert refusal.value.field == "note"


def test_every_transition_writes_a_timeline_row_and_an_audit_entry(make_proposal, staff):
    proposal = make_proposal(status=S.SUBMITTED)
    lifecycle.transition(proposal, Action.PUBLISH, by=staff)
    lifecycle.transition(proposal, Action.DECLINE, by=staff, note="Out of budget this year.")
    db.session.commit()
    events = db.session.query(ProposalEvent).filter_by(proposal_id=proposal.id).order_by(ProposalEvent.id).all()
    assert [(e.from_status, e.to_status) for e in events][-2:] == [
        ("submitted", "open"), ("open", "declined")]
    assert events[-1].note == "Out of budget this year." and events[-1].actor_id == staff.id
    assert [a.action for a in db.session.query(AuditEntry).order_by(AuditEntry.id)] == ["publish", "decline"]
    assert proposal.first_answer_at is not None and proposal.published_at is not None


def test_rejection_reason_is_for_the_author_only(make_user, make_proposal, staff):
    author, stranger = make_user(), make_user()
    proposal = make_proposal(author=author, status=S.SUBMITTED)
    lifecycle.transition(proposal, Action.REJECT, by=staff, note="Names a member of staff.")
    db.session.commit()
    assert lifecycle.timeline(proposal, author)[-1].note == "Names a member of staff."
    assert all(e.to_status != "rejected" for e in lifecycle.timeline(proposal, stranger))
    told = db.session.query(Notification).filter_by(proposal_id=proposal.id).all()
    assert [n.user_id for n in told] == [author.id]


def test_changes_requested_then_resubmitted(make_user, make_proposal, staff):
    author = make_user()
    proposal = make_proposal(author=author, status=S.SUBMITTED)
    lifecycle.transition(proposal, Action.REQUEST_CHANGES, by=staff, note="Which floor?")
    services.edit(proposal, by=author, title="Silent zone on the third floor")
    lifecycle.transition(proposal, Action.RESUBMIT, by=author)
    assert proposal.status == S.SUBMITTED.value


def test_threshold_moves_open_to_under_review_with_a_due_date(make_user, make_proposal):
    settings.put("response_threshold", 3)
    settings.put("response_days", 10)
    proposal = make_proposal()
    for _ in range(3):
        services.support(proposal, make_user())
    db.session.commit()
    assert proposal.status == S.UNDER_REVIEW.value
    assert proposal.response_due_at == lifecycle.due_by(proposal.updated_at)
    automatic = db.session.query(ProposalEvent).filter_by(to_status="under_review").one()
    assert automatic.actor_id is None and automatic.is_public


@pytest.mark.parametrize("moved_at, due", [
    # 23:30 in Shanghai on 7 December: fourteen days on is the end of the 21st there.
    (datetime(2026, 12, 7, 15, 30), datetime(2026, 12, 21, 15, 59, 59)),
    # An hour later it is already the 8th in Shanghai, though still the 7th in UTC.
    (datetime(2026, 12, 7, 16, 30), datetime(2026, 12, 22, 15, 59, 59)),
])
def test_the_answer_is_due_at_the_end_of_the_librarys_day(app, moved_at, due):
    settings.put("response_days", 14)
    assert lifecycle.due_by(moved_at) == due


def test_the_due_date_follows_the_librarys_zone_setting(app):
    settings.put("response_days", 1)
    app.config["LIBRARY_TIMEZONE"] = "Europe/London"
    try:
        assert lifecycle.due_by(datetime(2026, 7, 1, 23, 30)) == datetime(2026, 7, 3, 22, 59, 59)
    finally:
        app.config["LIBRARY_TIMEZONE"] = "Asia/Shanghai"


def test_overdue_once_the_due_date_passes(make_proposal, staff):
    proposal = make_proposal()
    lifecycle.transition(proposal, Action.REVIEW, by=staff)
    assert not proposal.is_overdue(proposal.updated_at)
    assert proposal.is_overdue(proposal.response_due_at + timedelta(seconds=1))
    lifecycle.transition(proposal, Action.ACCEPT, by=staff, note="We will do it.")
    assert not proposal.is_overdue(proposal.response_due_at + timedelta(days=1))


def test_merge_carries_supports_once_and_tells_each_supporter(make_user, make_proposal, staff):
    source, target = make_proposal(), make_proposal()
    both, only_source, only_target = make_user(), make_user(), make_user()
    for patron, proposals in ((both, (source, target)), (only_source, (source,)),
                              (only_target, (target,))):
        for proposal in proposals:
            services.support(proposal, patron)
    moved = lifecycle.merge(source, target, by=staff, note="Same idea as #%d." % target.id)
    db.session.commit()
    assert moved == 1
    assert target.support_count == 3 == db.session.query(Support).filter_by(proposal_id=target.id).count()
    assert source.support_count == 0 and source.status == "merged"
    assert source.merged_into_id == target.id
    carried = db.session.query(Notification).filter_by(kind="support_carried").all()
    assert [n.user_id for n in carried] == [only_source.id]
    services.withdraw_support(target, only_source)  # the one click to undo it
    assert target.support_count == 2


@pytest.mark.parametrize("target_status", [S.SUBMITTED, S.DECLINED, S.MERGED])
def test_merge_needs_a_published_living_target(make_proposal, staff, target_status):
    source, target = make_proposal(), make_proposal(status=target_status)
    with pytest.raises(Refused):
        lifecycle.merge(source, target, by=staff, note="dup")


def test_merge_into_itself_is_refused(make_proposal, staff):
    proposal = make_proposal()
    with pytest.raises(Refused):
        lifecycle.merge(proposal, proposal, by=staff, note="dup")
    assert count(Notification) == 0


def test_public_timelines_of_several_proposals_in_one_read(make_user, make_proposal, staff):
    first, second, quiet = (make_proposal(status=S.SUBMITTED) for _ in range(3))
    lifecycle.transition(first, Action.REQUEST_CHANGES, by=staff, note="Add the floor, please.")
    lifecycle.transition(first, Action.RESUBMIT, by=first.author)
    lifecycle.transition(first, Action.PUBLISH, by=staff, note="Thank you.")
    lifecycle.transition(second, Action.PUBLISH, by=staff)
    db.session.commit()
    timelines = lifecycle.public_timelines([first, second, quiet])
    assert [e.to_status for e in timelines[first.id]] == [
        e.to_status for e in lifecycle.timeline(first, None)]
    assert "Add the floor, please." not in [e.note for e in timelines[first.id]]
    assert timelines[first.id][-1].note == "Thank you."
    assert [e.to_status for e in timelines[second.id]][-1] == "open"
    assert timelines[quiet.id] == [e for e in lifecycle.timeline(quiet, None)]

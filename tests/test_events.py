"""Every write path announces what it did, exactly once: the dashboard, notifications and the
audit log follow these events (app/events.py), so a path that forgot one would drift silently."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from app import events, settings
from app.admin import services as admin_services
from app.audit import AuditEntry
from app.domain import Refused
from app.extensions import db
from app.insight.models import Participation, SupportTally
from app.moderation import services as moderation
from app.notifications.models import Notification
from app.projects import services as projects
from app.projects.models import Place, Volunteer
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.lifecycle import RULES, Action
from app.proposals.models import Branch, Status
from tests.conftest import count


@pytest.fixture
def heard(app):
    """Every event published, in order: (name, sender, keyword arguments)."""
    log: list[tuple[str, object, dict]] = []

    def listener(name):
        return lambda sender, **kwargs: log.append((name, sender, kwargs))

    receivers = [(signal, listener(signal.name)) for signal in events.ALL]
    for signal, receiver in receivers:
        signal.connect(receiver)
    yield log
    for signal, receiver in receivers:
        signal.disconnect(receiver)


def names(log) -> list[str]:
    said = [name for name, _sender, _kwargs in log]
    log.clear()
    return said


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


def test_what_follows_an_event_is_undone_with_the_write(make_proposal, make_user, staff):
    """Subscribers run in the publisher's transaction: a rollback leaves no roll-up, no
    notification and no audit entry behind."""
    proposal, patron = make_proposal(), make_user()
    before = [count(model) for model in (Participation, SupportTally, Notification, AuditEntry)]
    proposals.support(proposal, patron)
    lifecycle.transition(proposal, Action.REVIEW, by=staff)
    assert [count(model) for model in (Participation, SupportTally, Notification,
                                       AuditEntry)] != before
    db.session.rollback()
    assert [count(model) for model in (Participation, SupportTally, Notification,
                                       AuditEntry)] == before


def test_a_patron_proposing_is_one_event_and_staff_also_publish(heard, make_user, staff):
    patron = make_user()
    mine = proposals.create(author=patron, title="Sockets on floor 3", problem="None work.",
                            suggestion="Fix them.", category_id=1, branch_id=1)
    assert names(heard) == ["proposal_created"]
    proposals.create(author=patron, entered_by=staff, title="Met at the desk", problem="p",
                     suggestion="s", category_id=1, branch_id=1)
    assert names(heard) == ["proposal_created", "status_changed"]
    assert mine.status == Status.SUBMITTED.value


def test_created_carries_the_author_and_who_entered_it(heard, make_user, staff):
    patron = make_user()
    proposal = proposals.create(author=patron, entered_by=staff, title="From the desk",
                                problem="p", suggestion="s", category_id=1, branch_id=1)
    name, sender, said = heard[0]
    assert (name, sender, said["by"], said["entered_by"]) == (
        "proposal_created", proposal, patron, staff)
    assert heard[1][2]["action"] is Action.PUBLISH and heard[1][2]["by"] is staff


def test_editing_says_where_it_was_filed_before(heard, make_proposal):
    proposal = make_proposal(status=Status.SUBMITTED)
    was = proposal.branch_id, proposal.category_id
    heard.clear()
    proposals.edit(proposal, by=proposal.author, title="A clearer title")
    ((name, sender, said),) = heard
    assert (name, sender) == ("proposal_edited", proposal)
    assert (said["was_branch_id"], said["was_category_id"]) == was


def test_support_and_withdrawal_are_announced_only_when_they_change_something(
        heard, make_proposal, make_user):
    proposal, patron = make_proposal(), make_user()
    heard.clear()
    proposals.toggle_support(proposal, patron, want="support")
    assert names(heard) == ["support_added"]
    proposals.toggle_support(proposal, patron, want="support")  # a double click
    assert names(heard) == []
    proposals.toggle_support(proposal, patron, want="withdraw")
    assert names(heard) == ["support_withdrawn"]
    proposals.toggle_support(proposal, patron, want="withdraw")
    assert names(heard) == []
    proposals.toggle_support(proposal, patron)  # the flip: on, then off
    proposals.toggle_support(proposal, patron)
    assert names(heard) == ["support_added", "support_withdrawn"]


def test_the_support_that_reaches_the_threshold_also_moves_the_proposal(
        heard, make_proposal, make_user):
    settings.put("response_threshold", 2)
    proposal = make_proposal()
    proposals.support(proposal, make_user())
    heard.clear()
    proposals.support(proposal, make_user())
    assert names(heard) == ["support_added", "status_changed"]
    assert proposal.state is Status.UNDER_REVIEW


def test_a_threshold_move_is_announced_as_by_nobody(heard, make_proposal, make_user):
    settings.put("response_threshold", 1)
    proposal = make_proposal()
    heard.clear()
    proposals.support(proposal, make_user())
    _name, _sender, said = heard[1]
    assert said["by"] is None and said["action"] is Action.REVIEW


def test_a_comment_is_one_event(heard, make_proposal, make_user):
    proposal = make_proposal()
    heard.clear()
    comment = proposals.add_comment(proposal, author=make_user(), body="Yes please.")
    assert [(name, sender) for name, sender, _ in heard] == [("comment_added", comment)]


def _actor(action: Action, proposal, staff):
    return staff if RULES[action].who is lifecycle.Who.STAFF else proposal.author


def test_a_comment_edited_deleted_or_answered_is_one_event_each(heard, make_proposal,
                                                                make_user):
    proposal, author, replier = make_proposal(), make_user(), make_user()
    heard.clear()
    comment = proposals.add_comment(proposal, author=author, body="First words.")
    proposals.add_comment(proposal, author=replier, body="A reply.", reply_to=comment)
    proposals.edit_comment(comment, by=author, body="Better words.")
    proposals.delete_comment(comment, by=author)
    assert [(name, sender) for name, sender, _ in heard][2:] == [
        ("comment_edited", comment), ("comment_deleted", comment)]
    assert names(heard) == ["comment_added", "comment_added", "comment_edited",
                            "comment_deleted"]
    with pytest.raises(Refused):
        proposals.edit_comment(comment, by=author, body="Again?")
    assert names(heard) == []


def test_following_is_one_event_when_it_changes_something(heard, make_proposal, make_user):
    from app.notifications import services as notify

    proposal, reader = make_proposal(), make_user()
    heard.clear()
    notify.set_following(reader, proposal, True)
    notify.set_following(reader, proposal, True)
    notify.set_following(reader, proposal, False)
    assert names(heard) == ["follow_changed", "follow_changed"]


def test_withdrawing_with_a_reason_is_one_status_change(heard, make_proposal):
    proposal, other = make_proposal(), make_proposal()
    heard.clear()
    proposals.withdraw(proposal, by=proposal.author, reason="duplicate")
    assert names(heard) == ["status_changed"]
    with pytest.raises(Refused):
        proposals.withdraw(other, by=other.author, reason="other")
    assert names(heard) == []


@pytest.mark.parametrize("action", [a for a in Action if a is not Action.MERGE])
def test_every_life_cycle_step_announces_one_status_change(heard, make_proposal, staff, action):
    proposal = make_proposal(status=RULES[action].sources[0])
    heard.clear()
    lifecycle.transition(proposal, action, by=_actor(action, proposal, staff), note="Because.")
    ((name, sender, said),) = heard
    assert (name, sender, said["action"]) == ("status_changed", proposal, action)
    assert said["from_status"] == RULES[action].sources[0].value
    assert said["public"] is RULES[action].public and said["note"] == "Because."


def test_a_refused_step_announces_nothing(heard, make_proposal, make_user):
    proposal = make_proposal(status=Status.SUBMITTED)
    heard.clear()
    with pytest.raises(Refused):
        lifecycle.transition(proposal, Action.PUBLISH, by=make_user())
    with pytest.raises(Refused):
        lifecycle.transition(proposal, Action.ACCEPT, by=None)
    assert names(heard) == []


def test_a_merge_is_a_status_change_then_the_supports_moving(
        heard, make_proposal, make_user, staff):
    source, target = make_proposal(), make_proposal()
    both, only_source = make_user(), make_user()
    for patron in (both, only_source):
        proposals.support(source, patron)
    proposals.support(target, both)
    db.session.commit()
    heard.clear()
    lifecycle.merge(source, target, by=staff, note="The same idea.")
    assert names(heard.copy()) == ["status_changed", "proposals_merged"]
    _name, sender, said = heard[1]
    assert sender is source and said["target"] is target and said["by"] is staff
    assert said["carried"] == [only_source.id]
    assert sorted(user for user, _given in said["moved"]) == sorted([both.id, only_source.id])


def test_joining_and_leaving_say_who_took_the_freed_place(heard, make_project, make_user):
    project = make_project(places=1)
    first, second = make_user(), make_user()
    heard.clear()
    projects.join(project, first)
    projects.join(project, second)
    assert [(n, s["place"]) for n, _p, s in heard] == [
        ("volunteer_joined", Place.MEMBER), ("volunteer_joined", Place.WAITING)]
    heard.clear()
    projects.leave(project, first)
    ((name, sender, said),) = heard
    assert (name, sender, said["by"], said["promoted"]) == (
        "volunteer_left", project, first, second.id)
    heard.clear()
    projects.leave(project, second)
    assert [(n, s["promoted"]) for n, _p, s in heard] == [("volunteer_left", None)]


def test_starting_and_completing_a_project(heard, make_proposal, staff):
    proposal = make_proposal(status=Status.ACCEPTED)
    heard.clear()
    project = projects.start(proposal, by=staff, goal="g", volunteer_tasks="t", places=2,
                             starts_on=date(2026, 12, 1))
    assert names(heard) == ["status_changed"]
    outcome = projects.complete(project, by=staff, summary="Done.",
                                indicators=[("Seats", Decimal(1), Decimal(2), "seats")])
    assert [(n, s) for n, s, _ in heard] == [("status_changed", proposal),
                                             ("outcome_recorded", outcome)]


def test_project_work_and_rating(heard, make_project, make_user, staff):
    project = make_project(places=2)
    patron = make_user()
    projects.join(project, patron)
    heard.clear()
    volunteer = db.session.scalars(db.select(Volunteer).filter_by(user_id=patron.id)).one()
    projects.record_hours(volunteer, by=staff, hours=Decimal("2.5"))
    projects.post_update(project, by=staff, body="Seats counted.")
    projects.complete_milestone(project.milestones[0], by=staff, done_on=date(2026, 12, 2))
    assert names(heard) == ["hours_recorded", "project_update_posted", "milestone_changed"]
    outcome = projects.complete(project, by=staff, summary="Done.",
                                indicators=[("Seats", Decimal(1), Decimal(2), "seats")])
    heard.clear()
    projects.rate(outcome, by=patron, stars=5)
    assert names(heard) == ["outcome_rated"]


def test_moderation_actions(heard, make_proposal, make_user, staff):
    proposal = make_proposal(status=Status.UNDER_REVIEW)
    comment = proposals.add_comment(proposal, author=make_user(), body="Hmm.")
    heard.clear()
    moderation.classify(proposal, by=staff, category_id=proposal.category_id,
                        branch_id=proposal.branch_id)
    moderation.set_feasibility(proposal, by=staff, note="Needs two new sockets per desk.")
    moderation.set_official(comment, by=staff)
    moderation.hide_comment(comment, by=staff, hidden=True, note="Off topic.")
    moderation.resolve(proposal, by=staff, uphold=False)
    assert names(heard) == ["classification_changed", "feasibility_noted",
                            "official_response_marked", "comment_hidden", "flags_resolved"]


def test_hiding_a_photo(heard, make_proposal, staff):
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from app.media import services as media

    proposal = make_proposal()
    heard.clear()
    data = io.BytesIO()
    Image.new("RGB", (8, 8)).save(data, "PNG")
    data.seek(0)
    photos = media.take(media.PhotoChoice(files=[FileStorage(data, "a.png")],
                                          descriptions=["A test"]), owner=proposal.author)
    media.attach(photos, proposal.id)
    assert names(heard) == []  # holding and attaching a photo changes nothing others follow
    media.hide(photos[0], by=staff, hidden=True)
    assert names(heard) == ["photo_hidden"]
    assert count(AuditEntry) == 1


def test_what_administrators_change(heard, make_user):
    admin, patron = make_user(role="admin"), make_user()
    heard.clear()
    now = datetime(2026, 12, 7, 9)
    admin_services.change_role(patron, role="staff", by=admin)
    admin_services.change_role(patron, role="patron", by=admin)
    admin_services.suspend(patron, until=now + timedelta(days=3), reason="Spam.", by=admin,
                           now=now)
    admin_services.lift_suspension(patron, by=admin)
    admin_services.save_settings({"flag_threshold": settings.get("flag_threshold")}, by=admin)
    assert names(heard) == ["role_changed", "role_changed", "account_suspended",
                            "suspension_lifted"]  # a setting left as it was changed nothing
    admin_services.save_settings({"flag_threshold": 7}, by=admin)
    branch = admin_services.save_place(Branch, slug="east", name_en="East", name_zh="东区",
                                       by=admin)
    assert [(n, s) for n, s, _ in heard] == [("settings_changed", admin), ("place_saved", branch)]


def test_a_campus_sign_in_announces_only_a_role_its_configured_group_grants(heard, app,
                                                                           monkeypatch):
    from app.sso import services as sso
    from app.sso.claims import Identity

    monkeypatch.setitem(app.config, "SSO_STAFF_GROUPS", "library-staff")
    reader = Identity("oidc", "s-1", "Li Hua", "lihua@univ.example.edu", ("student",), ())
    librarian = Identity("cas", "s-2", "Wang Fang", None, ("faculty",), ("library-staff",))
    sso.sign_in(reader)
    assert names(heard) == []
    user = sso.sign_in(librarian)
    assert [(n, s, k["role"]) for n, s, k in heard] == [("role_granted_from_claims", user,
                                                         "staff")]
    heard.clear()
    sso.sign_in(librarian)  # already staff: nothing to grant
    assert names(heard) == []

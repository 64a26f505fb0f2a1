from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.notifications.models import Notification
from app.projects import services
from app.projects.models import Place, Project, Volunteer
from app.proposals import services as proposals
from app.proposals.models import Status


def states(project):
    return [(v.user_id, v.state) for v in db.session.scalars(
        select(Volunteer).where(Volunteer.project_id == project.id).order_by(Volunteer.id))]


def test_starting_moves_the_proposal_in_progress(make_project):
    project = make_project()
    assert project.proposal.status == Status.IN_PROGRESS.value
    assert [m.title for m in project.milestones] == ["Survey seats"]


def test_only_accepted_proposals_start(make_proposal, staff):
    with pytest.raises(Refused):
        services.start(make_proposal(), by=staff, goal="g" * 20, volunteer_tasks="t" * 20,
                       places=2, starts_on=date(2026, 12, 1))


def test_patrons_cannot_start_projects(make_proposal, make_user):
    with pytest.raises(Refused):
        services.start(make_proposal(status=Status.ACCEPTED), by=make_user(), goal="g" * 20,
                       volunteer_tasks="t" * 20, places=2, starts_on=date(2026, 12, 1))


def test_full_project_puts_joiners_on_a_waiting_list_and_promotes_in_order(make_project,
                                                                          make_user):
    project = make_project(places=1)
    first, second, third = make_user(), make_user(), make_user()
    assert services.join(project, first) is Place.MEMBER
    assert services.join(project, second) is Place.WAITING
    assert services.join(project, third) is Place.WAITING
    assert services.place_of(project, third) == (Place.WAITING, 2)
    services.leave(project, first)
    db.session.commit()
    assert states(project) == [(second.id, "member"), (third.id, "waiting")]
    assert project.members == 1
    told = db.session.scalars(select(Notification).where(Notification.kind == "promoted")).all()
    assert [n.user_id for n in told] == [second.id]


def test_leaving_the_waiting_list_frees_nothing(make_project, make_user):
    project = make_project(places=1)
    member, waiting = make_user(), make_user()
    services.join(project, member)
    services.join(project, waiting)
    services.leave(project, waiting)
    assert project.members == 1 and states(project) == [(member.id, "member")]


def test_join_twice_or_leave_without_joining_is_refused(make_project, make_user):
    project, patron = make_project(), make_user()
    services.join(project, patron)
    with pytest.raises(Refused):
        services.join(project, patron)
    with pytest.raises(Refused):
        services.leave(project, make_user())


def test_completing_requires_an_outcome_with_indicators(make_project, make_user):
    project = make_project()
    staff = project.lead
    with pytest.raises(Refused):
        services.complete(project, by=staff, summary="Done.", indicators=[])
    with pytest.raises(Refused):
        services.complete(project, by=staff, summary="  ", indicators=[("Seats", 1, 2, "")])
    supporter, volunteer = make_user(), make_user()
    with pytest.raises(Refused):  # supports are closed once the project is under way
        proposals.withdraw_support(project.proposal, supporter)
    services.join(project, volunteer)
    outcome = services.complete(
        project, by=staff, summary="The east room opens on Sundays.",
        indicators=[("Quiet seats on Sundays", Decimal(180), Decimal(300), "seats")],
        evidence="https://library.example/photos\nnot a link")
    db.session.commit()
    assert project.proposal.status == Status.COMPLETED.value and project.is_completed
    assert outcome.volunteers == 1 and outcome.indicators[0].after == 300
    told = {n.user_id for n in db.session.scalars(
        select(Notification).where(Notification.kind == "outcome"))}
    assert volunteer.id in told and project.proposal.author_id in told


def test_supporters_and_volunteers_rate_once(make_project, make_user):
    project = make_project()
    supporter, volunteer, stranger = make_user(), make_user(), make_user()
    project.proposal.status = Status.OPEN.value
    proposals.support(project.proposal, supporter)
    project.proposal.status = Status.IN_PROGRESS.value
    services.join(project, volunteer)
    outcome = services.complete(project, by=project.lead, summary="Done and dusted.",
                                indicators=[("Hours", Decimal(8), Decimal(12), "h")])
    services.rate(outcome, by=supporter, stars=5)
    services.rate(outcome, by=volunteer, stars=4, comment="Good, but cold.")
    with pytest.raises(Refused, match="already rated"):
        services.rate(outcome, by=supporter, stars=1)
    with pytest.raises(Refused):
        services.rate(outcome, by=stranger, stars=3)
    with pytest.raises(Refused):
        services.rate(outcome, by=make_user(), stars=9)
    db.session.commit()
    assert (outcome.rating_count, outcome.rating_average) == (2, 4.5)


def test_hours_are_staff_only_and_bounded(make_project, make_user):
    project, patron = make_project(), make_user()
    services.join(project, patron)
    volunteer = db.session.scalars(select(Volunteer)).one()
    with pytest.raises(Refused):
        services.record_hours(volunteer, by=patron, hours=Decimal(3))
    with pytest.raises(Refused):
        services.record_hours(volunteer, by=project.lead, hours=Decimal(-1))
    services.record_hours(volunteer, by=project.lead, hours=Decimal("2.5"))
    assert volunteer.hours == Decimal("2.5")


def test_fifty_simultaneous_joins_fill_ten_places_exactly(app, make_project, make_user):
    project = make_project(places=10)
    patrons = [make_user().id for _ in range(50)]
    project_id = project.id
    db.session.rollback()  # the test's own session holds no lock while the joins arrive

    def join(user_id):
        with app.app_context():
            try:
                services.join(db.session.get(Project, project_id), db.session.get(User, user_id))
                db.session.commit()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=25) as pool:
        list(pool.map(join, patrons))
    db.session.expire_all()
    rows = db.session.scalars(select(Volunteer).where(Volunteer.project_id == project_id)
                              .order_by(Volunteer.id)).all()
    members = [r for r in rows if r.state == "member"]
    waiting = [r for r in rows if r.state == "waiting"]
    assert len(members) == 10 and len(waiting) == 40
    assert db.session.get(Project, project_id).members == 10
    assert max(m.id for m in members) < min(w.id for w in waiting)  # arrival order


def test_rateable_among_is_what_each_patron_may_still_rate(make_outcome, make_user):
    supporter, volunteer, stranger = make_user(), make_user(), make_user()
    supported, volunteered, rated, other = (make_outcome() for _ in range(4))
    for outcome in (supported, rated):
        outcome.proposal.status = Status.OPEN.value
        proposals.support(outcome.proposal, supporter)
        outcome.proposal.status = Status.COMPLETED.value
    db.session.add(Volunteer(project_id=volunteered.project_id, user_id=volunteer.id,
                             state=Place.MEMBER.value))
    db.session.commit()
    services.rate(rated, by=supporter, stars=5)
    db.session.commit()
    shown = [supported, volunteered, rated, other]
    assert services.rateable_among(shown, supporter) == {supported.id}
    assert services.rateable_among(shown, volunteer) == {volunteered.id}
    assert services.rateable_among(shown, stranger) == set()
    assert [services.can_rate(o, supporter) for o in shown] == [True, False, True, False]

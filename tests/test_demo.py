import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import delete, func, select

from app import demo
from app.audit import AuditEntry
from app.auth.models import User
from app.calls.demo import IDEAS_IN_CALLS
from app.extensions import db
from app.notifications.models import Kind, Notification
from app.projects import services as projects
from app.projects.models import (
    Indicator,
    Milestone,
    Outcome,
    Place,
    Project,
    ProjectUpdate,
    Rating,
    Volunteer,
)
from app.proposals import services, trending
from app.proposals.models import Comment, Proposal, ProposalEvent, Status, Support

CJK = re.compile(r"[\u4e00-\u9fff]")


def quiet(*_args, **_kwargs):
    pass


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Proposal, Support, Comment, Project, Milestone, Volunteer,
                      ProjectUpdate, Outcome, Indicator, Rating, Notification, AuditEntry)
    )


def supports_by_proposal() -> dict[int, int]:
    return dict(db.session.execute(
        select(Support.proposal_id, func.count()).group_by(Support.proposal_id)
    ).all())


@pytest.fixture
def seeded(app):
    lines = []
    assert demo.seed(echo=lines.append) is True
    db.session.commit()
    return lines


def test_seed_loads_a_bilingual_spread_of_proposals(seeded):
    proposals = db.session.scalars(select(Proposal)).all()
    assert 55 <= len(proposals) <= 65
    statuses = {p.status for p in proposals}
    assert statuses >= {s.value for s in (
        Status.OPEN, Status.UNDER_REVIEW, Status.ACCEPTED, Status.IN_PROGRESS,
        Status.COMPLETED, Status.DECLINED, Status.SUBMITTED, Status.WITHDRAWN,
    )}
    chinese = [p for p in proposals if CJK.search(p.title)]
    assert 0.3 < len(chinese) / len(proposals) < 0.7
    assert {p.origin for p in proposals} == {"online", "desk", "staff"}
    assert any(p.hide_name for p in proposals)
    for p in proposals:
        assert (p.reviewed_at is None) == (p.status == Status.SUBMITTED.value), p.title
        assert p.created_at <= p.last_activity_at <= services.utcnow()
    assert seeded[-1].startswith("Demo data: ")


def test_every_role_and_patron_type_is_represented(seeded):
    users = db.session.scalars(select(User)).all()
    assert {u.role for u in users} == {"patron", "staff", "admin"}
    assert {u.patron_type for u in users} >= {
        "undergraduate", "postgraduate", "faculty", "staff", "alumnus", "other"
    }
    assert {email for email, _ in demo.ACCOUNTS_SUMMARY} == {u.email for u in users}
    assert len(demo.PASSWORD) >= 10


def test_stored_counts_match_the_rows(seeded):
    supports = supports_by_proposal()
    comments = dict(db.session.execute(
        select(Comment.proposal_id, func.count()).group_by(Comment.proposal_id)
    ).all())
    for p in db.session.scalars(select(Proposal)):
        assert p.support_count == supports.get(p.id, 0), p.title
        assert p.comment_count == comments.get(p.id, 0), p.title
    assert max(supports.values()) >= 10


def test_supports_and_comments_only_where_they_make_sense(seeded):
    hidden = db.session.scalars(select(Proposal).where(
        Proposal.status.in_([Status.SUBMITTED.value, Status.WITHDRAWN.value])
    )).all()
    assert all(p.support_count == 0 and p.comment_count == 0 for p in hidden)
    official = db.session.scalars(select(Comment).where(Comment.is_official)).all()
    assert len(official) >= 5
    assert all(c.author.is_staff for c in official)


def test_trending_reflects_the_spread_out_support_times(seeded):
    for p in db.session.scalars(select(Proposal)):
        times = db.session.scalars(
            select(Support.created_at).where(Support.proposal_id == p.id)
        ).all()
        assert all(p.created_at <= t <= p.last_activity_at for t in times)
        expected = trending.weight(p.created_at) + sum(map(trending.weight, times))
        assert p.trending_score == pytest.approx(expected, rel=1e-9)


def test_status_changes_went_through_the_life_cycle(seeded):
    for p in db.session.scalars(select(Proposal)):
        events = db.session.scalars(select(ProposalEvent).where(
            ProposalEvent.proposal_id == p.id).order_by(ProposalEvent.id)).all()
        assert events[0].from_status is None and events[-1].to_status == p.status, p.title
        moments = [e.created_at for e in events]
        assert moments == sorted(moments) and moments[0] == p.created_at, p.title


def test_seeding_twice_adds_nothing(seeded):
    before = counts()
    lines = []
    assert demo.seed(echo=lines.append) is False
    db.session.commit()
    assert counts() == before
    assert f"Demo projects: 0 new, {len(demo.PROJECTS)} already there." in lines


def test_summary_counts_projects_volunteers_and_outcomes(seeded):
    summary = seeded[-1]
    members = db.session.scalar(select(func.count()).where(
        Volunteer.state == Place.MEMBER.value))
    assert f"{len(demo.PROJECTS)} projects" in summary
    assert f"{members} volunteers" in summary
    assert f"{len(demo.OUTCOMES)} outcomes" in summary


def project_proposals(*statuses: Status) -> list[Proposal]:
    return db.session.scalars(select(Proposal).where(
        Proposal.status.in_([s.value for s in statuses])).order_by(Proposal.id)).all()


def project_of(proposal: Proposal) -> Project | None:
    return db.session.scalar(select(Project).where(Project.proposal_id == proposal.id))


def members_of(project: Project) -> list[Volunteer]:
    return [v for v in projects.volunteers(project) if v.state == Place.MEMBER.value]


def test_every_proposal_in_progress_or_completed_has_a_real_project(seeded):
    started = project_proposals(Status.IN_PROGRESS, Status.COMPLETED)
    assert {p.id for p in started} == set(db.session.scalars(select(Project.proposal_id)))
    assert {p.title for p in started} == {
        i.title for i in demo.IDEAS if i.key in demo.PROJECTS}
    for proposal in started:
        project = project_of(proposal)
        assert project is not None, proposal.title
        assert 3 <= project.places <= 12 and project.lead.is_staff, proposal.title
        assert project.goal and project.volunteer_tasks, proposal.title
        assert 2 <= len(project.milestones) <= 4, proposal.title
        assert 1 <= len(project.updates) <= 3, proposal.title
        assert all(u.author.is_staff for u in project.updates), proposal.title
        done = [m for m in project.milestones if m.done_on]
        if proposal.status == Status.COMPLETED.value:
            assert project.is_completed and len(done) == len(project.milestones), proposal.title
        else:
            assert not project.is_completed and project.outcome is None, proposal.title
            assert 1 <= len(done) < len(project.milestones), proposal.title
    assert any(v.hours > 0 for v in db.session.scalars(select(Volunteer)))


def test_volunteer_places_match_the_rows(seeded):
    waiting_lists = 0
    for project in db.session.scalars(select(Project)):
        rows = projects.volunteers(project)
        members = [v for v in rows if v.state == Place.MEMBER.value]
        waiting = [v for v in rows if v.state == Place.WAITING.value]
        assert project.members == len(members) <= project.places, project.id
        assert members, project.id
        if waiting:  # a waiting list only behind a full project, and a short one
            assert project.members == project.places and len(waiting) <= 3, project.id
            assert max(v.id for v in members) < min(v.id for v in waiting), project.id
            waiting_lists += 1
        assert all(v.hours == 0 for v in waiting), project.id
        assert all(not v.user.is_staff for v in rows), project.id
    assert waiting_lists >= 2


def test_completed_projects_publish_a_measured_outcome(seeded):
    for proposal in project_proposals(Status.COMPLETED):
        project = project_of(proposal)
        outcome = db.session.scalar(select(Outcome).where(Outcome.proposal_id == proposal.id))
        assert outcome is not None and outcome.project_id == project.id, proposal.title
        assert outcome.summary.strip(), proposal.title
        assert 1 <= len(outcome.indicators) <= 3, proposal.title
        for indicator in outcome.indicators:
            assert indicator.name and indicator.unit and indicator.before != indicator.after
        for link in outcome.evidence_links:
            host = urlsplit(link).hostname
            assert link.startswith("https://") and (
                host == "library.example" or host.endswith("example.edu")), link
        assert outcome.supporters == proposal.support_count, proposal.title
        assert outcome.volunteers == len(members_of(project)), proposal.title
    assert db.session.scalar(select(func.count()).select_from(Outcome)) == len(
        project_proposals(Status.COMPLETED))


def test_outcome_ratings_match_the_rows(seeded):
    stars = []
    for outcome in db.session.scalars(select(Outcome)):
        ratings = db.session.scalars(select(Rating).where(Rating.outcome_id == outcome.id)).all()
        assert ratings, outcome.proposal.title
        assert outcome.rating_count == len(ratings)
        assert outcome.rating_total == sum(r.stars for r in ratings)
        for rating in ratings:  # only supporters and member volunteers rate
            assert projects.can_rate(outcome, rating.user), rating.user.display_name
        stars += [r.stars for r in ratings]
    assert all(1 <= s <= 5 for s in stars)
    assert sum(s >= 4 for s in stars) / len(stars) >= 0.7
    assert db.session.scalar(select(func.count()).where(Rating.comment != "")) >= 3


def test_project_dates_are_in_the_past_and_in_order(seeded):
    now = services.utcnow()
    for proposal in project_proposals(Status.IN_PROGRESS, Status.COMPLETED):
        project = project_of(proposal)
        events = {e.to_status: e.created_at for e in db.session.scalars(
            select(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id))}
        end = project.completed_at or now
        assert project.created_at == events[Status.IN_PROGRESS.value], proposal.title
        assert project.created_at.date() <= project.starts_on <= end.date(), proposal.title
        assert project.starts_on < now.date(), proposal.title
        assert project.starts_on <= project.ends_on, proposal.title
        done = [m.done_on for m in project.milestones if m.done_on]
        assert done == sorted(done), proposal.title
        assert all(project.starts_on <= d <= end.date() for d in done), proposal.title
        rows = projects.volunteers(project)
        joined = [v.joined_at for v in sorted(rows, key=lambda v: v.id)]
        assert joined == sorted(joined), proposal.title  # the queue is the order of arrival
        assert all(project.created_at < t < end for t in joined), proposal.title
        updates = [u.created_at for u in project.updates]
        assert all(project.created_at < t < end for t in updates), proposal.title
        hours = {a.subject_id: a.created_at for a in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "record_hours",
            AuditEntry.subject_id.in_([v.id for v in rows])))}
        for volunteer in rows:
            assert (volunteer.id in hours) == (volunteer.hours > 0), proposal.title
            if volunteer.id in hours:
                assert volunteer.joined_at < hours[volunteer.id] < end, proposal.title
        notes = db.session.scalars(select(Notification).where(
            Notification.proposal_id == proposal.id)).all()
        assert all(proposal.created_at <= n.created_at < now for n in notes), proposal.title
        assert {n.created_at for n in notes if n.kind == Kind.PROJECT_UPDATE.value} \
            == set(updates), proposal.title
        joined_at = {v.user_id: v.joined_at for v in rows}
        for note in notes:  # volunteers hear of what happens after they joined
            if note.kind == Kind.PROJECT_UPDATE.value and note.user_id in joined_at:
                supporter = services.has_supported(proposal, db.session.get(User, note.user_id))
                assert supporter or note.user_id == proposal.author_id \
                    or joined_at[note.user_id] < note.created_at, proposal.title
        if project.is_completed:
            outcome = project.outcome
            assert project.completed_at == outcome.published_at \
                == events[Status.COMPLETED.value], proposal.title
            assert {n.created_at for n in notes if n.kind == Kind.OUTCOME.value} \
                == {outcome.published_at}, proposal.title
            ratings = db.session.scalars(select(Rating.created_at).where(
                Rating.outcome_id == outcome.id)).all()
            assert all(outcome.published_at < t < now for t in ratings), proposal.title


def test_proposals_loaded_before_projects_existed_are_reported_not_patched(seeded):
    for model in (Rating, Indicator, Outcome, Volunteer, ProjectUpdate, Milestone, Project):
        db.session.execute(delete(model))
    db.session.commit()
    lines = []
    assert demo.seed(echo=lines.append) is False
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0
    assert any(f"{len(demo.PROJECTS)} in-progress or completed demo proposals have no project"
               in line for line in lines)


def test_only_if_empty_leaves_a_database_with_proposals_alone(seeded):
    before = counts()
    assert demo.seed(only_if_empty=True, echo=quiet) is False
    assert counts() == before


def test_only_if_empty_loads_into_an_empty_database(app):
    assert demo.seed(only_if_empty=True, echo=quiet) is True
    assert counts()[1] == len(demo.PROPOSALS) + IDEAS_IN_CALLS  # and those of the calls


def test_the_chinese_demo_agrees_with_itself(seeded):
    """The library's staff are named in characters, the posts' 总馆 is a branch of that name, and
    an indicator counted in 人次 is named so."""
    from app.proposals.models import Branch
    staff = db.session.scalars(select(User.display_name).where(User.role != "patron")).all()
    assert staff and all(CJK.fullmatch(name[0]) for name in staff), staff
    branches = set(db.session.scalars(select(Branch.name_zh)))
    assert "总馆" in branches and "总图书馆" not in branches
    posts = " ".join(db.session.scalars(select(Proposal.problem)))
    assert "总馆" in posts and "总图书馆" not in posts
    for name, unit in db.session.execute(select(Indicator.name, Indicator.unit)):
        assert unit != "人次" or name.endswith("人次"), name

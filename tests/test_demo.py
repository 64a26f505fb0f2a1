import re

import pytest
from sqlalchemy import func, select

from app import demo
from app.auth.models import User
from app.extensions import db
from app.proposals import services, trending
from app.proposals.models import Comment, Proposal, ProposalEvent, Status, Support

CJK = re.compile(r"[\u4e00-\u9fff]")


def quiet(*_args, **_kwargs):
    pass


def counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Proposal, Support, Comment)
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
    assert demo.seed(echo=quiet) is False
    db.session.commit()
    assert counts() == before


def test_only_if_empty_leaves_a_database_with_proposals_alone(seeded):
    before = counts()
    assert demo.seed(only_if_empty=True, echo=quiet) is False
    assert counts() == before


def test_only_if_empty_loads_into_an_empty_database(app):
    assert demo.seed(only_if_empty=True, echo=quiet) is True
    assert counts()[1] == len(demo.PROPOSALS)

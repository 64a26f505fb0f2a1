"""What the public may read: the API and the feeds share these, and the pages the same lists,
so the line between public and private (`PUBLIC`) is drawn once.
"""
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.projects.models import Project, Rating, Volunteer
from app.projects.queries import outcomes, projects  # noqa: F401 (the lists)
from app.proposals import lifecycle
from app.proposals.models import Category, Comment, Proposal, ProposalEvent
from app.proposals.queries import PUBLIC
from app.statements import rows_in_order


def proposal(proposal_id: int) -> Proposal | None:
    return db.session.scalar(select(Proposal).where(Proposal.id == proposal_id, *PUBLIC))


def timeline(proposal: Proposal) -> list[ProposalEvent]:
    return lifecycle.timeline(proposal, None)  # as a visitor sees it: public notes only


def official_responses(proposal: Proposal) -> list[Comment]:
    return list(db.session.scalars(
        select(Comment).where(Comment.proposal_id == proposal.id, Comment.is_official.is_(True),
                              Comment.hidden_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    ))


def project_id_of(proposal: Proposal) -> int | None:
    return db.session.scalar(select(Project.id).where(Project.proposal_id == proposal.id))


def category_proposals(category: Category, limit: int = 50) -> list[Proposal]:
    """A category's proposals, the most recently published first (for its feed)."""
    published = func.coalesce(Proposal.published_at, Proposal.created_at)
    return rows_in_order(select(Proposal).where(Proposal.category_id == category.id, *PUBLIC)
                         .order_by(published.desc(), Proposal.id.desc()), limit)


def category(slug: str) -> Category | None:
    if len(slug) > 40 or not slug.isprintable():  # PostgreSQL refuses to compare a NUL
        return None
    return db.session.scalar(select(Category).where(Category.slug == slug))


def rated_at(outcome_ids: list[int]) -> dict[int, datetime]:
    """When each outcome was last rated: its count and average changed then."""
    if not outcome_ids:
        return {}
    return dict(db.session.execute(
        select(Rating.outcome_id, func.max(Rating.created_at))
        .where(Rating.outcome_id.in_(outcome_ids)).group_by(Rating.outcome_id)
    ).all())


def joined_at(project_ids: list[int]) -> dict[int, datetime]:
    """When each project last gained a volunteer or moved one up: its places changed then."""
    if not project_ids:
        return {}
    latest = func.max(func.coalesce(Volunteer.promoted_at, Volunteer.joined_at))
    return dict(db.session.execute(
        select(Volunteer.project_id, latest)
        .where(Volunteer.project_id.in_(project_ids)).group_by(Volunteer.project_id)
    ).all())

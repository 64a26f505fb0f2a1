"""Read-side queries for project and outcome pages."""
from dataclasses import dataclass

from sqlalchemy import extract, select

from app.extensions import db
from app.projects.models import Outcome, Project
from app.proposals.models import Branch, Category, Proposal

PROJECT_STATES = ("active", "completed")


@dataclass
class ListFilters:
    status: str = ""
    category: str = ""
    branch: str = ""
    year: int | None = None

    @classmethod
    def from_args(cls, args) -> "ListFilters":
        status = (args.get("status") or "")[:20]
        year = (args.get("year") or "")[:4]
        return cls(status=status if status in PROJECT_STATES else "",
                   category=_printable(args.get("category"))[:40],
                   branch=_printable(args.get("branch"))[:40],
                   year=int(year) if year.isascii() and year.isdigit()
                   and 2000 <= int(year) <= 2100 else None)


def _printable(value: str | None) -> str:
    """PostgreSQL refuses a NUL in any text parameter; control characters match no slug."""
    return "".join(ch for ch in (value or "")[:80] if ch.isprintable())


def _placed(statement, filters: ListFilters):
    if filters.category:
        statement = statement.join(Category, Category.id == Proposal.category_id) \
            .where(Category.slug == filters.category)
    if filters.branch:
        statement = statement.join(Branch, Branch.id == Proposal.branch_id) \
            .where(Branch.slug == filters.branch)
    return statement


def projects(filters: ListFilters, limit: int = 100) -> list[Project]:
    statement = select(Project).join(Proposal, Proposal.id == Project.proposal_id) \
        .where(Proposal.hidden_at.is_(None))
    if filters.status == "active":
        statement = statement.where(Project.completed_at.is_(None))
    elif filters.status == "completed":
        statement = statement.where(Project.completed_at.is_not(None))
    statement = _placed(statement, filters)
    return list(db.session.scalars(
        statement.order_by(Project.completed_at.is_not(None), Project.starts_on.desc(),
                           Project.id.desc()).limit(limit)).unique())


def outcomes(filters: ListFilters, limit: int = 100) -> list[Outcome]:
    statement = select(Outcome).join(Proposal, Proposal.id == Outcome.proposal_id) \
        .where(Proposal.hidden_at.is_(None))
    if filters.year:
        statement = statement.where(extract("year", Outcome.published_at) == filters.year)
    statement = _placed(statement, filters)
    return list(db.session.scalars(
        statement.order_by(Outcome.published_at.desc(), Outcome.id.desc()).limit(limit)).unique())


def outcome_years() -> list[int]:
    years = db.session.scalars(select(extract("year", Outcome.published_at)).distinct())
    return sorted({int(y) for y in years}, reverse=True)

"""Read-side queries for project and outcome pages (and, as statements, the API's and the
feeds' lists): a constant number of statements per page, whatever the number of projects."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, extract, select

from app.extensions import db
from app.projects.models import Outcome, Project
from app.proposals.models import Branch, Category, Proposal
from app.proposals.queries import PUBLIC, Page, page_from, page_number

PROJECT_STATES = ("active", "places", "completed")  # "places": under way, with free places
PROJECTS_PER_PAGE = 20
OUTCOMES_PER_PAGE = 10  # each shows its summary, measured change and timeline
# Years of a library's projects, ten to a page and more: any page a link offers, and no
# arithmetic overflow from a hostile number.
MAX_PAGE = 10_000


@dataclass
class ListFilters:
    status: str = ""
    category: str = ""
    branch: str = ""
    year: int | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ListFilters":
        status = (args.get("status") or "")[:20]
        year = (args.get("year") or "")[:4]
        return cls(status=status if status in PROJECT_STATES else "",
                   category=_printable(args.get("category"))[:40],
                   branch=_printable(args.get("branch"))[:40],
                   year=int(year) if year.isascii() and year.isdigit()
                   and 2000 <= int(year) <= 2100 else None,
                   page=page_number(args, MAX_PAGE))

    def args(self, **changes) -> dict:
        """The filters as a page's address wants them: none left empty, page 1 unsaid."""
        values = {"status": self.status, "category": self.category, "branch": self.branch,
                  "year": self.year, "page": self.page} | changes
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def _printable(value: str | None) -> str:
    """PostgreSQL refuses a NUL in any text parameter; control characters match no slug."""
    return "".join(ch for ch in (value or "")[:80] if ch.isprintable())


def _of_public_proposal(column, filters: ListFilters):
    """`column` holds the id of a public proposal in the chosen category and branch. Checked
    row by row, so a list walks its projects or outcomes, not every public proposal."""
    conditions = [Proposal.id == column, *PUBLIC]
    if filters.category:
        conditions.append(Proposal.category_id == select(Category.id)
                          .where(Category.slug == filters.category).scalar_subquery())
    if filters.branch:
        conditions.append(Proposal.branch_id == select(Branch.id)
                          .where(Branch.slug == filters.branch).scalar_subquery())
    return exists().where(*conditions)


def projects(filters: ListFilters) -> Select:
    """Public projects, the latest start first."""
    statement = select(Project).where(_of_public_proposal(Project.proposal_id, filters))
    if filters.status == "active":
        statement = statement.where(Project.completed_at.is_(None))
    elif filters.status == "places":
        statement = statement.where(Project.completed_at.is_(None),
                                    Project.members < Project.places)
    elif filters.status == "completed":
        statement = statement.where(Project.completed_at.is_not(None))
    return statement.order_by(Project.starts_on.desc(), Project.id.desc())


def outcomes(filters: ListFilters) -> Select:
    """Public outcomes, the latest first; a year as a range, so the index on the date serves."""
    statement = select(Outcome).where(_of_public_proposal(Outcome.proposal_id, filters))
    if filters.year:
        statement = statement.where(Outcome.published_at >= datetime(filters.year, 1, 1),
                                    Outcome.published_at < datetime(filters.year + 1, 1, 1))
    return statement.order_by(Outcome.published_at.desc(), Outcome.id.desc())


def project_page(filters: ListFilters) -> Page:
    """Projects under way first, then completed ones; each the latest start first."""
    under_way_first = projects(filters).order_by(None).order_by(
        Project.completed_at.is_not(None), Project.starts_on.desc(), Project.id.desc())
    return page_from(under_way_first, filters.page, PROJECTS_PER_PAGE)


def outcome_page(filters: ListFilters) -> Page:
    return page_from(outcomes(filters), filters.page, OUTCOMES_PER_PAGE)


def outcome_years() -> list[int]:
    years = db.session.scalars(select(extract("year", Outcome.published_at)).distinct())
    return sorted({int(y) for y in years}, reverse=True)

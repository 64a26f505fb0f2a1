"""Read-side queries for the workshop pages, the API and the feed."""
from dataclasses import dataclass

from sqlalchemy import Select, select

from app.extensions import db
from app.projects.models import Project
from app.proposals.models import Branch, Proposal
from app.proposals.queries import Page, page_from, page_number
from app.timeutil import utcnow
from app.workshops.models import Workshop

WHEN = ("upcoming", "past")
PER_PAGE = 20
MAX_PAGE = 10_000


@dataclass
class ListFilters:
    when: str = "upcoming"
    branch: str = ""
    project: int | None = None
    has_places: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ListFilters":
        when = (args.get("when") or "")[:10]
        project = (args.get("project") or "")[:9]
        branch = "".join(ch for ch in (args.get("branch") or "")[:40] if ch.isprintable())
        return cls(when=when if when in WHEN else "upcoming", branch=branch,
                   project=int(project) if project.isascii() and project.isdigit() else None,
                   has_places=args.get("places") == "1", page=page_number(args, MAX_PAGE))

    def args(self, **changes) -> dict:
        values = {"when": self.when, "branch": self.branch, "project": self.project,
                  "places": "1" if self.has_places else "", "page": self.page} | changes
        return {k: v for k, v in values.items()
                if v and not (k == "page" and v == 1) and not (k == "when" and v == "upcoming")}


def listing(filters: ListFilters) -> Select:
    """Upcoming: the soonest first, cancelled ones still shown (so a patron sees why); past:
    the latest first."""
    now = utcnow()
    statement = select(Workshop)
    if filters.when == "past":
        statement = statement.where(Workshop.ends_at <= now).order_by(Workshop.starts_at.desc(),
                                                                      Workshop.id.desc())
    else:
        statement = statement.where(Workshop.ends_at > now).order_by(Workshop.starts_at,
                                                                     Workshop.id)
    if filters.branch:
        statement = statement.where(Workshop.branch_id == select(Branch.id).where(
            Branch.slug == filters.branch).scalar_subquery())
    if filters.project:
        statement = statement.where(Workshop.project_id == filters.project)
    if filters.has_places:
        statement = statement.where(Workshop.registered < Workshop.places,
                                    Workshop.cancelled_at.is_(None))
    return statement


def page(filters: ListFilters) -> Page:
    return page_from(listing(filters), filters.page, PER_PAGE)


def projects_with_workshops() -> list[tuple[int, str]]:
    return _pairs(db.session.execute(
        select(Project.id, Proposal.title).join(Proposal, Proposal.id == Project.proposal_id)
        .where(select(Workshop.id).where(Workshop.project_id == Project.id).exists())
        .order_by(Proposal.title)).all())


def project_choices() -> list[tuple[int, str]]:
    """Projects under way, for the form."""
    return _pairs(db.session.execute(
        select(Project.id, Proposal.title).join(Proposal, Proposal.id == Project.proposal_id)
        .where(Project.completed_at.is_(None)).order_by(Proposal.title)).all())


def _pairs(rows) -> list[tuple[int, str]]:
    return [(ident, title) for ident, title in rows]


def newest(limit: int = 30) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(Workshop.cancelled_at.is_(None))
                                   .order_by(Workshop.created_at.desc(), Workshop.id.desc())
                                   .limit(limit)))


def public(*, when: str = "", branch: str = "") -> Select:
    """For the API: every workshop (cancelled ones say so), the latest start first."""
    statement = select(Workshop)
    if when == "past":
        statement = statement.where(Workshop.ends_at <= utcnow())
    elif when == "upcoming":
        statement = statement.where(Workshop.ends_at > utcnow())
    if branch:
        statement = statement.where(Workshop.branch_id == select(Branch.id).where(
            Branch.slug == branch).scalar_subquery())
    return statement.order_by(Workshop.starts_at.desc(), Workshop.id.desc())

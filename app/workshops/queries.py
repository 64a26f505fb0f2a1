"""Read-side queries for the workshop pages, the API and the feed."""
from dataclasses import dataclass

from sqlalchemy import Select, select

from app.extensions import db
from app.projects.models import Indicator, Milestone, Outcome, Project
from app.proposals.calls import Call
from app.proposals.models import Branch, Proposal
from app.proposals.queries import Page, page_from, page_number
from app.timeutil import utcnow
from app.workshops.models import Workshop, WorkshopLink

WHEN = ("upcoming", "past")
PER_PAGE = 20
MAX_PAGE = 10_000


@dataclass
class ListFilters:
    when: str = "upcoming"
    branch: str = ""
    project: int | None = None
    call: int | None = None
    has_places: bool = False
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "ListFilters":
        when = (args.get("when") or "")[:10]
        project = (args.get("project") or "")[:9]
        call = (args.get("call") or "")[:9]
        branch = "".join(ch for ch in (args.get("branch") or "")[:40] if ch.isprintable())
        return cls(when=when if when in WHEN else "upcoming", branch=branch,
                   project=int(project) if project.isascii() and project.isdigit() else None,
                   call=int(call) if call.isascii() and call.isdigit() else None,
                   has_places=args.get("places") == "1", page=page_number(args, MAX_PAGE))

    def args(self, **changes) -> dict:
        values = {"when": self.when, "branch": self.branch, "project": self.project,
                  "call": self.call, "places": "1" if self.has_places else "",
                  "page": self.page} | changes
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
    if filters.call:
        statement = statement.where(Workshop.call_id == filters.call)
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


def calls_with_workshops() -> list[tuple[int, str]]:
    calls = db.session.scalars(select(Call).where(
        select(Workshop.id).where(Workshop.call_id == Call.id).exists())
        .order_by(Call.collecting_starts_at.desc(), Call.id.desc()))
    return [(call.id, call.title) for call in calls]


def call_choices() -> list[tuple[int, str]]:
    """Every call, the latest to open first, for the form."""
    return [(call.id, call.title) for call in db.session.scalars(
        select(Call).order_by(Call.collecting_starts_at.desc(), Call.id.desc()))]


def of_call(call_id: int) -> list[Workshop]:
    """A call's workshops for its page, the soonest first."""
    return list(db.session.scalars(select(Workshop).where(Workshop.call_id == call_id)
                                   .order_by(Workshop.starts_at, Workshop.id)))


def _pairs(rows) -> list[tuple[int, str]]:
    return [(ident, title) for ident, title in rows]


def newest(limit: int = 30) -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).where(Workshop.cancelled_at.is_(None))
                                   .order_by(Workshop.created_at.desc(), Workshop.id.desc())
                                   .limit(limit)))


def public(*, when: str = "", branch: str = "", call: int | None = None) -> Select:
    """For the API: every workshop (cancelled ones say so), the latest start first."""
    statement = select(Workshop)
    if when == "past":
        statement = statement.where(Workshop.ends_at <= utcnow())
    elif when == "upcoming":
        statement = statement.where(Workshop.ends_at > utcnow())
    if branch:
        statement = statement.where(Workshop.branch_id == select(Branch.id).where(
            Branch.slug == branch).scalar_subquery())
    if call is not None:
        statement = statement.where(Workshop.call_id == call)
    return statement.order_by(Workshop.starts_at.desc(), Workshop.id.desc())


# What came out of a workshop (WorkshopLink): the workshop's page lists them; the proposal's and
# the project's pages say which workshops they came out of.

def links(workshop: Workshop) -> list[WorkshopLink]:
    return list(db.session.scalars(select(WorkshopLink).where(
        WorkshopLink.workshop_id == workshop.id).order_by(WorkshopLink.id)))


def public_links(workshop: Workshop) -> list[WorkshopLink]:
    """The links everyone sees: a proposal only while it is public."""
    return [link for link in links(workshop)
            if link.proposal is None or link.proposal.is_public]


def behind_proposal(proposal_id: int) -> list[Workshop]:
    """The workshops a proposal came out of."""
    return list(db.session.scalars(
        select(Workshop).join(WorkshopLink, WorkshopLink.workshop_id == Workshop.id)
        .where(WorkshopLink.proposal_id == proposal_id).order_by(Workshop.starts_at)))


def behind_project(project_id: int) -> list[Workshop]:
    """The workshops a milestone of the project, or an indicator of its outcome, came out of."""
    milestones = select(Milestone.id).where(Milestone.project_id == project_id)
    indicators = select(Indicator.id).join(Outcome, Outcome.id == Indicator.outcome_id).where(
        Outcome.project_id == project_id)
    return list(db.session.scalars(
        select(Workshop).where(select(WorkshopLink.id).where(
            WorkshopLink.workshop_id == Workshop.id,
            WorkshopLink.milestone_id.in_(milestones) | WorkshopLink.indicator_id.in_(indicators),
        ).exists()).order_by(Workshop.starts_at)))


def milestone_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Milestones by project (projects under way first), for the link form's groups."""
    rows = db.session.execute(
        select(Proposal.title, Milestone.id, Milestone.title)
        .join(Project, Project.id == Milestone.project_id)
        .join(Proposal, Proposal.id == Project.proposal_id)
        .order_by(Project.completed_at.is_not(None), Proposal.title, Milestone.position,
                  Milestone.id)).all()
    return _grouped(rows)


def indicator_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Outcome indicators by outcome, for the link form's groups."""
    rows = db.session.execute(
        select(Proposal.title, Indicator.id, Indicator.name)
        .join(Outcome, Outcome.id == Indicator.outcome_id)
        .join(Proposal, Proposal.id == Outcome.proposal_id)
        .order_by(Proposal.title, Indicator.position, Indicator.id)).all()
    return _grouped(rows)


def _grouped(rows) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for group, ident, label in rows:
        groups.setdefault(group, []).append((ident, label))
    return list(groups.items())

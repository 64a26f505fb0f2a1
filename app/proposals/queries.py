"""Read-side queries for the proposal pages: a constant number of statements per page."""
from dataclasses import dataclass, field, replace
from functools import lru_cache

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, Select, bindparam, func, select, union_all

from app.extensions import db
from app.proposals import search
from app.proposals.models import (
    PUBLIC_STATUSES,
    Branch,
    Category,
    Comment,
    Proposal,
    Status,
    Support,
)
from app.statements import rows_in_order

SORTS = {
    "trending": (_l("Trending"), Proposal.trending_score.desc()),
    "supported": (_l("Most supported"), Proposal.support_count.desc()),
    "newest": (_l("Newest"), Proposal.created_at.desc()),
    "active": (_l("Recently active"), Proposal.last_activity_at.desc()),
}
DEFAULT_SORT = "trending"
# What anyone may read: a published status (never submitted, changes requested, rejected or
# withdrawn), not hidden by flags. An outcome or a project is public when its proposal is.
PUBLIC = (Proposal.status.in_([s.value for s in PUBLIC_STATUSES]), Proposal.hidden_at.is_(None))
# Pages beyond this are not offered: each costs what it skips, and a reader 1,000 proposals
# deep is better served by a search or a filter (the API walks everything by keyset).
MAX_PAGE = 50


@dataclass
class Filters:
    q: str = ""
    category: str = ""
    branch: str = ""
    status: str = ""
    sort: str = DEFAULT_SORT
    page: int = 1
    call: int = 0  # only the proposals made in this call for ideas (0: any)

    @classmethod
    def from_args(cls, args) -> "Filters":
        """Hostile or unknown values fall back to defaults instead of failing."""
        def text_arg(name: str, limit: int = 200) -> str:
            value = (args.get(name) or "")[:limit * 2]
            # Control characters mean nothing here, and PostgreSQL refuses a NUL in any text.
            return "".join(ch for ch in value if ch.isprintable()).strip()[:limit]

        sort = text_arg("sort")
        status = text_arg("status")
        return cls(
            q=text_arg("q"), category=text_arg("category", 40), branch=text_arg("branch", 40),
            status=status if status in {s.value for s in PUBLIC_STATUSES} else "",
            sort=sort if sort in SORTS else DEFAULT_SORT,
            page=page_number(args, MAX_PAGE), call=call_number(args),
        )

    def args(self, **changes) -> dict:
        values = {"q": self.q, "category": self.category, "branch": self.branch,
                  "status": self.status, "sort": self.sort, "page": self.page,
                  "call": self.call} | changes
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)
                and not (k == "sort" and v == DEFAULT_SORT)}


@dataclass
class Page:
    items: list[Proposal]
    number: int
    has_next: bool
    supported_ids: set[int] = field(default_factory=set)
    more_than_shown: bool = False  # the last page offered, and more match
    start: int = 1  # the first item's position among all pages
    found: int | None = None  # how many a search matched (counted only for a search)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(args, most: int) -> int:
    """The `page` asked for, from 1 to `most`; anything else reads as the nearest of those."""
    try:
        return min(max(int(args.get("page", 1)), 1), most)
    except (TypeError, ValueError):
        return 1


def call_number(args, name: str = "call") -> int:
    """The call asked for: a positive id of at most 9 digits, else none (0)."""
    value = str(args.get(name) or "")
    return int(value) if value.isdecimal() and len(value) <= 9 else 0


def page_from(statement: Select, number: int, per_page: int) -> Page:
    """Page `number` of an ordered statement, with one row more to know if another follows."""
    rows = rows_in_order(statement, per_page + 1, (number - 1) * per_page)
    return Page(items=rows[:per_page], number=number, has_next=len(rows) > per_page,
                start=(number - 1) * per_page + 1)


def listing_statement(filters: Filters):
    statuses = [filters.status] if filters.status else [s.value for s in PUBLIC_STATUSES]
    statement = select(Proposal).where(Proposal.status.in_(statuses), Proposal.hidden_at.is_(None))
    if filters.category:
        statement = statement.join(Category).where(Category.slug == filters.category)
    if filters.branch:
        statement = statement.join(Branch).where(Branch.slug == filters.branch)
    if filters.call:
        statement = statement.where(Proposal.call_id == filters.call)
    matched = search.matching(filters.q)
    if matched is not None:
        statement = statement.where(matched)
    return statement.order_by(*_order(filters.sort))


def _order(sort: str) -> tuple:
    return SORTS[sort][1], Proposal.id.desc()


def page_of(filters: Filters, viewer=None, per_page: int = 20) -> Page:
    """One page plus one row to know if another follows: no COUNT over the whole table.

    The page's ids are chosen from the proposal table alone; only those rows are then joined to
    their category, branch and author (joining every match before sorting grew with the table).
    """
    rows = list(db.session.scalars(_page_statement(filters), {
        "reach": filters.page * per_page + 1, "limit": per_page + 1,
        "offset": (filters.page - 1) * per_page,
    }).unique())
    items, more = rows[:per_page], len(rows) > per_page
    last_offered = filters.page >= MAX_PAGE
    return Page(items=items, number=filters.page, has_next=more and not last_offered,
                supported_ids=supported_among(items, viewer),
                more_than_shown=more and last_offered, found=found(filters))


def found(filters: Filters) -> int | None:
    """How many proposals a search matches, for "12 proposals found"; None without a search,
    so browsing the list still counts nothing."""
    if not filters.q:
        return None
    ids = listing_statement(filters).with_only_columns(Proposal.id).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(ids))


# The page's bounds, given when the statement runs: a statement is built once, run many times.
_LIMIT, _OFFSET, _REACH = (bindparam(name, type_=Integer) for name in ("limit", "offset", "reach"))


def _page_statement(filters: Filters) -> Select:
    if filters.q or filters.status:
        return _rows_of(listing_statement(filters).with_only_columns(Proposal.id), filters.sort)
    return _status_by_status(filters.sort, filters.category, filters.branch, filters.call)


@lru_cache(maxsize=512)
def _status_by_status(sort: str, category: str, branch: str, call: int = 0) -> Select:
    """Without a search or a status filter, status by status: each walks its own
    (status, sort) index for just the rows a page can need (`reach`), so the first pages cost
    the same with a thousand proposals or a million. Over all public statuses at once neither
    SQLite nor PostgreSQL can read those indexes in order: they sorted every public proposal.
    Kept per sort and place, as building it costs more than running it."""
    return _rows_of(_ids_status_by_status(
        Filters(category=category, branch=branch, sort=sort, call=call)), sort)


def _ids_status_by_status(filters: Filters, *conditions, reach=_REACH) -> Select:
    key = SORTS[filters.sort][1].element
    per_status = [
        listing_statement(replace(filters, status=status.value)).where(*conditions)
        .with_only_columns(Proposal.id, key.label("key")).limit(reach).subquery()
        for status in PUBLIC_STATUSES
    ]
    merged = union_all(*(select(part) for part in per_status)).subquery()
    return select(merged.c.id).order_by(merged.c.key.desc(), merged.c.id.desc())


def listing_after(filters: Filters, *conditions, reach: int) -> Select:
    """The listing's rows that meet `conditions` (the API's cursor), of which the first `reach`
    will be read: without a search or a status filter, chosen status by status as a page's."""
    if filters.q or filters.status:
        return listing_statement(filters).where(*conditions)
    ids = _ids_status_by_status(filters, *conditions, reach=reach).limit(reach).subquery()
    return select(Proposal).where(Proposal.id.in_(select(ids.c.id))).order_by(
        *_order(filters.sort))


def _rows_of(ids: Select, sort: str) -> Select:
    chosen = ids.limit(_LIMIT).offset(_OFFSET).subquery()
    return select(Proposal).where(Proposal.id.in_(select(chosen.c.id))).order_by(*_order(sort))


def supported_among(proposals: list[Proposal], viewer) -> set[int]:
    return supported_ids([p.id for p in proposals], viewer)


# Built once: each signed-in list page runs it, and building it cost more than running it.
_SUPPORTED = select(Support.proposal_id).where(
    Support.user_id == bindparam("viewer", type_=Integer),
    Support.proposal_id.in_(bindparam("ids", expanding=True, type_=Integer)))


def supported_ids(ids, viewer) -> set[int]:
    """Which of these proposals the viewer supports: one indexed query."""
    if not ids or viewer is None or not viewer.is_authenticated:
        return set()
    return set(db.session.scalars(_SUPPORTED, {"viewer": viewer.id, "ids": list(ids)}))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def branches() -> list[Branch]:
    return list(db.session.scalars(select(Branch).order_by(Branch.position, Branch.id)))


def place_choices() -> dict:
    """Categories and branches, read once a request however many forms list them (the
    moderation queue has one per proposal)."""
    if "place_choices" not in g:
        g.place_choices = {"categories": categories(), "branches": branches()}
    return g.place_choices


def comments_of(proposal: Proposal) -> list[Comment]:
    return list(db.session.scalars(
        select(Comment).where(Comment.proposal_id == proposal.id)
        .order_by(Comment.is_official.desc(), Comment.created_at)
    ))


def status_choices():
    return [(s.value, s.label) for s in PUBLIC_STATUSES]


def project_of(proposal: Proposal):
    if proposal.state not in (Status.IN_PROGRESS, Status.COMPLETED):
        return None  # a project starts with an accepted proposal (lifecycle.Action.START)
    return proposal.project  # the relationship app/projects/models.py adds to proposals

"""Flags from patrons and the staff decisions on them. Flush, never commit."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import events, settings
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.media import services as media
from app.media.models import MediaFile
from app.moderation import policies
from app.moderation.models import Flag, Reason, Resolution
from app.projects.models import Outcome, Project, ProjectUpdate
from app.proposals import policies as proposal_policies
from app.proposals import search
from app.proposals.lifecycle import MERGE_TARGETS
from app.proposals.models import Comment, Proposal, Status
from app.proposals.services import answered
from app.statements import rows_in_order
from app.timeutil import utcnow

Subject = Proposal | Comment | MediaFile


def _column(subject: Subject):
    if isinstance(subject, Proposal):
        return Flag.proposal_id
    return Flag.media_file_id if isinstance(subject, MediaFile) else Flag.comment_id


def _subject_filter(subject: Subject):
    return _column(subject) == subject.id


def _author_id(subject: Subject) -> int:
    return subject.owner_id if isinstance(subject, MediaFile) else subject.author_id


def flag(subject: Subject, *, by: User, reason: str, note: str = "") -> Flag:
    """One flag per patron and item; enough distinct patrons hide it until staff look (a photo:
    that photo alone, what carries it stays)."""
    try:
        reason = Reason(reason).value
    except ValueError:
        raise Refused(_("Choose a reason from the list."), field="reason") from None
    if _author_id(subject) == by.id:
        raise Refused(_("You cannot flag what you wrote yourself.")
                      if not isinstance(subject, MediaFile) else
                      _("You cannot flag a photo you added yourself."))
    if isinstance(subject, MediaFile) and (not subject.is_image or subject.is_pending):
        raise Refused(_("Only a photo others can see can be flagged."))
    record = Flag(user_id=by.id, reason=reason, note=(note or "").strip()[:1000],
                  **{_column(subject).key: subject.id})
    try:
        with db.session.begin_nested():
            db.session.add(record)
    except IntegrityError:
        raise Refused(_("You have already flagged this. Library staff will look at it.")) from None
    if subject.hidden_at is None and open_flag_count(subject) >= settings.get("flag_threshold"):
        subject.hidden_at = utcnow()
    db.session.flush()
    return record


def open_flag_count(subject) -> int:
    return db.session.scalar(select(func.count(func.distinct(Flag.user_id))).where(
        _subject_filter(subject), Flag.resolved_at.is_(None))) or 0


def resolve(subject: Subject, *, by: User, uphold: bool, note: str = "") -> None:
    """Uphold keeps the item hidden (a photo: that photo alone); dismiss restores it. Either way
    the flags are closed."""
    if not policies.can_moderate(by):
        raise Refused(_("Only library staff can decide on flags."))
    now = utcnow()
    db.session.execute(update(Flag).where(_subject_filter(subject), Flag.resolved_at.is_(None))
                       .values(resolved_at=now, resolved_by_id=by.id,
                               resolution=(Resolution.UPHELD if uphold
                                           else Resolution.DISMISSED).value))
    subject.hidden_at = (subject.hidden_at or now) if uphold else None
    db.session.flush()
    events.flags_resolved.send(subject, by=by, upheld=uphold, note=note)


def hide_photo(photo: MediaFile, *, by: User, hidden: bool) -> None:
    """Staff hide a photo or show it again from the page it is on; flags still open on it are
    decided with it (upheld by hiding, dismissed by showing), so none waits in the queue."""
    if open_flag_count(photo):
        resolve(photo, by=by, uphold=hidden)
    else:
        media.hide(photo, by=by, hidden=hidden)


def hide_comment(comment: Comment, *, by: User, hidden: bool, note: str = "") -> None:
    if not policies.can_hide(by, comment):
        raise Refused(_("Only library staff can hide or restore comments."))
    comment.hidden_at = utcnow() if hidden else None
    db.session.flush()
    events.comment_hidden.send(comment, by=by, hidden=hidden, note=note)


def set_official(comment: Comment, *, by: User, official: bool = True) -> None:
    if not proposal_policies.can_mark_official(by, comment):
        raise Refused(_("Only library staff can mark the library's official response."))
    comment.is_official = official
    if official:
        answered(db.session.get(Proposal, comment.proposal_id), utcnow())
    db.session.flush()
    events.official_response_marked.send(comment, by=by, official=official)


def set_feasibility(proposal: Proposal, *, by: User, note: str) -> None:
    """Constraints (cost, space, staffing, licences) shown while the library decides."""
    if not policies.can_assess(by):
        raise Refused(_("Only library staff can add a feasibility note."))
    if proposal.state is not Status.UNDER_REVIEW:
        raise Refused(_("A feasibility note belongs to a proposal under review."), field="note")
    proposal.feasibility_note = note.strip() or None
    if proposal.feasibility_note:
        answered(proposal, utcnow())
    db.session.flush()
    events.feasibility_noted.send(proposal, by=by, note=note)


def classify(proposal: Proposal, *, by: User, category_id: int, branch_id: int) -> None:
    if not policies.can_classify(by, proposal):
        raise Refused(_("Only library staff can change the category or branch."))
    was = proposal.branch_id, proposal.category_id
    proposal.category_id, proposal.branch_id = category_id, branch_id
    db.session.flush()
    events.classification_changed.send(proposal, by=by, was_branch_id=was[0],
                                       was_category_id=was[1])


SECTIONS = ("overdue", "submitted", "due", "flagged")
PER_SECTION = 20


@dataclass
class Section:
    """One page of a queue section, and how many items the whole section holds."""
    items: list
    total: int
    number: int = 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number * PER_SECTION < self.total


def queue(now, sections=SECTIONS, page: int = 1) -> dict[str, Section]:
    """What staff must look at: overdue answers first, then new proposals, then flags; a page
    of each with its size, so the queue costs the same with ten items waiting or ten thousand."""
    under_review = Proposal.status == Status.UNDER_REVIEW.value
    proposals = {
        "overdue": (select(Proposal).where(under_review, Proposal.response_due_at < now)
                    .order_by(Proposal.response_due_at, Proposal.id)),
        "submitted": (select(Proposal).where(Proposal.status == Status.SUBMITTED.value)
                      .order_by(Proposal.created_at, Proposal.id)),
        "due": (select(Proposal).where(under_review, Proposal.response_due_at >= now)
                .order_by(Proposal.response_due_at, Proposal.id)),
    }
    return {name: flagged(page) if name == "flagged" else _section(proposals[name], page)
            for name in sections}


def _section(statement, page: int) -> Section:
    total = db.session.scalar(statement.with_only_columns(func.count()).order_by(None))
    return Section(rows_in_order(statement, PER_SECTION, (page - 1) * PER_SECTION), total, page)


def flagged(page: int = 1) -> Section:
    """Items with open flags, the most-flagged first, with the reasons given."""
    flaggers = func.count(func.distinct(Flag.user_id))
    open_flags = (select(Flag.proposal_id, Flag.comment_id, Flag.media_file_id, flaggers)
                  .where(Flag.resolved_at.is_(None))
                  .group_by(Flag.proposal_id, Flag.comment_id, Flag.media_file_id))
    total = db.session.scalar(select(func.count()).select_from(open_flags.subquery()))
    rows = db.session.execute(open_flags.order_by(flaggers.desc(), func.min(Flag.created_at))
                              .limit(PER_SECTION).offset((page - 1) * PER_SECTION)).all()
    proposals = _by_id(Proposal, [row.proposal_id for row in rows if row.proposal_id])
    comments = _by_id(Comment, [row.comment_id for row in rows if row.comment_id])
    photos = _by_id(MediaFile, [row.media_file_id for row in rows if row.media_file_id])
    reasons: dict[tuple, list[Flag]] = {}
    for each in db.session.scalars(select(Flag).where(Flag.resolved_at.is_(None), or_(
            Flag.proposal_id.in_(list(proposals)), Flag.comment_id.in_(list(comments)),
            Flag.media_file_id.in_(list(photos)))).options(selectinload(Flag.user))
            .order_by(Flag.created_at, Flag.id)):
        reasons.setdefault((each.proposal_id, each.comment_id, each.media_file_id),
                           []).append(each)
    carriers = carriers_of(list(photos.values()))
    items = []
    for row in rows:
        kind = "photo" if row.media_file_id else "comment" if row.comment_id else "proposal"
        subject = {"proposal": proposals.get(row.proposal_id), "comment":
                   comments.get(row.comment_id), "photo": photos.get(row.media_file_id)}[kind]
        items.append({"subject": subject, "kind": kind, "is_comment": kind == "comment",
                      "flaggers": row[3], "carrier": carriers.get(row.media_file_id),
                      "flags": reasons.get(tuple(row[:3]), [])})
    return Section(items, total, page)


@dataclass
class Carrier:
    """What a flagged photo is on, for staff to open: its kind, its title, and its page."""
    kind: str
    title: str
    proposal_id: int
    project_id: int | None = None


def carrier_of(photo: MediaFile) -> Carrier | None:
    """The proposal, project update or outcome a photo is on; None while it is pending."""
    return carriers_of([photo]).get(photo.id)


def carriers_of(photos: list[MediaFile]) -> dict[int, Carrier]:
    """What each photo is on, by the photo's id: a statement per kind of carrier, however many
    photos."""
    found: dict[int, Carrier] = {}
    on_proposals = {photo.proposal_id for photo in photos if photo.proposal_id is not None}
    if on_proposals:
        titles = {row.id: row.title for row in db.session.execute(
            select(Proposal.id, Proposal.title).where(Proposal.id.in_(on_proposals)))}
        for photo in photos:
            if photo.proposal_id in titles:
                found[photo.id] = Carrier("proposal", titles[photo.proposal_id],
                                          photo.proposal_id)
    for kind, model, column in (("update", ProjectUpdate, "update_id"),
                                ("outcome", Outcome, "outcome_id")):
        ids = {getattr(photo, column) for photo in photos if getattr(photo, column) is not None}
        if not ids:
            continue
        rows = {row.id: row for row in db.session.execute(
            select(model.id, Project.id.label("project_id"), Proposal.id.label("proposal_id"),
                   Proposal.title).join(Project, Project.id == model.project_id)
            .join(Proposal, Proposal.id == Project.proposal_id).where(model.id.in_(ids)))}
        for photo in photos:
            row = rows.get(getattr(photo, column))
            if row is not None:
                found[photo.id] = Carrier(kind, row.title, row.proposal_id, row.project_id)
    return found


def _by_id(model, ids: list[int]) -> dict:
    if not ids:
        return {}
    return {row.id: row for row in
            db.session.scalars(select(model).where(model.id.in_(ids))).unique()}


def merge_candidates(source: Proposal, query: str, limit: int = 10) -> list[Proposal]:
    """Proposals a duplicate can merge into, matching every term of the query (a title's words,
    or its number), the most supported first."""
    statement = select(Proposal).where(
        Proposal.id != source.id, Proposal.hidden_at.is_(None),
        Proposal.status.in_([status.value for status in MERGE_TARGETS]))
    number = query.strip().lstrip("#")
    if number.isdecimal() and len(number) < 10:
        statement = statement.where(Proposal.id == int(number))
    else:
        matched = search.matching(query)
        if matched is None:
            return []
        statement = statement.where(matched)
    return list(db.session.scalars(
        statement.order_by(Proposal.support_count.desc(), Proposal.id.desc()).limit(limit)))

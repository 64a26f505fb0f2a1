"""Proposal rules: writing, editing, supporting, commenting. Flush, never commit."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, exists, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app import events
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.i18n import moment as shown_moment
from app.proposals import lifecycle, policies, trending
from app.proposals.calls import Call, Phase, clock
from app.proposals.models import (
    SUPPORTABLE_STATUSES,
    Comment,
    Origin,
    Proposal,
    Status,
    Support,
    WithdrawReason,
)
from app.statements import dialect_insert, prepared, run
from app.timeutil import utcnow


def _origin(author: User, entered_by: User | None) -> Origin:
    if entered_by is not None:
        return Origin.DESK
    return Origin.STAFF if author.is_staff else Origin.ONLINE


def create(
    *, author: User, title: str, problem: str, suggestion: str, category_id: int,
    branch_id: int, hide_name: bool = False, entered_by: User | None = None,
    call: Call | None = None,
) -> Proposal:
    if entered_by is not None and not policies.can_enter_for_patron(entered_by):
        raise Refused(_("Only library staff can enter a proposal for a patron."))
    now = utcnow()
    if call is not None:
        refuse_unless_collecting(call, clock())
    proposal = Proposal(
        author_id=author.id, title=title.strip(), problem=problem, suggestion=suggestion,
        category_id=category_id, branch_id=branch_id, hide_name=hide_name,
        origin=_origin(author, entered_by).value,
        entered_by_id=entered_by.id if entered_by else None,
        status=Status.SUBMITTED.value, created_at=now, updated_at=now, last_activity_at=now,
        trending_score=trending.weight(now), call_id=call.id if call else None,
    )
    db.session.add(proposal)
    db.session.flush()
    lifecycle.record_creation(proposal, entered_by or author)
    events.proposal_created.send(proposal, by=author, entered_by=entered_by)
    moderator = entered_by or author
    if moderator.is_staff:  # staff are moderators: what they enter is published at once
        lifecycle.transition(proposal, lifecycle.Action.PUBLISH, by=moderator)
    return proposal


def refuse_unless_collecting(call: Call, now) -> None:
    """A call takes new proposals only while it collects ideas; the refusal says when."""
    why = collecting_closed(call, now)
    if why:
        raise Refused(why)


def collecting_closed(call: Call, now) -> str:
    """Why the call takes no proposal now, or "" while it collects ideas."""
    if call.phase(now) is Phase.UPCOMING:
        return _("This call opens for ideas on %(moment)s. Come back then.",
                 moment=shown_moment(call.collecting_starts_at))
    if call.phase(now) is not Phase.COLLECTING:
        return _("This call stopped collecting ideas on %(moment)s. You can still propose "
                 "outside the call.", moment=shown_moment(call.collecting_ends_at))
    return ""


def edit(proposal: Proposal, *, by: User, **fields) -> None:
    if not policies.can_edit(by, proposal):
        raise Refused(_("This proposal can no longer be edited: staff have reviewed it."))
    was = proposal.branch_id, proposal.category_id
    for name in ("title", "problem", "suggestion", "category_id", "branch_id", "hide_name"):
        if name in fields:
            setattr(proposal, name, fields[name].strip() if name == "title" else fields[name])
    proposal.updated_at = utcnow()
    db.session.flush()
    events.proposal_edited.send(proposal, by=by, was_branch_id=was[0], was_category_id=was[1])


def has_supported(proposal: Proposal, user) -> bool:
    if not policies.is_signed_in(user):
        return False
    return bool(db.session.scalar(select(exists().where(
        Support.user_id == user.id, Support.proposal_id == proposal.id
    ))))


def _insert_support_ignoring_duplicates(user_id: int, proposal_id: int, now: datetime) -> bool:
    inserted = run(prepared(_support_inserted), {
        "user_id": user_id, "proposal_id": proposal_id, "created_at": now})
    return inserted.scalar() is not None


def _refuse_unless_taking_supports(proposal: Proposal) -> None:
    """Supports are counted while a proposal is open or under review; after that (accepted,
    declined, completed…) its count is what the library decided on, and stays."""
    if not proposal.takes_support:
        if proposal.call_id is not None and proposal.state in SUPPORTABLE_STATUSES:
            raise Refused(_("The call this proposal was made in no longer takes supports (or "
                            "does not yet): none can be added or withdrawn now."))
        raise Refused(_("This proposal no longer takes supports: none can be added or "
                        "withdrawn."))


def support(proposal: Proposal, user: User) -> bool:
    """Add the user's support; a second click or a concurrent one changes nothing."""
    _refuse_unless_taking_supports(proposal)
    now = utcnow()
    if _insert_support_ignoring_duplicates(user.id, proposal.id, now):
        _change_counts(proposal, _one_more, weight=trending.weight(now), moment=now)
        events.support_added.send(proposal, by=user, at=now)
        lifecycle.reach_threshold(proposal)  # reloads it if it moves it
    else:
        _reread_counts(proposal)  # a concurrent click counted it: show that count
    return True


def withdraw_support(proposal: Proposal, user: User) -> bool:
    if not _delete_support(proposal, user):
        _reread_counts(proposal)  # nothing to withdraw (a double click): show the count
    return False


def _delete_support(proposal: Proposal, user: User) -> bool:
    _refuse_unless_taking_supports(proposal)
    given_at = run(prepared(_support_deleted), {
        "user_id": user.id, "proposal_id": proposal.id}).scalar()
    if given_at is None:
        return False
    _change_counts(proposal, _one_less, weight=trending.weight(given_at))
    events.support_withdrawn.send(proposal, by=user, given_at=given_at)
    return True


# What a support changes: read back with the change, so the page shows the database's values.
# The statements of a click are built once (`prepared`): building them cost more than running them.
_COUNTED = ("support_count", "trending_score", "last_activity_at", "status")
_SUPPORT, _PROPOSAL = Support.__table__, Proposal.__table__


def _change_counts(proposal: Proposal, change, **values) -> None:
    """Counted in the database, not in Python: exact under concurrent clicks."""
    _show(proposal, run(prepared(change), {"proposal": proposal.id, **values}).one())


def _reread_counts(proposal: Proposal) -> None:
    _show(proposal, run(prepared(_counts), {"proposal": proposal.id}).one())


def _show(proposal: Proposal, row) -> None:
    # As loaded, not as changed: no reload, and nothing for the next flush to write.
    for name, value in zip(_COUNTED, row, strict=True):
        set_committed_value(proposal, name, value)


def _support_inserted():
    return (dialect_insert(_SUPPORT).values(
        {name: bindparam(name) for name in ("user_id", "proposal_id", "created_at")})
        .on_conflict_do_nothing().returning(_SUPPORT.c.id))


def _support_deleted():
    return (delete(_SUPPORT).where(_SUPPORT.c.user_id == bindparam("user_id"),
                                   _SUPPORT.c.proposal_id == bindparam("proposal_id"))
            .returning(_SUPPORT.c.created_at))


def _counted(**values):
    return (update(_PROPOSAL).where(_PROPOSAL.c.id == bindparam("proposal")).values(**values)
            .returning(*(_PROPOSAL.c[name] for name in _COUNTED)))


def _one_more():
    column = _PROPOSAL.c
    return _counted(support_count=column.support_count + 1,
                    trending_score=column.trending_score + bindparam("weight"),
                    last_activity_at=bindparam("moment", type_=column.last_activity_at.type))


def _one_less():
    column = _PROPOSAL.c
    return _counted(support_count=column.support_count - 1,
                    trending_score=column.trending_score - bindparam("weight"))


def _counts():
    return select(*(_PROPOSAL.c[name] for name in _COUNTED)).where(
        _PROPOSAL.c.id == bindparam("proposal"))


def toggle_support(proposal: Proposal, user: User, want: str | None = None) -> bool:
    """Returns whether the user supports the proposal afterwards.

    `want` is what the button the patron saw asked for ("support" or "withdraw"), so a double
    click or a stale page never undoes what the patron meant; without it the state flips.
    """
    if want == "support":
        return support(proposal, user)
    if want == "withdraw":
        return withdraw_support(proposal, user)
    # The flip: withdraw a support if there is one, else add one. No statement asks first.
    return False if _delete_support(proposal, user) else support(proposal, user)


def withdraw(proposal: Proposal, *, by: User, reason: str, details: str = "") -> None:
    """The author withdraws, saying why: the public reads the reason on the proposal."""
    try:
        because = WithdrawReason(reason)
    except ValueError:
        raise Refused(_("Choose why you withdraw the proposal."), field="reason") from None
    details = (details or "").strip()
    if because is WithdrawReason.OTHER and not details:
        raise Refused(_("Please say in a few words why you withdraw it."), field="details")
    lifecycle.transition(proposal, lifecycle.Action.WITHDRAW, by=by, note=details)
    proposal.withdraw_reason = because.value
    db.session.flush()


def add_comment(proposal: Proposal, *, author: User, body: str, official: bool = False,
                reply_to: Comment | None = None) -> Comment:
    if not proposal.is_public:
        raise Refused(_("Comments open once the proposal is published."))
    if reply_to is not None and (reply_to.proposal_id != proposal.id
                                 or not policies.can_reply(author, reply_to)):
        raise Refused(_("This comment cannot be answered: replies go one level deep, to "
                        "comments that are still shown."))
    now = utcnow()
    comment = Comment(proposal_id=proposal.id, author_id=author.id, body=body, created_at=now,
                      is_official=author.is_staff and official and reply_to is None,
                      parent_id=reply_to.id if reply_to is not None else None)
    db.session.add(comment)
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(
            comment_count=Proposal.comment_count + 1, last_activity_at=now,
        )
    )
    if comment.is_official:
        answered(proposal, now)
    db.session.flush()
    events.comment_added.send(comment, proposal=proposal, by=author)
    return comment


def answered(proposal: Proposal, moment) -> None:
    """The first public staff answer: what the response promise measures."""
    if proposal.first_answer_at is None:
        proposal.first_answer_at = moment


def edit_comment(comment: Comment, *, by: User, body: str) -> None:
    if not policies.can_edit_comment(by, comment):
        raise Refused(_("A comment can be edited by its author for 15 minutes after posting."))
    comment.body = body
    comment.edited_at = utcnow()
    db.session.flush()
    events.comment_edited.send(comment, by=by)


def delete_comment(comment: Comment, *, by: User) -> None:
    """The words go; the place stays, so replies keep their context."""
    if not policies.can_delete_comment(by, comment):
        raise Refused(_("Only its author can delete a comment."))
    comment.body = ""
    comment.deleted_at = utcnow()
    db.session.flush()
    events.comment_deleted.send(comment, by=by)

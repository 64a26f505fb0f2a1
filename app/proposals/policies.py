"""Who may do what with proposals: one function each, used by every route and service."""
from datetime import timedelta

from app.auth.models import User
from app.auth.policies import is_signed_in, is_staff
from app.proposals.models import Comment, Proposal, Status
from app.timeutil import utcnow

EDITABLE_BY_AUTHOR = (Status.SUBMITTED, Status.CHANGES_REQUESTED)
COMMENT_EDIT_WINDOW = timedelta(minutes=15)  # long enough to fix a typo, not to rewrite a debate


def can_view(user, proposal: Proposal) -> bool:
    """Published, unhidden proposals are public; the rest only for their author and staff."""
    if proposal.is_public or proposal.stays_readable:
        return True
    return is_staff(user) or (is_signed_in(user) and user.id == proposal.author_id)


def can_edit(user, proposal: Proposal) -> bool:
    """The author edits until staff publish it (and again when asked for changes);
    staff may always correct."""
    if is_staff(user):
        return True
    return (
        is_signed_in(user)
        and user.id == proposal.author_id
        and proposal.state in EDITABLE_BY_AUTHOR
    )


def can_comment(user, proposal: Proposal) -> bool:
    """Signed-in people discuss a proposal once it is published."""
    return is_signed_in(user) and proposal.is_public


def _wrote(user, comment: Comment) -> bool:
    return is_signed_in(user) and user.id == comment.author_id and comment.deleted_at is None


def can_edit_comment(user, comment: Comment) -> bool:
    """Its author, for a quarter of an hour after posting it."""
    return _wrote(user, comment) and utcnow() - comment.created_at <= COMMENT_EDIT_WINDOW


def can_delete_comment(user, comment: Comment) -> bool:
    """Its author, at any time: the comment's place in the thread stays, marked deleted."""
    return _wrote(user, comment)


def can_reply(user, comment: Comment) -> bool:
    """Replies go one level deep: a reply answers a comment that is not itself a reply."""
    return (is_signed_in(user) and comment.parent_id is None and comment.deleted_at is None
            and comment.hidden_at is None)


def can_read(user, comment: Comment) -> bool:
    """A hidden comment's words stay readable to its author and to staff, who judge it."""
    if not comment.hidden_at:
        return True
    return is_staff(user) or (is_signed_in(user) and user.id == comment.author_id)


def can_enter_for_patron(user: User, proposal: Proposal | None = None) -> bool:
    return is_staff(user)


def can_mark_official(user, comment: Comment | None = None) -> bool:
    return is_staff(user)


def must_confirm_email(user) -> bool:
    """When the library requires it, patrons confirm their address before proposing."""
    from flask import current_app

    return (current_app.config["REQUIRE_EMAIL_VERIFICATION"] and is_signed_in(user)
            and not user.is_staff and user.email_verified_at is None)

"""Who may do what with proposals: one function each, used by every route and service."""
from app.auth.models import User
from app.proposals.models import Proposal, Status

EDITABLE_BY_AUTHOR = (Status.SUBMITTED, Status.CHANGES_REQUESTED)


def is_signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def is_staff(user) -> bool:
    return is_signed_in(user) and user.is_staff


def can_view(user, proposal: Proposal) -> bool:
    """Published, unhidden proposals are public; the rest only for their author and staff."""
    if proposal.is_public:
        return True
    return is_staff(user) or (is_signed_in(user) and user.id == proposal.author_id)


def can_flag(user, subject) -> bool:
    return is_signed_in(user) and user.id != subject.author_id


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


def can_enter_for_patron(user: User) -> bool:
    return is_staff(user)


def can_mark_official(user) -> bool:
    return is_staff(user)


def must_confirm_email(user) -> bool:
    """When the library requires it, patrons confirm their address before proposing."""
    from flask import current_app

    return (current_app.config["REQUIRE_EMAIL_VERIFICATION"] and is_signed_in(user)
            and not user.is_staff and user.email_verified_at is None)

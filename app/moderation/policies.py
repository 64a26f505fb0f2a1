"""Who may decide on proposals and comments: one function each, asked by the routes (about the
role alone, `obj` left out) and by the templates (about this proposal or comment, now)."""
from app.auth.policies import is_signed_in, is_staff
from app.media import services as media
from app.media.models import MediaFile
from app.proposals import lifecycle
from app.proposals.models import Comment, Proposal, Status

TRIAGE = (Status.SUBMITTED, Status.OPEN, Status.UNDER_REVIEW)


def can_moderate(user, obj=None) -> bool:
    """The queue and the decisions on flags are library staff's."""
    return is_staff(user)


def can_take(user, proposal: Proposal, action: lifecycle.Action) -> bool:
    """The role boundary of a life-cycle step: staff take staff's steps, the author the author's.
    Whether this is the moment for it is the life cycle's to say, as a readable refusal."""
    if lifecycle.RULES[action].who is lifecycle.Who.STAFF:
        return is_staff(user)
    return is_signed_in(user) and user.id == proposal.author_id


def can_classify(user, proposal: Proposal | None = None) -> bool:
    """Staff correct a proposal's category and branch at any time, from its page."""
    return is_staff(user)


def can_triage(user, proposal: Proposal) -> bool:
    """The queue offers to classify a proposal while it is still being sorted."""
    return can_classify(user, proposal) and proposal.state in TRIAGE


def can_assess(user, proposal: Proposal | None = None) -> bool:
    """A feasibility note is written by staff while the proposal is under review."""
    return is_staff(user) and (proposal is None or proposal.state is Status.UNDER_REVIEW)


def can_flag(user, subject: Proposal | Comment | MediaFile) -> bool:
    """Anyone signed in flags what someone else wrote or added, while it is there for all to
    see (a photo: one they may see, on what they may see, not hidden)."""
    if not is_signed_in(user):
        return False
    if isinstance(subject, MediaFile):
        return (user.id != subject.owner_id and subject.is_image and not subject.is_pending
                and subject.hidden_at is None and media.visible(subject, user))
    if user.id == subject.author_id:
        return False
    return subject.is_public if isinstance(subject, Proposal) else not subject.hidden_at


def can_hide(user, comment: Comment | None = None) -> bool:
    return is_staff(user)


def can_undo_merge(user, proposal: Proposal | None = None) -> bool:
    """Staff undo a merge from the merged proposal's page (within a day: app/moderation/
    merges.py says whether it still can be, with a readable refusal)."""
    return is_staff(user) and (proposal is None or proposal.state is Status.MERGED)

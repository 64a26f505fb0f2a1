"""The proposal page and the rule that finds a proposal for a viewer: the proposals' own routes
use them, and moderation re-renders the page with a refusal."""
from flask import abort, render_template
from flask_login import current_user

from app.extensions import db
from app.media import services as media
from app.proposals import lifecycle, policies, posting, queries, services
from app.proposals.forms import CommentForm, ReplyForm
from app.proposals.models import Comment, Proposal, ProposalEvent, Status
from app.timeutil import utcnow

DECIDED = (Status.ACCEPTED.value, Status.DECLINED.value)


def visible_or_404(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    if not policies.can_view(current_user, proposal):
        abort(404)  # unpublished proposals do not exist for others
    return proposal


def detail_page(proposal: Proposal, comment_form: CommentForm | None = None, status: int = 200,
                *, reply_form: ReplyForm | None = None, reply_to: Comment | None = None):
    """The proposal page; other features re-render it with a refusal (422)."""
    if comment_form is None and current_user.is_authenticated:  # visitors get no comment form
        comment_form = CommentForm(formdata=None, once=posting.new_token())
    timeline = lifecycle.timeline(proposal, current_user)
    comments = queries.comments_of(proposal)
    return render_template(
        "proposals/detail.html", proposal=proposal, comments=comments,
        threads=threads(comments), supported=services.has_supported(proposal, current_user),
        comment_form=comment_form, reply_form=reply_form, reply_to=reply_to,
        reply_form_for=reply_form_for, now=utcnow(), timeline=timeline,
        decision=last_of(timeline, DECIDED), asked=last_of(timeline, ("changes_requested",)),
        withdrawal=last_of(timeline, ("withdrawn",)),
        project=queries.project_of(proposal), photos=photos_shown(proposal),
    ), status


def photos_shown(proposal: Proposal) -> list:
    return [photo for photo in media.of_proposal(proposal.id)
            if media.visible(photo, current_user)]


@media.carrier_rule("proposal")
def _photos_seen_with(viewer, proposal_id: int) -> bool:
    """A proposal's photos are seen by whoever may see the proposal."""
    proposal = db.session.get(Proposal, proposal_id)
    return proposal is not None and policies.can_view(viewer, proposal)


def reply_form_for(comment: Comment) -> ReplyForm:
    return ReplyForm(formdata=None, prefix=f"reply-{comment.id}", once=posting.new_token())


def last_of(timeline: list[ProposalEvent], statuses) -> ProposalEvent | None:
    """The latest row of the timeline that moved the proposal to one of `statuses`."""
    return next((event for event in reversed(timeline) if event.to_status in statuses), None)


def threads(comments: list[Comment]) -> list[tuple[Comment, list[Comment]]]:
    """Each comment with its replies, in the order read (one level deep)."""
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(comment, replies.get(comment.id, [])) for comment in comments
            if comment.parent_id is None]

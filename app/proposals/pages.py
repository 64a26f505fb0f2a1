"""The proposal page and the rule that finds a proposal for a viewer: the proposals' own routes
use them, and moderation re-renders the page with a refusal."""
from flask import abort, render_template
from flask_login import current_user

from app.extensions import db
from app.media import policies as media_policies
from app.media import services as media
from app.proposals import lifecycle, policies, queries, services
from app.proposals.forms import CommentForm
from app.proposals.models import Proposal
from app.timeutil import utcnow


def visible_or_404(proposal_id: int) -> Proposal:
    proposal = db.get_or_404(Proposal, proposal_id)
    if not policies.can_view(current_user, proposal):
        abort(404)  # unpublished proposals do not exist for others
    return proposal


def detail_page(proposal: Proposal, comment_form: CommentForm | None = None, status: int = 200):
    """The proposal page; other features re-render it with a refusal (422)."""
    if comment_form is None and current_user.is_authenticated:  # visitors get no comment form
        comment_form = CommentForm()
    return render_template(
        "proposals/detail.html", proposal=proposal, comments=queries.comments_of(proposal),
        supported=services.has_supported(proposal, current_user), comment_form=comment_form,
        now=utcnow(), timeline=lifecycle.timeline(proposal, current_user),
        project=queries.project_of(proposal), photos=photos_shown(proposal),
    ), status


def photos_shown(proposal: Proposal) -> list:
    return [photo for photo in media.of_proposal(proposal.id)
            if media_policies.can_view(current_user, photo)]

"""Who is told what, following what happens (app/events.py), in the writing transaction."""
from app import events
from app.extensions import db
from app.notifications import services as notify
from app.notifications.models import Kind
from app.proposals.models import Comment, Proposal


@events.status_changed.connect
def _status_changed(proposal, *, note, public, **_):
    notify.status_changed(proposal, note=note, private=not public)


@events.proposals_merged.connect
def _supports_carried(source, *, target, carried, **_):
    notify.supports_carried(target, source, carried)


@events.merge_undone.connect
def _merge_undone(source, *, target, **_):
    notify.merge_undone(source, target)


@events.volunteer_left.connect
def _place_freed(project, *, promoted, **_):
    if promoted is not None:
        notify.tell([promoted], Kind.PROMOTED, project.proposal)


@events.project_update_posted.connect
def _project_news(update, *, project, **_):
    notify.tell(notify.followers(project.proposal), Kind.PROJECT_UPDATE, project.proposal)


@events.outcome_recorded.connect
def _outcome(outcome, *, project, **_):
    notify.tell(notify.followers(project.proposal), Kind.OUTCOME, project.proposal)


@events.comment_added.connect
def _comment(comment, *, proposal, by, **_):
    """An official comment is the library's response; any other is discussion: a reply tells
    the comment's author, and every comment tells the proposal's followers who chose
    discussion (never the one who wrote it)."""
    if comment.hidden_at is not None:
        return
    if comment.is_official:
        notify.tell([uid for uid in notify.followers(proposal) if uid != by.id],
                    Kind.OFFICIAL_RESPONSE, proposal, note=comment.body)
        return
    parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
    replied = parent.author_id if parent is not None and parent.deleted_at is None else None
    if replied is not None and replied != by.id:
        notify.tell([replied], Kind.REPLY, proposal)
    notify.tell([uid for uid in notify.followers(proposal) if uid not in (by.id, replied)],
                Kind.COMMENT, proposal)


@events.official_response_marked.connect
def _marked_official(comment, *, by, official, **_):
    if official and comment.hidden_at is None:
        proposal = db.session.get(Proposal, comment.proposal_id)
        notify.tell([uid for uid in notify.followers(proposal) if uid != by.id],
                    Kind.OFFICIAL_RESPONSE, proposal, note=comment.body)

"""Who is told what, following what happens (app/events.py), in the writing transaction."""
from app import events
from app.notifications import services as notify
from app.notifications.models import Kind


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

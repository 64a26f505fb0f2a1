"""The dashboard's roll-ups follow what happens (app/events.py), in the writing transaction."""
from sqlalchemy import delete

from app import events
from app.extensions import db
from app.insight import rollups
from app.insight.models import FigureSnapshot


@events.proposal_created.connect
def _proposed(proposal, *, by, **_):
    rollups.took_part_now(by, proposal.branch_id, proposal.created_at)


@events.support_added.connect
def _supported(proposal, *, by, at, **_):
    rollups.count_support(proposal, at, +1)
    rollups.took_part_now(by, proposal.branch_id, at)


@events.support_withdrawn.connect
def _withdrawn(proposal, *, by, given_at, **_):
    rollups.count_support(proposal, given_at, -1)
    rollups.withdrew(by, proposal.branch_id, given_at)


@events.comment_added.connect
def _commented(comment, *, proposal, by, **_):
    rollups.took_part_now(by, proposal.branch_id, comment.created_at)


@events.proposal_edited.connect
@events.classification_changed.connect
def _reclassified(proposal, *, was_branch_id, was_category_id, **_):
    rollups.reclassified(proposal, was_branch_id, was_category_id)


@events.proposals_merged.connect
def _merged(source, *, target, moved, carried, at, **_):
    rollups.supports_moved(source, target, moved, carried, at)


@events.merge_undone.connect
def _unmerged(source, *, target, merged_at, returned, removed, **_):
    rollups.supports_returned(source, target, returned, removed, merged_at)


@events.population_saved.connect
def _population(by, **_):
    """The figures kept compare with the population: worked out again when next asked for."""
    db.session.execute(delete(FigureSnapshot))

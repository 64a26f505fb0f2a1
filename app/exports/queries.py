"""What each export holds: a header and rows read from the database in batches (`yield_per`:
a server-side cursor on PostgreSQL), so a large export never sits in memory whole.

Staff see more than the public (every status, volunteers' names), but never e-mail addresses,
and an author who chose "hide my name" stays a patron type here too, as on every other page.
"""
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.auth.models import User
from app.extensions import db
from app.projects.models import Indicator, Outcome, Project, Volunteer
from app.proposals.models import Branch, Category, Proposal, Support
from app.statements import library_date

BATCH = 500


@dataclass(frozen=True)
class Export:
    name: str
    title: object  # lazy strings: the page shows them in the reader's language
    description: object
    header: list[str]
    statement: Callable
    row: Callable = tuple

    def rows(self) -> Iterator:
        """A generator: the query runs when the response starts streaming, on a connection of
        its own, so that the request's session ending (teardown, rollback) cannot close the
        cursor halfway through the file."""
        with db.engine.connect() as connection:
            result = connection.execution_options(yield_per=BATCH).execute(self.statement())
            for row in result:
                yield self.row(row)


def _named(model):
    """The name of a category or branch in the reader's language."""
    return model.name_zh if get_locale().language == "zh" else model.name_en


def _proposals():
    return (
        select(Proposal.id, Proposal.title, Proposal.status, _named(Category), _named(Branch),
               Proposal.origin, User.patron_type,
               case((Proposal.hide_name.is_(True), ""), else_=User.display_name),
               Proposal.hide_name, Proposal.created_at, Proposal.published_at,
               Proposal.support_count, Proposal.comment_count, Proposal.response_due_at,
               Proposal.first_answer_at, Proposal.decided_at, Proposal.hidden_at.is_not(None),
               Proposal.merged_into_id)
        .join(Category, Category.id == Proposal.category_id)
        .join(Branch, Branch.id == Proposal.branch_id)
        .join(User, User.id == Proposal.author_id)
        .order_by(Proposal.id)
    )


def _supports_per_day():
    day = library_date(Support.created_at)
    return (select(day, Support.proposal_id, func.count())
            .group_by(day, Support.proposal_id).order_by(day, Support.proposal_id))


def _outcomes():
    return (
        select(Outcome.id, Outcome.proposal_id, Proposal.title, _named(Category), _named(Branch),
               Outcome.published_at, Outcome.supporters, Outcome.volunteers, Outcome.rating_count,
               Outcome.rating_total, Indicator.name, Indicator.before, Indicator.after,
               Indicator.unit)
        .join(Proposal, Proposal.id == Outcome.proposal_id)
        .join(Category, Category.id == Proposal.category_id)
        .join(Branch, Branch.id == Proposal.branch_id)
        .outerjoin(Indicator, Indicator.outcome_id == Outcome.id)
        .order_by(Outcome.published_at, Outcome.id, Indicator.position, Indicator.id)
    )


def _outcome_row(row) -> tuple:
    *head, count, total, name, before, after, unit = row
    average = round(total / count, 2) if count else None
    return (*head, count, average, name, before, after, unit)


def _volunteer_hours():
    return (
        select(Project.id, Proposal.id, Proposal.title, User.display_name, Volunteer.hours,
               Volunteer.state, Volunteer.joined_at)
        .join(Project, Project.id == Volunteer.project_id)
        .join(Proposal, Proposal.id == Project.proposal_id)
        .join(User, User.id == Volunteer.user_id)
        .order_by(Project.id, Volunteer.state, Volunteer.id)
    )


EXPORTS = {export.name: export for export in (
    Export("proposals", _l("Proposals"),
           _l("Every proposal in every status, with its category, branch, origin, the author's "
              "patron type, counts and the dates of the response promise. Authors who hide "
              "their name are listed by patron type only."),
           ["id", "title", "status", "category", "branch", "origin", "author_patron_type",
            "author_name", "name_hidden", "created_at", "published_at", "supports", "comments",
            "response_due_at", "first_answer_at", "decided_at", "hidden_by_flags",
            "merged_into_id"], _proposals),
    Export("supports-per-day", _l("Supports per day"),
           _l("How many supports each proposal received on each of the library’s days. "
              "Supports withdrawn since are not counted; supports carried over by a merge "
              "count on the day of the merge."),
           ["date", "proposal_id", "supports"], _supports_per_day),
    Export("outcomes", _l("Outcomes and indicators"),
           _l("Completed outcomes, one row per measured indicator, with supporters, volunteers "
              "and ratings."),
           ["outcome_id", "proposal_id", "title", "category", "branch", "published_at",
            "supporters", "volunteers", "rating_count", "rating_average", "indicator", "before",
            "after", "unit"], _outcomes, _outcome_row),
    Export("volunteer-hours", _l("Volunteer hours"),
           _l("Each volunteer's recorded hours and place on each project."),
           ["project_id", "proposal_id", "project", "volunteer", "hours", "state", "joined_at"],
           _volunteer_hours),
)}

"""The home page's live numbers: how the promise has been kept this term, and projects that
still take volunteers."""
from dataclasses import dataclass

from sqlalchemy import func, select

from app import settings
from app.extensions import db
from app.insight.metrics import Period, responsiveness
from app.projects.models import Project
from app.proposals.models import PUBLIC_STATUSES, Proposal
from app.terms import Term
from app.timeutil import library_today, utcnow


@dataclass(frozen=True)
class HomeFigures:
    threshold: int
    days: int
    term: Term
    promised: int  # answers that fell due this term, so far
    kept: int  # of those, given by the due date
    projects_with_places: int


def home_figures() -> HomeFigures:
    term, today = Term.current(), library_today()
    so_far = Period(term.start, min(today, term.end))
    promise = responsiveness(so_far, utcnow())
    with_places = db.session.scalar(
        select(func.count()).select_from(Project).join(Proposal)
        .where(Project.completed_at.is_(None), Project.members < Project.places,
               Proposal.status.in_([s.value for s in PUBLIC_STATUSES]),
               Proposal.hidden_at.is_(None)))
    return HomeFigures(settings.get("response_threshold"), settings.get("response_days"), term,
                       promise.promised, promise.kept, with_places or 0)

"""Who may do what with projects: library staff start, run and complete them; anyone signed in
may volunteer (the services say when the places are full). Asked by the routes about the role
alone (the object left out), by the templates about this proposal or project."""
from app.auth.policies import is_staff
from app.extensions import db
from app.media import services as media
from app.projects.models import Outcome, Project, ProjectUpdate, Volunteer
from app.proposals import policies as proposal_policies
from app.proposals.models import Proposal, Status


def can_start(user, proposal: Proposal | None = None) -> bool:
    """An accepted proposal becomes a project, started by staff."""
    return is_staff(user) and (proposal is None or proposal.state is Status.ACCEPTED)


def can_report_progress(user, project: Project | None = None) -> bool:
    """Staff post updates and tick milestones until the project is complete."""
    return is_staff(user) and (project is None or not project.is_completed)


def can_complete(user, project: Project | None = None) -> bool:
    return is_staff(user)


def can_see_volunteers(user, project: Project | None = None) -> bool:
    """Volunteers' names, addresses and hours are for staff only."""
    return is_staff(user)


def can_record_hours(user, volunteer: Volunteer | None = None) -> bool:
    return is_staff(user)


@media.carrier_rule("update")
def can_view_update_files(user, update_id: int) -> bool:
    """A project update's photos are seen by whoever may see the project's proposal."""
    update = db.session.get(ProjectUpdate, update_id)
    project = update and db.session.get(Project, update.project_id)
    return project is not None and proposal_policies.can_view(user, project.proposal)


@media.carrier_rule("outcome")
def can_view_outcome_files(user, outcome_id: int) -> bool:
    """An outcome's photos and documents are seen by whoever may see its proposal."""
    outcome = db.session.get(Outcome, outcome_id)
    return outcome is not None and proposal_policies.can_view(user, outcome.proposal)

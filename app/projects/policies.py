"""Who may do what with projects: library staff start, run and complete them; anyone signed in
may volunteer (the services say when the places are full). Asked by the routes about the role
alone (the object left out), by the templates about this proposal or project."""
from app.auth.policies import is_staff
from app.projects.models import Project, Volunteer
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

"""Demo workshops (`flask seed-demo`): one past with attendance and minutes, upcoming ones, one
of them full with a waiting list. Through the services, as staff and patrons would; flushes,
never commits."""
from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.projects.models import Milestone, Project
from app.proposals.calls import Call
from app.proposals.models import Proposal
from app.timeutil import utcnow
from app.workshops import services
from app.workshops.models import Workshop

PAST_MINUTES = (
    "## What we agreed\n\n"
    "- Three zones on the quiet floor: silent, whisper, and group tables by the stairs.\n"
    "- Clearer signs at the lift, in Chinese and English.\n\n"
    "## What came out of it\n\n"
    "A proposal to keep the silent floor silent, and a milestone of a project under way: "
    "both are linked below."
)


def _plan(title: str, description: str, starts, hours: float, places: int, branch_id: int,
          room: str, **fields) -> services.Plan:
    return services.Plan(title=title, description=description, starts_at=starts,
                         ends_at=starts + timedelta(hours=hours), places=places,
                         opens_at=utcnow() - timedelta(days=3), closes_at=starts,
                         branch_id=branch_id, room=room, **fields)


def seed(users: dict[str, User], branches: dict[str, int], staff: User, echo=print) -> int:
    """Adds the demo workshops unless there are workshops already; how many were added."""
    if db.session.scalar(select(func.count()).select_from(Workshop)):
        return 0
    patrons = [user for user in users.values() if not user.is_staff]
    branch = next(iter(branches.values()))
    soon = (utcnow() + timedelta(days=5)).replace(hour=6, minute=0, second=0, microsecond=0)

    walk = services.schedule(_plan(
        "Walk-through of the quiet floor", "Walk the quiet floor with us and mark what is noisy, "
        "dark or hard to find. We meet at the lift.", soon, 1.5, 12, branch, "Floor 3, by the lift",
    ), by=staff)
    for patron in patrons[:6]:
        services.register(walk, patron)
    for registration in services.registrations(walk)[:5]:
        services.mark_attendance(registration, by=staff, attended=True)
    past = utcnow() - timedelta(days=14)
    walk.starts_at, walk.ends_at = past, past + timedelta(hours=1.5)
    walk.opens_at, walk.closes_at = past - timedelta(days=10), past
    services.publish_minutes(walk, by=staff, minutes=PAST_MINUTES)
    _link_what_came_out(walk, staff)

    sprint = services.schedule(_plan(
        "Design sprint for the new makerspace", "Sketch the makerspace with library staff: "
        "tools, tables, booking rules. No experience needed.", soon + timedelta(days=2), 3, 4,
        branch, "Room 301", question="Any accessibility needs?", call_id=_open_call_id(),
    ), by=staff)
    for patron in patrons[:7]:  # four places: three on the waiting list
        services.register(sprint, patron, answer="")

    services.schedule(_plan(
        "Focus group on catalogue search", "Tell us how you search the catalogue and where "
        "it lets you down. Online, one hour.", soon + timedelta(days=9), 1, 10, branch, "",
        online_url="https://meeting.example.edu/catalogue-focus",
        patron_types=("undergraduate", "postgraduate"),
    ), by=staff)
    db.session.flush()
    echo("Demo workshops: 3 new (one past with minutes and attendance, one full with a "
         "waiting list).")
    return 3


def _open_call_id() -> int | None:
    """The demo call that collects ideas now (app/calls/demo.py), for the makerspace sprint."""
    now = utcnow()
    return next((call.id for call in db.session.scalars(select(Call).order_by(Call.id))
                 if call.takes_proposals(now)), None)


def _link_what_came_out(workshop: Workshop, staff: User) -> None:
    """The past walk-through brought the silent-floor proposal and a project's milestone."""
    proposal = db.session.scalar(select(Proposal).where(
        Proposal.title.like("%silent zone%")).order_by(Proposal.id).limit(1))
    if proposal is not None and proposal.is_public:
        services.link(workshop, by=staff, proposal=proposal)
    milestone = db.session.scalar(
        select(Milestone).join(Project, Project.id == Milestone.project_id)
        .where(Project.completed_at.is_(None)).order_by(Milestone.id).limit(1))
    if milestone is not None:
        services.link(workshop, by=staff, milestone_id=milestone.id)

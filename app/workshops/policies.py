"""Who may do what with workshops: library staff schedule, move, cancel and run them (attendance,
minutes, the registration answers); signed-in patrons register (the services say when they may
not: outside the window, a patron type not invited, a cancelled or past session)."""
from app.auth.policies import is_staff
from app.workshops.models import Workshop


def can_schedule(user, workshop: Workshop | None = None) -> bool:
    return is_staff(user)


def can_edit(user, workshop: Workshop | None = None) -> bool:
    """Staff edit, move and cancel a workshop until it is cancelled."""
    return is_staff(user) and (workshop is None or not workshop.is_cancelled)


def can_take_attendance(user, workshop: Workshop | None = None) -> bool:
    return is_staff(user) and (workshop is None or not workshop.is_cancelled)


def can_publish_minutes(user, workshop: Workshop | None = None) -> bool:
    return can_take_attendance(user, workshop)


def can_see_registrations(user, workshop: Workshop | None = None) -> bool:
    """Who registered, their answers and the no-shows are for staff only."""
    return is_staff(user)


def can_link_outcomes(user, workshop: Workshop | None = None) -> bool:
    """Staff link what came out of a session (proposals, a milestone, an indicator)."""
    return can_take_attendance(user, workshop)

"""Who may do what with consultations on a draft: library staff (and admins) publish, change
and answer them; signed-in people comment while a consultation is open (by the clock)."""
from app.auth.policies import is_signed_in, is_staff
from app.consultations.models import Consultation
from app.proposals.calls import clock


def can_manage(user, consultation: Consultation | None = None) -> bool:
    return is_staff(user)


def can_respond(user, consultation: Consultation | None = None) -> bool:
    """Staff publish the response once comments have closed."""
    if not is_staff(user):
        return False
    return consultation is None or consultation.closes_at <= clock()


def can_comment(user, consultation: Consultation | None = None) -> bool:
    if not is_signed_in(user):
        return False
    return consultation is None or consultation.takes_comments(clock())

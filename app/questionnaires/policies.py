"""Who may do what with a call's questionnaire: library staff (and admins) build it, read its
results and make them public; signed-in people answer it; everyone reads results made public."""
from app.auth.policies import is_signed_in, is_staff
from app.proposals.calls import clock
from app.questionnaires.models import Questionnaire


def can_manage(user, questionnaire: Questionnaire | None = None) -> bool:
    return is_staff(user)


def can_answer(user, questionnaire: Questionnaire | None = None) -> bool:
    return is_signed_in(user)


def can_see_results(user, questionnaire: Questionnaire, now=None) -> bool:
    """Staff always; anyone once staff made them public and the call has closed."""
    if is_staff(user):
        return True
    return questionnaire.shows_results_publicly(now or clock())

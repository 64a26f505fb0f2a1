"""The features' policies by name, for the templates: `may("moderation.hide", comment)` in a
template is app/moderation/policies.py's can_hide(viewer, comment); without an object, the
policy answers for the viewer's role alone. A name that is no policy is an error, not a no."""
from app.admin import policies as admin
from app.calls import policies as calls
from app.consultations import policies as consultations
from app.exports import policies as exports
from app.insight import policies as insight
from app.media import policies as media
from app.moderation import policies as moderation
from app.projects import policies as projects
from app.proposals import policies as proposals
from app.questionnaires import policies as questionnaires
from app.workshops import policies as workshops

FEATURES = {"admin": admin, "calls": calls, "consultations": consultations,
            "exports": exports, "insight": insight,
            "media": media, "moderation": moderation, "projects": projects,
            "proposals": proposals, "questionnaires": questionnaires, "workshops": workshops}


def may(user, rule: str, obj=None) -> bool:
    feature, _dot, verb = rule.partition(".")
    can = getattr(FEATURES[feature], f"can_{verb}")
    return can(user) if obj is None else can(user, obj)

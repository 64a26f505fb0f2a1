"""What an audit entry says to the person reading the log, in their language: the action as a
phrase ("published"), the subject as a name ("proposal #12", with its page where it has one) and
the reason. app/audit.py writes the codes; every code it or a service writes is read here."""
import re
from decimal import Decimal, InvalidOperation

from flask import url_for
from flask_babel import format_decimal, gettext, pgettext
from flask_babel import lazy_gettext as _l

from app.admin.forms import ROLE_LABELS, SettingsForm
from app.auth.models import Role

ACTIONS = {
    # a proposal's life cycle (app/proposals/lifecycle.py's actions)
    "publish": _l("published"),
    "request_changes": _l("asked for changes"),
    "resubmit": _l("resubmitted for moderation"),
    "reject": _l("rejected"),
    "review": _l("started the review"),
    "accept": _l("accepted"),
    "decline": _l("declined"),
    "merge": _l("merged into another proposal"),
    "withdraw": _l("withdrew"),
    "start": _l("started the project"),
    "complete": _l("completed the project"),
    # moderation
    "mark_official": _l("marked as the library's official response"),
    "unmark_official": _l("unmarked as the library's official response"),
    "feasibility_note": _l("wrote the feasibility note"),
    "classify": _l("changed the category and branch"),
    "uphold_flags": _l("upheld the flags: kept hidden"),
    "dismiss_flags": _l("dismissed the flags: restored"),
    "hide_comment": _l("hid the comment"),
    "restore_comment": _l("restored the comment"),
    "hide_photo": _l("hid the photo"),
    "restore_photo": _l("restored the photo"),
    # projects
    "post_update": _l("posted a project update"),
    "milestone_done": _l("marked the milestone done"),
    "milestone_reopened": _l("marked the milestone not done"),
    # calls for ideas
    "create_call": _l("opened the call for ideas"),
    "edit_call": _l("changed the call for ideas"),
    "add_question": _l("added a question to the call's questionnaire"),
    "remove_question": _l("removed a question from the call's questionnaire"),
    "publish_results": _l("made the questionnaire's results public"),
    "withdraw_results": _l("withdrew the questionnaire's results from the public"),
    # administration
    "lift_suspension": _l("lifted the suspension"),
    "settings": _l("changed the settings"),
    "population": _l("entered the population of a term"),
    "save_category": _l("saved the category"),
    "save_branch": _l("saved the branch"),
    "add_glossary_term": _l("added a pair to the glossary"),
    "remove_glossary_term": _l("removed a pair from the glossary"),
}
RECORD_HOURS = _l("set the volunteer hours to %(hours)s")
NEW_ROLE = _l("changed the role to %(role)s")
SUSPEND = _l("suspended the account until %(date)s")
SUSPENSION = re.compile(r"until (\d{4}-\d{2}-\d{2}): (.*)", re.S)  # as admin/services.py writes it

SUBJECTS = {
    "proposal": _l("proposal #%(id)d"),
    "comment": _l("comment #%(id)d"),
    "photo": _l("photo #%(id)d"),
    "project": _l("project #%(id)d"),
    "milestone": _l("milestone #%(id)d"),
    "volunteer": _l("volunteer #%(id)d"),
    "user": _l("account #%(id)d"),
    "category": _l("category #%(id)d"),
    "branch": _l("branch #%(id)d"),
    "setting": _l("the library's settings"),
    "call": _l("call #%(id)d"),
    "population": _l("the population of patron types"),
    "glossary": _l("the glossary"),
}
PAGES = {"proposal": ("proposals.detail", "proposal_id"), "call": ("calls.detail", "call_id"),
         "project": ("projects.detail", "project_id")}


def describe(entry) -> str:
    """The action, as the log's "What" column reads it; a code nobody named shows as it is."""
    action = entry.action
    if action == "record_hours":
        return RECORD_HOURS % {"hours": _hours(entry.reason)}
    if action.startswith("role:"):
        role = action.removeprefix("role:")
        known = role in {r.value for r in Role}
        return NEW_ROLE % {"role": ROLE_LABELS[Role(role)] if known else role}
    if action == "suspend" and (until := SUSPENSION.fullmatch(entry.reason or "")):
        return SUSPEND % {"date": until.group(1)}
    phrase = ACTIONS.get(action)
    return str(phrase) if phrase is not None else action


def subject(entry) -> str:
    name = SUBJECTS.get(entry.subject_type)
    if name is None:
        return f"{entry.subject_type} #{entry.subject_id}"
    return name % {"id": entry.subject_id}


def subject_link(entry) -> str | None:
    """The subject's own page, for proposals and projects."""
    page = PAGES.get(entry.subject_type)
    return url_for(page[0], **{page[1]: entry.subject_id}) if page else None


def reason(entry) -> str:
    """The note staff gave, without what `describe` already says (hours, a suspension's date)."""
    if entry.action == "record_hours":
        return ""
    if entry.action == "suspend" and (until := SUSPENSION.fullmatch(entry.reason or "")):
        return until.group(2)
    if entry.action == "settings":
        return _settings(entry.reason or "")
    return entry.reason or ""


def _settings(changes: str) -> str:
    """The changes as admin/services.py writes them ("response_days=9, flag_threshold=3"),
    under the settings form's labels."""
    readable = []
    for change in filter(None, changes.split(", ")):
        key, _equals, value = change.partition("=")
        field = getattr(SettingsForm, key, None)
        label = field.args[0] if field is not None and field.args else key
        readable.append(gettext("%(setting)s: %(value)s", setting=label, value=value))
    return pgettext("between the items of a list", "; ").join(readable)


def _hours(recorded: str) -> str:
    try:
        return format_decimal(Decimal(recorded))
    except (InvalidOperation, ValueError):
        return recorded

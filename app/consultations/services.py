"""Consultations on a draft: staff publish, change and answer them; patrons comment on the
whole draft or on one numbered section while it is open. Flush and announce, never commit.

A consultation comment is a proposals' `Comment` (app/proposals/models.py): flagging, hiding,
reading and deleting it go through the same functions as any comment."""
from flask_babel import gettext as _
from flask_babel import ngettext

from app import events
from app.auth.models import User
from app.consultations import policies
from app.consultations.models import Consultation, State
from app.consultations.sections import count
from app.domain import Refused
from app.extensions import db
from app.i18n import moment
from app.proposals.calls import clock
from app.proposals.models import Comment
from app.timeutil import from_library_time, utcnow

TEXTS = ("title_en", "title_zh", "body_en", "body_zh")
FIELDS = (*TEXTS, "opens_at", "closes_at", "call_id")
RESPONSES = ("response_en", "response_zh")


def _checked(fields: dict) -> dict:
    """The values as stored: texts trimmed, moments from the library's clock to UTC; a title
    and a draft in at least one language, the same number of sections in both, and the
    closing after the opening."""
    values = {name: (fields.get(name) or "").strip() for name in TEXTS}
    values["call_id"] = fields.get("call_id")
    values["opens_at"] = from_library_time(fields["opens_at"])
    values["closes_at"] = from_library_time(fields["closes_at"])
    if not (values["title_en"] or values["title_zh"]):
        raise Refused(_("Give the title in English, in Chinese or in both."), field="title_en")
    if not (values["body_en"] or values["body_zh"]):
        raise Refused(_("Write the draft in English, in Chinese or in both."), field="body_en")
    if values["body_en"] and values["body_zh"] and \
            count(values["body_en"]) != count(values["body_zh"]):
        raise Refused(_("The English draft has %(en)d sections and the Chinese one %(zh)d: "
                        "give both the same sections, in the same order.",
                        en=count(values["body_en"]), zh=count(values["body_zh"])),
                      field="body_zh")
    if values["closes_at"] <= values["opens_at"]:
        raise Refused(_("Comments must close after they open."), field="closes_at")
    return values


def create(*, by: User, **fields) -> Consultation:
    if not policies.can_manage(by):
        raise Refused(_("Only library staff can publish a consultation."))
    now = utcnow()
    consultation = Consultation(**_checked(fields), created_by_id=by.id, created_at=now,
                                updated_at=now)
    db.session.add(consultation)
    db.session.flush()
    events.consultation_created.send(consultation, by=by)
    return consultation


def edit(consultation: Consultation, *, by: User, **fields) -> list[str]:
    """Returns the names of what changed; nothing changed is no change (no event)."""
    if not policies.can_manage(by, consultation):
        raise Refused(_("Only library staff can change a consultation."))
    values = _checked(fields)
    changed = [name for name, value in values.items() if getattr(consultation, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(consultation, name, values[name])
    consultation.updated_at = utcnow()
    db.session.flush()
    events.consultation_changed.send(consultation, by=by, changed=changed)
    return changed


def respond(consultation: Consultation, *, by: User, response_en: str, response_zh: str) -> None:
    """The response: a summary of what changed, then one `## ` part per section, in order;
    published once comments have closed, and may be corrected afterwards."""
    if not policies.can_manage(by, consultation):
        raise Refused(_("Only library staff can publish the response."))
    if consultation.state(clock()) is not State.CLOSED:
        raise Refused(_("The response is published once comments have closed, on %(moment)s.",
                        moment=moment(consultation.closes_at)))
    texts = {"response_en": (response_en or "").strip(), "response_zh": (response_zh or "").strip()}
    if not any(texts.values()):
        raise Refused(_("Write the response in English, in Chinese or in both."),
                      field="response_en")
    for name, text in texts.items():
        draft = consultation.body_en if name == "response_en" else consultation.body_zh
        wanted = count(draft or consultation.body_en or consultation.body_zh)
        if text and count(text) != wanted:
            raise Refused(ngettext(
                "The draft has %(num)d section: give the response one part for it, "
                "starting with a level-2 heading (## ), after the summary.",
                "The draft has %(num)d sections: give the response one part for each, in "
                "order, each starting with a level-2 heading (## ), after the summary.",
                wanted), field=name)
    first = consultation.responded_at is None
    if not first and all(getattr(consultation, n) == t for n, t in texts.items()):
        return
    for name, text in texts.items():
        setattr(consultation, name, text)
    consultation.responded_at = consultation.responded_at or utcnow()
    consultation.updated_at = utcnow()
    db.session.flush()
    events.consultation_responded.send(consultation, by=by, first=first)


def add_comment(consultation: Consultation, *, author: User, body: str,
                section: int | None) -> Comment:
    """On the whole draft (`section` None) or one of its numbered sections, while it is open."""
    now = clock()
    state = consultation.state(now)
    if state is State.UPCOMING:
        raise Refused(_("Comments open on %(moment)s.",
                        moment=moment(consultation.opens_at)))
    if state is State.CLOSED:
        raise Refused(_("Comments closed on %(moment)s.",
                        moment=moment(consultation.closes_at)))
    if not policies.can_comment(author, consultation):
        raise Refused(_("Sign in to comment."))
    if section is not None and consultation.draft.section(section) is None:
        raise Refused(_("Choose the whole draft or one of its sections."), field="section")
    comment = Comment(consultation_id=consultation.id, section=section, author_id=author.id,
                      body=body, created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    events.consultation_commented.send(comment, consultation=consultation, by=author)
    return comment

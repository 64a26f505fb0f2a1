"""A call's questionnaire: staff add and remove questions and make the results public; patrons
answer. Flush and announce, never commit."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app import events
from app.auth.models import User
from app.domain import Refused
from app.extensions import db
from app.proposals.calls import Call, clock
from app.questionnaires import policies
from app.questionnaires.models import (
    MAX_OPTIONS,
    MAX_QUESTIONS,
    MAX_RANKED,
    SCALE,
    TEXT_LENGTH,
    Kind,
    Question,
    Questionnaire,
    Response,
    lines,
)
from app.statements import dialect_insert
from app.timeutil import utcnow


def of_call(call: Call) -> Questionnaire | None:
    return db.session.scalar(select(Questionnaire).where(Questionnaire.call_id == call.id))


def has_answers(questionnaire: Questionnaire) -> bool:
    return db.session.scalar(select(Response.id).where(
        Response.questionnaire_id == questionnaire.id).limit(1)) is not None


def _refuse_unless_staff(by: User) -> None:
    if not policies.can_manage(by):
        raise Refused(_("Only library staff can change a questionnaire."))


def add_question(call: Call, *, by: User, kind: str, text_en: str = "", text_zh: str = "",
                 options_en: str = "", options_zh: str = "",
                 max_choices: int | None = None) -> Question:
    """A question at the end of the call's questionnaire (made with the first question). Once
    someone answered, the questions stay as they were answered."""
    _refuse_unless_staff(by)
    questionnaire = of_call(call)
    if questionnaire is None:
        questionnaire = Questionnaire(call_id=call.id)
        db.session.add(questionnaire)
        db.session.flush()
    elif has_answers(questionnaire):
        raise Refused(_("People have answered: the questions can no longer change."))
    if len(questionnaire.questions) >= MAX_QUESTIONS:
        raise Refused(_("A questionnaire has at most %(count)d questions.",
                        count=MAX_QUESTIONS))
    kind_ = Kind(kind)
    text_en, text_zh = (text_en or "").strip(), (text_zh or "").strip()
    if not (text_en or text_zh):
        raise Refused(_("Write the question, in English or in Chinese."), field="text_en")
    english, chinese = lines(options_en), lines(options_zh)
    if kind_.has_options:
        count = max(len(english), len(chinese))
        if english and chinese and len(english) != len(chinese):
            raise Refused(_("Give as many options in Chinese as in English, in the same "
                            "order."), field="options_zh")
        limit = MAX_RANKED if kind_ is Kind.RANKING else MAX_OPTIONS
        if not 2 <= count <= limit:
            raise Refused(_("Give between 2 and %(limit)d options, one a line.", limit=limit),
                          field="options_en")
    else:
        english, chinese = [], []
    if kind_ is Kind.MULTIPLE:
        if max_choices is None or not 1 <= max_choices <= max(len(english), len(chinese)):
            raise Refused(_("Say how many options a patron may choose at most, no more than "
                            "there are options."), field="max_choices")
    else:
        max_choices = None
    question = Question(
        kind=kind_.value, text_en=text_en, text_zh=text_zh, options_en="\n".join(english),
        options_zh="\n".join(chinese), max_choices=max_choices,
        position=max((q.position for q in questionnaire.questions), default=0) + 1)
    questionnaire.questions.append(question)
    questionnaire.updated_at = utcnow()
    db.session.flush()
    events.questionnaire_changed.send(questionnaire, by=by, change="add_question")
    return question


def remove_question(question: Question, *, by: User) -> None:
    _refuse_unless_staff(by)
    questionnaire = question.questionnaire
    if has_answers(questionnaire):
        raise Refused(_("People have answered: the questions can no longer change."))
    questionnaire.questions.remove(question)
    questionnaire.updated_at = utcnow()
    db.session.flush()
    events.questionnaire_changed.send(questionnaire, by=by, change="remove_question")


def make_results_public(questionnaire: Questionnaire, *, by: User, public: bool,
                        now: datetime | None = None) -> None:
    """Staff's switch; the results go public only once the call stopped taking answers."""
    _refuse_unless_staff(by)
    if public and not questionnaire.is_closed(now or clock()):
        raise Refused(_("Results can be made public once the call has closed."))
    if questionnaire.results_public == public:
        return
    questionnaire.results_public = public
    questionnaire.updated_at = utcnow()
    db.session.flush()
    events.questionnaire_changed.send(
        questionnaire, by=by, change="publish_results" if public else "withdraw_results")


def answer(questionnaire: Questionnaire, patron: User, answers: dict[int, object], *,
           anonymous: bool, now: datetime | None = None) -> None:
    """The patron's answers, replacing any they gave before: one row per patron, written by a
    single INSERT … ON CONFLICT DO UPDATE, so simultaneous submissions leave one row holding
    one of them whole. Taken only while the call collects ideas or supports.

    `answers` holds, by question id: an option index (single choice), a list of them (multiple
    choice), a value from 1 to 5 (scale), option indexes in ranked order (ranking), a text."""
    if not policies.can_answer(patron, questionnaire):
        raise Refused(_("Sign in to answer the questionnaire."))
    if not questionnaire.is_open(now or clock()):
        raise Refused(_("This questionnaire takes answers only while the call collects ideas "
                        "or supports them."))
    stored = {str(question.id): _checked(question, answers.get(question.id))
              for question in questionnaire.questions}
    stored = {key: value for key, value in stored.items() if value not in (None, "", [])}
    if not stored:
        raise Refused(_("Answer at least one question."))
    moment = utcnow()
    values = {"questionnaire_id": questionnaire.id, "patron_id": patron.id,
              "patron_type": patron.patron_type, "anonymous": bool(anonymous),
              "answers": stored, "answered_at": moment, "updated_at": moment}
    table = Response.__table__
    statement = dialect_insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.questionnaire_id, table.c.patron_id],
        set_={name: statement.excluded[name] for name in
              ("patron_type", "anonymous", "answers", "updated_at")})
    db.session.execute(statement)
    for known in [row for row in db.session.identity_map.values() if isinstance(row, Response)]:
        db.session.expire(known)  # an ORM copy of the row read before is stale now
    events.questionnaire_answered.send(questionnaire, by=patron)


def _checked(question: Question, value):
    """The answer as stored, or a refusal naming the question's field."""
    kind, field = question.kind_, f"q{question.id}"
    if value in (None, "", []):
        if kind is Kind.TEXT:
            return None
        raise Refused(_("Answer this question."), field=field)
    indexes = range(len(question.options))
    if kind is Kind.SINGLE:
        if value not in indexes:
            raise Refused(_("Choose one of the options."), field=field)
        return value
    if kind is Kind.SCALE:
        if value not in SCALE:
            raise Refused(_("Choose a value from 1 to 5."), field=field)
        return value
    if kind is Kind.TEXT:
        text = str(value).strip()
        if len(text) > TEXT_LENGTH:
            raise Refused(_("Keep the answer under %(count)d characters.", count=TEXT_LENGTH),
                          field=field)
        return text
    chosen = list(value)
    if any(index not in indexes for index in chosen) or len(set(chosen)) != len(chosen):
        raise Refused(_("Choose among the options, each once."), field=field)
    if kind is Kind.MULTIPLE and len(chosen) > (question.max_choices or len(indexes)):
        raise Refused(_("Choose at most %(count)d options.", count=question.max_choices),
                      field=field)
    return chosen

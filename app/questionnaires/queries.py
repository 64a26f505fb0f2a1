"""A questionnaire's results, counted from its answers: per question, each option's total and
the same split by patron type (the split adds up to the total). No result carries who answered:
only short-text answers name their writer, and only when they did not answer anonymously."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import PatronType, User
from app.extensions import db
from app.questionnaires.models import Kind, Question, Questionnaire, Response


@dataclass
class Row:
    label: str
    total: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


@dataclass
class QuestionResult:
    question: Question
    respondents: Row  # who answered this question, in all and by patron type
    rows: list[Row]  # one per option (points, for a ranking), or per value of the scale
    average: float | None = None  # the scale's
    texts: list[tuple[str, str | None]] = field(default_factory=list)  # (text, name or None)

    @property
    def unit(self) -> str:
        return _("points") if self.question.kind_ is Kind.RANKING else ""


@dataclass
class Results:
    questionnaire: Questionnaire
    respondents: Row
    patron_types: list[PatronType]  # the types that answered, in the enum's order
    questions: list[QuestionResult]


def response_of(questionnaire: Questionnaire, patron) -> Response | None:
    if not getattr(patron, "is_authenticated", False):
        return None
    return db.session.scalar(select(Response).where(
        Response.questionnaire_id == questionnaire.id, Response.patron_id == patron.id))


def results(questionnaire: Questionnaire, *, names: bool = True) -> Results:
    """Every question's figures. With `names`, a short-text answer given openly carries its
    writer's display name; an anonymous one never does."""
    responses = list(db.session.execute(
        select(Response.patron_type, Response.anonymous, Response.answers, Response.patron_id)
        .where(Response.questionnaire_id == questionnaire.id).order_by(Response.id)))
    shown_names = _names({r.patron_id for r in responses if not r.anonymous}) if names else {}
    present = {r.patron_type for r in responses}
    types = [kind for kind in PatronType if kind.value in present]
    everyone = Row(_("Respondents"))
    for response in responses:
        _count(everyone, response.patron_type)
    figures = []
    for question in questionnaire.questions:
        figures.append(_question(question, responses, shown_names))
    return Results(questionnaire, everyone, types, figures)


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {user.id: user.name for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _count(row: Row, patron_type: str, amount: int = 1) -> None:
    row.total += amount
    row.by_type[patron_type] = row.by_type.get(patron_type, 0) + amount


def _question(question: Question, responses, names: dict[int, str]) -> QuestionResult:
    kind, key = question.kind_, str(question.id)
    respondents = Row(_("Answered this question"))
    rows = [Row(label) for _value, label in question.choices]
    result = QuestionResult(question, respondents, [] if kind is Kind.TEXT else rows)
    values = []
    for response in responses:
        value = response.answers.get(key)
        if value in (None, "", []):
            continue
        _count(respondents, response.patron_type)
        if kind is Kind.SINGLE and value < len(rows):
            _count(rows[value], response.patron_type)
        elif kind is Kind.SCALE:
            _count(rows[value - 1], response.patron_type)
            values.append(value)
        elif kind is Kind.MULTIPLE:
            for index in value:
                if index < len(rows):
                    _count(rows[index], response.patron_type)
        elif kind is Kind.RANKING:
            # Points as in a Borda count: of k options ranked, the first gets k, the last 1.
            for place, index in enumerate(value):
                if index < len(rows):
                    _count(rows[index], response.patron_type, len(value) - place)
        elif kind is Kind.TEXT:
            result.texts.append((value, None if response.anonymous
                                 else names.get(response.patron_id)))
    if values:
        result.average = sum(values) / len(values)
    return result

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from app.questionnaires.models import KIND_LABELS, Kind, Questionnaire


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"),
                       choices=[SelectChoice(kind.value, _l(KIND_LABELS[kind])) for kind in Kind])
    text_en = StringField(_l("Question in English"), validators=[Optional(), Length(max=300)])
    text_zh = StringField(_l("Question in Chinese"), validators=[Optional(), Length(max=300)],
                          description=_l("Ask it in one language or both."))
    options_en = TextAreaField(_l("Options in English"),
                               validators=[Optional(), Length(max=3000)])
    options_zh = TextAreaField(_l("Options in Chinese"),
                               validators=[Optional(), Length(max=3000)],
                               description=_l("One option a line, in the same order in both "
                                              "languages; a ranking has at most 5. Not needed "
                                              "for a scale or a short text."))
    max_choices = IntegerField(_l("Most options a patron may choose"),
                               validators=[Optional(), NumberRange(min=1, max=12)],
                               description=_l("Multiple choice only."))


class AnswerForm(FlaskForm):
    """The questions themselves are read by `read_answers`: they change with the
    questionnaire, the form's CSRF token and the anonymity choice do not."""
    anonymous = BooleanField(_l("Answer anonymously to the public"),
                             description=_l("Your name is never shown with your answers."))


class SwitchForm(FlaskForm):
    """A button that only needs its CSRF token."""


def read_answers(questionnaire: Questionnaire, formdata) -> tuple[dict, dict[str, str]]:
    """What the form sent, by question id, typed as the service takes it; plus what could
    not be read, by field name (`q<id>`)."""
    answers, errors = {}, {}
    for question in questionnaire.questions:
        name, kind = f"q{question.id}", question.kind_
        try:
            if kind is Kind.TEXT:
                answers[question.id] = formdata.get(name, "")
            elif kind in (Kind.SINGLE, Kind.SCALE):
                raw = formdata.get(name, "")
                answers[question.id] = int(raw) if raw else None
            elif kind is Kind.MULTIPLE:
                answers[question.id] = [int(raw) for raw in formdata.getlist(name)]
            else:  # a ranking: each option's rank, from its own select
                ranks = {}
                for index in range(len(question.options)):
                    raw = formdata.get(f"{name}_{index}", "")
                    if raw:
                        ranks[index] = int(raw)
                if len(set(ranks.values())) != len(ranks):
                    errors[name] = _("Give each option a different place.")
                answers[question.id] = sorted(ranks, key=ranks.get)
        except ValueError:
            errors[name] = _("Choose one of the options.")
    return answers, errors


def sent_back(questionnaire: Questionnaire, formdata) -> dict[str, object]:
    """What the patron chose, as the form shows it again after a refusal: by field name."""
    shown = {}
    for question in questionnaire.questions:
        name = f"q{question.id}"
        if question.kind_ is Kind.MULTIPLE:
            shown[name] = formdata.getlist(name)
        elif question.kind_ is Kind.RANKING:
            for index in range(len(question.options)):
                shown[f"{name}_{index}"] = formdata.get(f"{name}_{index}", "")
        else:
            shown[name] = formdata.get(name, "")
    return shown


def stored_as_shown(questionnaire: Questionnaire, answers: dict) -> dict[str, object]:
    """A stored answer, as the form shows it: the patron's earlier choices, to change."""
    shown = {}
    for question in questionnaire.questions:
        name, value = f"q{question.id}", answers.get(str(question.id))
        if value is None:
            continue
        if question.kind_ is Kind.MULTIPLE:
            shown[name] = [str(index) for index in value]
        elif question.kind_ is Kind.RANKING:
            for place, index in enumerate(value, start=1):
                shown[f"{name}_{index}"] = str(place)
        else:
            shown[name] = str(value)
    return shown

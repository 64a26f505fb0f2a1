from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.models import PatronType
from app.forms import BoundedIntegerField, IdSelectField

LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class OptionalIdField(IdSelectField):
    """A choice of rows that may be left empty ("none")."""

    def pre_validate(self, form):
        if self.data is not None:
            SelectField.pre_validate(self, form)


class WorkshopForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=5, max=200)])
    description = TextAreaField(_l("Description"),
                                validators=[DataRequired(), Length(min=10, max=5000)],
                                description=_l("Markdown is allowed."))
    project_id = OptionalIdField(_l("Project (optional)"), validators=[Optional()])
    call_id = OptionalIdField(_l("Call for ideas (optional)"), validators=[Optional()],
                              description=_l("A workshop belongs to a project, a call or "
                                             "neither."))
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL, validators=[DataRequired()],
                                   description=_l("On the library's clock."))
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL, validators=[DataRequired()])
    branch_id = OptionalIdField(_l("Branch"), validators=[Optional()],
                                description=_l("Leave empty for an online workshop."))
    room = StringField(_l("Room (optional)"), validators=[Optional(), Length(max=120)])
    online_url = URLField(_l("Online link (optional)"),
                          validators=[Optional(), URL(), Length(max=500)],
                          description=_l("Shown only to registered patrons."))
    places = BoundedIntegerField(_l("Places"),
                                 validators=[InputRequired(), NumberRange(min=1, max=1000)])
    opens_at = DateTimeLocalField(_l("Registration opens"), format=LOCAL,
                                  validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("Registration closes"), format=LOCAL,
                                   validators=[DataRequired()])
    patron_types = SelectMultipleField(
        _l("Who it is for"), validators=[Optional()],
        description=_l("Tick none for every patron."))
    question = StringField(_l("Registration question (optional)"),
                           validators=[Optional(), Length(max=200)],
                           description=_l("For example accessibility needs; the answers are "
                                          "seen by staff only."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.patron_types.choices = [(kind.value, kind.label) for kind in PatronType]


class RegisterForm(FlaskForm):
    answer = TextAreaField(_l("Your answer (optional)"), validators=[Optional(), Length(max=1000)],
                           description=_l("Seen by library staff only."))

    @classmethod
    def asking(cls, workshop) -> "RegisterForm":
        """The form with the workshop's own question as the answer's label."""
        form = cls()
        if workshop.question:
            form.answer.label.text = workshop.question
        return form


class CancelWorkshopForm(FlaskForm):
    reason = TextAreaField(_l("Reason (told to everyone registered)"),
                           validators=[DataRequired(), Length(min=5, max=2000)])


class CheckInForm(FlaskForm):
    code = StringField(_l("Code shown in the room"), validators=[DataRequired(), Length(max=12)])


class MinutesForm(FlaskForm):
    minutes = TextAreaField(_l("Minutes"), validators=[DataRequired(), Length(min=10, max=20000)],
                            description=_l("Markdown is allowed. Link what came out of it: new "
                                           "proposals, a project milestone, an outcome."))


class LinkForm(FlaskForm):
    """What came out of a workshop: any of the three, each linked on its own."""
    proposal = StringField(_l("A new proposal (optional)"),
                           validators=[Optional(), Length(max=140)],
                           description=_l("Its number (as in #42) or its exact title."))
    milestone_id = OptionalIdField(_l("A project milestone (optional)"), validators=[Optional()])
    indicator_id = OptionalIdField(_l("An outcome indicator (optional)"), validators=[Optional()])

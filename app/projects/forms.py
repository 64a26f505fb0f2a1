from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    FieldList,
    FileField,
    FormField,
    MultipleFileField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.forms import BoundedIntegerField, FiniteDecimalField, IdSelectField


class ProjectForm(FlaskForm):
    goal = TextAreaField(_l("Goal"), validators=[DataRequired(), Length(min=10, max=3000)],
                         description=_l("What the project will change, in one or two sentences."))
    volunteer_tasks = TextAreaField(
        _l("What volunteers will do"), validators=[DataRequired(), Length(min=10, max=3000)])
    places = BoundedIntegerField(_l("Volunteer places"),
                          validators=[InputRequired(), NumberRange(min=0, max=1000)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on (optional)"), validators=[Optional()])
    lead_id = IdSelectField(_l("Staff lead"),
                            validators=[InputRequired(_l("Choose a staff lead."))])
    milestones = TextAreaField(
        _l("Milestones (optional)"), validators=[Optional(), Length(max=3000)],
        description=_l("One per line; add a date after a bar, e.g. “Survey seats | 2026-12-15”."),
    )


class UpdateForm(FlaskForm):
    body = TextAreaField(_l("Project update"), validators=[DataRequired(), Length(min=5, max=5000)],
                         description=_l("Markdown is allowed. Supporters and volunteers are told."))
    # Read with their descriptions by app/media/forms.py; a field so refusals show beside it.
    photos = MultipleFileField(_l("Photos (optional)"))


class HoursForm(FlaskForm):
    hours = FiniteDecimalField(_l("Hours"), places=1, precision=7, scale=1,
                         validators=[InputRequired(), NumberRange(min=0, max=10000)])


class IndicatorForm(FlaskForm):
    class Meta:
        csrf = False  # part of the outcome form, which carries the token

    name = StringField(_l("Indicator"), validators=[Optional(), Length(max=120)])
    before = FiniteDecimalField(_l("Before"), validators=[Optional()])
    after = FiniteDecimalField(_l("After"), validators=[Optional()])
    unit = StringField(_l("Unit"), validators=[Optional(), Length(max=40)])


class OutcomeForm(FlaskForm):
    summary = TextAreaField(_l("What changed"),
                            validators=[DataRequired(), Length(min=10, max=5000)])
    indicators = FieldList(FormField(IndicatorForm), min_entries=4, max_entries=12)
    evidence = TextAreaField(
        _l("Evidence links (optional)"), validators=[Optional(), Length(max=3000)],
        description=_l("One web address per line: photos, reports, statistics."))
    photos = MultipleFileField(_l("Photos (optional)"))  # read by app/media/forms.py
    document = FileField(
        _l("Evidence document (PDF, optional)"),
        description=_l("A report or survey results, downloaded by readers as it is."))
    document_title = StringField(_l("Title of the document"),
                                 validators=[Optional(), Length(max=200)])

    def indicator_rows(self) -> list[tuple | None]:
        """Named rows as (name, before, after, unit); None for a row missing a value."""
        rows = []
        for entry in self.indicators:
            row = entry.form
            if (row.name.data or "").strip():
                complete = row.before.data is not None and row.after.data is not None
                rows.append((row.name.data, row.before.data, row.after.data, row.unit.data or "")
                            if complete else None)
        return rows

    def validate_indicators(self, field):
        rows = self.indicator_rows()
        if None in rows:
            raise ValidationError(_l("Give both before and after values for each indicator."))
        if not rows:
            raise ValidationError(
                _l("Add at least one measured indicator, with before and after values."))


class RatingForm(FlaskForm):
    stars = RadioField(_l("Your rating"), validators=[InputRequired()],
                       choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)])
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=2000)])

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.auth.models import PATRON_TYPE_LABELS, PatronType, Role
from app.forms import BoundedIntegerField

ROLE_LABELS = {Role.PATRON: _l("Patron"), Role.STAFF: _l("Library staff"),
               Role.ADMIN: _l("Administrator")}


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[InputRequired()],
                       choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])


class SuspendForm(FlaskForm):
    until = DateField(_l("Suspended until"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (the patron reads it)"),
                           validators=[DataRequired(), Length(max=500)])


class SettingsForm(FlaskForm):
    response_threshold = BoundedIntegerField(
        _l("Supports that oblige the library to answer"), validators=[InputRequired()])
    response_days = BoundedIntegerField(_l("Days to answer within"), validators=[InputRequired()])
    flag_threshold = BoundedIntegerField(
        _l("Patrons whose flags hide content until staff look"), validators=[InputRequired()])


class PlaceForm(FlaskForm):
    slug = StringField(_l("Short name for links"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[a-z0-9-]+$", message=_l("Use lower-case letters, digits and hyphens."))])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=80)])
    name_zh = StringField(_l("Name in Chinese"), validators=[DataRequired(), Length(max=80)])


class PopulationForm(FlaskForm):
    """The term's population of each patron type; a type left empty has no figure."""

    term = StringField(validators=[DataRequired(), Length(max=12)])  # hidden on the page


for _kind in PatronType:
    setattr(PopulationForm, _kind.value, BoundedIntegerField(
        PATRON_TYPE_LABELS[_kind], validators=[Optional(), NumberRange(min=0)]))


class GlossaryForm(FlaskForm):
    english = StringField(_l("In English"), validators=[DataRequired(), Length(max=40)],
                          description=_l("A word or its start, in lower case: “seat” also "
                                         "finds “seats” and “seating”."))
    chinese = StringField(_l("In Chinese"), validators=[DataRequired(), Length(max=12)],
                          description=_l("The same term in Chinese, for example 座位."))

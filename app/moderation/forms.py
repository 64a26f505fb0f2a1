from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.forms import IdSelectField
from app.moderation.models import REASON_LABELS
from app.proposals.forms import fill_place_choices


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"), validators=[InputRequired()],
        choices=[SelectChoice(reason.value, _l(label)) for reason, label in REASON_LABELS.items()],
    )
    note = TextAreaField(_l("Anything staff should know (optional)"),
                         validators=[Length(max=1000)])


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note for the audit log (optional)"), validators=[Length(max=2000)])


class TransitionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l("Reason or note"), validators=[Length(max=5000)],
                         description=_l("Required to reject, request changes, accept, decline "
                                        "or merge. Public unless it rejects or asks for changes."))
    target = StringField(_l("Merge into proposal number"), validators=[Optional(), Length(max=12)])


class ClassifyForm(FlaskForm):
    category_id = IdSelectField(_l("Category"), validators=[InputRequired()])
    branch_id = IdSelectField(_l("Library branch"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_place_choices(self)


class FeasibilityForm(FlaskForm):
    note = TextAreaField(
        _l("Feasibility note"), validators=[Length(max=5000)],
        description=_l("Cost, space, staffing, licences: what patrons should know before the "
                       "decision. Public."),
    )

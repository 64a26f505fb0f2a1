from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from app.moderation.models import REASON_LABELS


class FlagForm(FlaskForm):
    reason = RadioField(
        _l("What is wrong with it?"), validators=[InputRequired()],
        choices=[SelectChoice(reason.value, _l(label)) for reason, label in REASON_LABELS.items()],
    )
    note = TextAreaField(_l("Anything staff should know (optional)"),
                         validators=[Length(max=1000)])


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note for the audit log (optional)"), validators=[Length(max=2000)])

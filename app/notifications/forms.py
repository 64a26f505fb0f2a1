from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from app.auth.models import EmailFrequency

FREQUENCY_LABELS = {
    EmailFrequency.IMMEDIATE: _l("An e-mail for each decision, update and outcome"),
    EmailFrequency.WEEKLY: _l("One weekly digest"),
    EmailFrequency.NONE: _l("No e-mail: I read notifications here"),
}


class SettingsForm(FlaskForm):
    email_frequency = RadioField(
        _l("E-mail about proposals I follow"), validators=[InputRequired()],
        choices=[SelectChoice(kind.value, label) for kind, label in FREQUENCY_LABELS.items()],
    )

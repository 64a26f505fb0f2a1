from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from app.auth.models import PATRON_TYPE_LABELS
from app.auth.services import MIN_PASSWORD_LENGTH
from app.forms import ChoiceField


class RegisterForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Length(max=254), Email(check_deliverability=False)],
    )
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(), Length(min=2, max=80)],
        description=_l("Shown next to what you write, unless you hide your name."),
    )
    patron_type = ChoiceField(
        _l("I am"),
        choices=[SelectChoice(kind.value, label) for kind, label in PATRON_TYPE_LABELS.items()],
        validators=[DataRequired(_l("Choose which of these you are."))],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired()],  # the length rule lives in services.check_password_rules
        description=_l("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))

"""Password reset and e-mail verification, both by links sent through the outbox."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from app import limits
from app.auth import services, tasks, tokens
from app.extensions import db
from app.forms import committing, render_form
from app.links import public_url
from app.mail import services as mail
from app.timeutil import utcnow

bp = Blueprint("recovery", __name__, url_prefix="/auth")


class ResetRequestForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired()],
        description=_l("At least %(n)d characters.", n=services.MIN_PASSWORD_LENGTH))


@bp.route("/reset", methods=["GET", "POST"])
@limits.mail_requests
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # The same work and answer either way (the worker looks the address up): neither the
        # answer nor its timing may reveal who has an account.
        tasks.send_reset_link(services.normalise_email(form.email.data))
        flash(_("If an account uses that address, a link to choose a new password is on its "
                "way. It works once, for an hour."), "success")
        return redirect(url_for("auth.login"), code=303)
    return render_form("auth/reset_request.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    user = tokens.user_for_reset(token)
    if user is None:
        flash(_("That link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("recovery.request_reset"), code=303)
    form = NewPasswordForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.change_password(user, form.password.data)
        if attempt.committed:
            flash(_("Your password is changed. Sign in with the new one."), "success")
            return redirect(url_for("auth.login"), code=303)
    return render_form("auth/reset.html", form, token=token)


def send_verification(user) -> None:
    """Asked for by the patron themselves (signing up, or signed in): without a saved language
    yet, the one they are reading in becomes theirs, for this e-mail and every later one."""
    user.locale = user.locale or str(get_locale())
    link = public_url("recovery.verify", token=tokens.verify_token(user))
    mail.queue_rendered(user.email, user.locale, "mail/verify.txt", user=user, link=link)


@bp.get("/verify/<token>")
def verify(token: str):
    user = tokens.user_for_verification(token)
    if user is None:
        flash(_("That link has expired. Sign in and ask for a new one."), "error")
    else:
        user.email_verified_at = user.email_verified_at or utcnow()
        db.session.commit()
        flash(_("Thank you: your e-mail address is confirmed."), "success")
    return redirect(url_for("proposals.index"), code=303)


@bp.post("/verify")
@login_required
@limits.mail_requests
def resend_verification():
    if current_user.email_verified_at is None:
        send_verification(current_user)
        db.session.commit()
    flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("proposals.new"), code=303)

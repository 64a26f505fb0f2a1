from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app import limits
from app.auth import services
from app.auth.forms import LoginForm, RegisterForm
from app.auth.recovery import send_verification
from app.auth.safety import is_safe_next
from app.extensions import db
from app.forms import committing, render_form
from app.timeutil import utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")


# A suspended account may still read, and take or delete its own data.
ALLOWED_WHILE_SUSPENDED = {"auth.logout", "auth.sign_out_everywhere", "i18n.choose_language",
                           "account.export", "account.close"}


@bp.before_app_request
def suspended_accounts_only_read():
    if request.method in ("GET", "HEAD", "OPTIONS") or not current_user.is_authenticated:
        return None
    if current_user.is_suspended(utcnow()) and request.endpoint not in ALLOWED_WHILE_SUSPENDED:
        abort(403, description=_("Your account is suspended until %(date)s: %(reason)s",
                                 date=format_date(current_user.suspended_until),
                                 reason=current_user.suspension_reason))
    return None


def _next_url() -> str:
    target = request.values.get("next")
    return target if is_safe_next(target) else url_for("proposals.index")


def local_accounts() -> str:
    """open: anyone signs up with a password; existing: only accounts already made (desk,
    import, the CLI) sign in with one; off: the sign-in page offers only the campus sign-in."""
    return current_app.config.get("LOCAL_ACCOUNTS", "open")


@bp.route("/register", methods=["GET", "POST"])
@limits.registration
def register():
    if local_accounts() != "open":
        abort(404)
    form = RegisterForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            user = services.register(
                email=form.email.data, display_name=form.display_name.data,
                password=form.password.data, patron_type=form.patron_type.data,
            )
            send_verification(user)
        if attempt.committed:
            session.clear()
            login_user(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
            return redirect(_next_url(), code=303)
    return render_form("auth/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limits.sign_in
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("That e-mail address and password do not match."))
        else:
            db.session.commit()  # keeps a re-hashed password
            session.clear()  # a fresh session at sign-in
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(_next_url(), code=303)
    return render_form("auth/login.html", form, next=request.values.get("next", ""))


@bp.post("/logout")
def logout():
    provider_sign_out = session.get("sign_out_at")  # set by a campus sign-in (app/sso)
    _end_sessions()
    flash(_("You are signed out."), "success")
    return redirect(provider_sign_out or url_for("proposals.index"), code=303)


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    _end_sessions()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("auth.login"), code=303)


def _end_sessions() -> None:
    """Ends the session on the server, not only in this browser: a copy of its cookie (a shared
    terminal, a stolen cookie) stops working. Sessions are only as many as the account's one
    nonce, so every session and remember-me cookie of the account ends with it."""
    if current_user.is_authenticated:
        with committing():
            services.end_other_sessions(current_user)
    session.clear()
    logout_user()  # after the clear: it leaves the order to delete the remember-me cookie

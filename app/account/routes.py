import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired

from app.account import services
from app.forms import committing, render_form
from app.sso.services import has_password

bp = Blueprint("account", __name__, url_prefix="/account")


class CloseForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    understood = BooleanField(
        _l("I understand: my account closes for good; what I wrote stays, credited to a "
           "former patron."), validators=[DataRequired()])


@bp.get("")
@login_required
def profile():
    return render_template("account/profile.html", given=services.contributions(current_user))


@bp.get("/recognition")
@login_required
def recognition():
    return render_template("account/recognition.html", given=services.contributions(current_user))


@bp.get("/export")
@login_required
def export():
    body = json.dumps(services.export(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="commons-my-data.json"'})


@bp.get("/export.zip")
@login_required
def export_zip():
    return Response(services.export_zip(current_user), mimetype="application/zip", headers={
        "Content-Disposition": 'attachment; filename="commons-my-data.zip"'})


@bp.route("/close", methods=["GET", "POST"])
@login_required
def close():
    form = CloseForm()
    if not has_password(current_user):  # signs in only through the university
        del form.password
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.close(current_user, password=form.password.data if "password" in form
                           else None)
        if attempt.committed:
            session.clear()
            logout_user()
            flash(_("Your account is closed. Thank you for helping the library."), "success")
            return redirect(url_for("proposals.index"), code=303)
    return render_form("account/close.html", form)

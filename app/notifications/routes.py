from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.forms import render_form
from app.notifications import services
from app.notifications.forms import SettingsForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("")
@login_required
def index():
    return render_template("notifications/index.html", items=services.recent(current_user))


@bp.post("/read")
@login_required
def mark_read():
    services.mark_all_read(current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"), code=303)


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        current_user.email_frequency = form.email_frequency.data
        db.session.commit()
        flash(_("Your e-mail choice is saved."), "success")
        return redirect(url_for("notifications.settings"), code=303)
    return render_form("notifications/settings.html", form)

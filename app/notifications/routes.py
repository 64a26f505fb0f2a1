from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.extensions import db
from app.notifications import services

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

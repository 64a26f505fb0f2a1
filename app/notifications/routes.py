from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.safety import is_safe_next
from app.extensions import db
from app.forms import committing, render_form
from app.htmx import is_htmx
from app.notifications import services
from app.notifications.forms import SettingsForm
from app.proposals.pages import visible_or_404

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


@bp.post("/follow/<int:proposal_id>")
@login_required
def follow(proposal_id: int):
    """Follow a proposal and its project, or stop: the button sends what the patron meant."""
    proposal = visible_or_404(proposal_id)
    following = request.form.get("want") != "unfollow"
    with committing() as attempt:
        services.set_following(current_user, proposal, following)
    if attempt.committed and not is_htmx():
        flash(_("You follow “%(title)s”.", title=proposal.title) if following else
              _("You no longer follow “%(title)s”.", title=proposal.title), "success")
    if is_htmx():
        return render_template("notifications/_follow.html", proposal=proposal,
                               following=following, announce=True)
    back = request.form.get("back", "")
    return redirect(back if is_safe_next(back) else
                    url_for("proposals.detail", proposal_id=proposal.id), code=303)

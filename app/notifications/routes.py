from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.safety import is_safe_next
from app.extensions import db
from app.forms import committing, render_form
from app.htmx import is_htmx
from app.notifications import services
from app.notifications.forms import (
    CHANNEL_LABELS,
    EVERY_BRANCH,
    TOPIC_LABELS,
    SettingsForm,
    field_name,
)
from app.notifications.models import Channel, Topic
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
    """Which kinds of news reach the patron, and where: one table of checkboxes."""
    form = SettingsForm()
    if request.method == "GET":
        for (topic, channel), wanted in services.table_of(current_user).items():
            form[field_name(topic, channel)].data = wanted
        form.call_branches.data = [EVERY_BRANCH if b is None else str(b)
                                   for b in services.watched_branches(current_user)]
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.choose(current_user, form.table())
            services.watch_calls(current_user, form.branch_ids())
        if attempt.committed:
            flash(_("Your notification choices are saved."), "success")
            return redirect(url_for("notifications.settings"), code=303)
    return render_form("notifications/settings.html", form, topics=list(Topic),
                       channels=list(Channel), topic_labels=TOPIC_LABELS,
                       channel_labels=CHANNEL_LABELS, field_name=field_name)


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

"""Decisions on proposals and comments: the life cycle, classification, feasibility, flags."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app import limits
from app.auth.decorators import permitted
from app.auth.safety import is_safe_next
from app.domain import Refused
from app.extensions import db
from app.forms import committing
from app.htmx import is_htmx
from app.media import policies as media_policies
from app.media import services as media
from app.media.models import MediaFile
from app.moderation import merges, policies, services
from app.moderation.forms import ClassifyForm, FeasibilityForm, FlagForm, TransitionForm
from app.proposals import lifecycle
from app.proposals import policies as proposal_policies
from app.proposals.models import Comment, Proposal
from app.proposals.pages import detail_page, visible_or_404
from app.proposals.queries import page_number
from app.timeutil import utcnow

bp = Blueprint("moderation", __name__)
MAX_PAGE = 10_000  # twenty to a page: any page a link offers, and no overflow from a made-up one


def _done(proposal: Proposal, message: str | None):
    """htmx gets the queue item back in place; a plain form goes back where it came from."""
    if message:
        flash(message, "success")
    if is_htmx():
        return render_template("moderation/_item.html", proposal=proposal, now=utcnow(),
                               announce=True)
    target = request.form.get("back", "")
    return redirect(target if is_safe_next(target) else
                    url_for("proposals.detail", proposal_id=proposal.id), code=303)


def _refused(proposal: Proposal, kept: dict | None = None):
    """The refusal is shown where the staff member is: in the queue item (with htmx, or the
    whole queue without it) with what they typed kept beside it, or on the proposal page."""
    db.session.refresh(proposal)
    kept = {"proposal_id": proposal.id, **kept} if kept else None
    if is_htmx():  # htmx swaps only a 2xx answer (base.html): the item comes back with it
        return render_template("moderation/_item.html", proposal=proposal, now=utcnow(),
                               announce=True, kept=kept)
    if kept and request.form.get("back") == url_for("moderation.queue"):
        now = utcnow()
        return render_template("moderation/queue.html", queue=services.queue(now), now=now,
                               section=None, per_section=services.PER_SECTION, kept=kept), 422
    return detail_page(proposal, status=422)


@bp.get("/staff/moderation")
@permitted(policies.can_moderate)
def queue():
    """The whole queue, a page of each section; or one section alone (`?section=`), in pages."""
    now = utcnow()
    section = request.args.get("section")
    if section not in services.SECTIONS:
        return render_template("moderation/queue.html", queue=services.queue(now), now=now,
                               section=None, per_section=services.PER_SECTION)
    page = page_number(request.args, MAX_PAGE)
    return render_template("moderation/queue.html", now=now, section=section,
                           queue=services.queue(now, [section], page),
                           per_section=services.PER_SECTION)


@bp.get("/proposals/<int:proposal_id>/merge")
@permitted(policies.can_moderate)
def merge_search(proposal_id: int):
    """Find the proposal to merge into by its title, see it, then confirm: a page without
    JavaScript, its results alone for htmx as staff type."""
    proposal = visible_or_404(proposal_id)
    query = request.args.get("q", "")[:200]
    found = services.merge_candidates(proposal, query) if query.strip() else []
    template = "moderation/_merge_results.html" if is_htmx() else "moderation/merge.html"
    return render_template(template, proposal=proposal, query=query, found=found,
                           back=_queue_or_page(request.args.get("back", "")))


def _queue_or_page(back: str) -> str:
    return back if is_safe_next(back) and back else url_for("moderation.queue")


@bp.post("/proposals/<int:proposal_id>/status")
@login_required
def change_status(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    form = TransitionForm()
    action = _action_or_none(form.action.data)
    if not form.validate_on_submit() or action is None or action in lifecycle.PROJECT_STEPS:
        abort(400)  # projects start and complete through their own forms
    if not policies.can_take(current_user, proposal, action):
        abort(403)  # a wrong moment for a permitted role is a readable refusal instead
    if action is lifecycle.Action.WITHDRAW and lifecycle.may(current_user, proposal, action):
        # the author says why, on a form of its own
        return redirect(url_for("proposals.withdraw", proposal_id=proposal.id), code=303)
    with committing() as attempt:
        if action is lifecycle.Action.MERGE:
            target = _merge_target(form.target.data)
            moved = lifecycle.merge(proposal, target, by=current_user, note=form.note.data)
            message = ngettext("Merged into “%(title)s”; %(num)d support carried over.",
                               "Merged into “%(title)s”; %(num)d supports carried over.",
                               moved, title=target.title)
        else:
            event = lifecycle.transition(proposal, action, by=current_user, note=form.note.data)
            message = _("The proposal is now “%(status)s”.", status=event.to_state.label)
    if not attempt.committed:
        return _refused(proposal, {"action": action.value, "note": form.note.data or "",
                                   "target": form.target.data or "",
                                   "message": str(attempt.refusal),
                                   "field": attempt.refusal.field})
    return _done(proposal, message)


def _action_or_none(action: str | None) -> lifecycle.Action | None:
    try:
        return lifecycle.Action(action)
    except ValueError:
        return None


def _merge_target(raw: str | None) -> Proposal:
    number = (raw or "").strip().lstrip("#")
    readable = number.isdecimal() and len(number) < 10
    target = db.session.get(Proposal, int(number)) if readable else None
    if target is None:
        raise Refused(_("There is no proposal with that number."), field="target")
    return target


@bp.post("/proposals/<int:proposal_id>/merge/undo")
@permitted(policies.can_undo_merge)
def undo_merge(proposal_id: int):
    """From the proposal's page: back to it (htmx follows and swaps the page; a refusal comes
    as a 200, since htmx swaps only a 2xx answer). From the queue item just merged: the item."""
    proposal = visible_or_404(proposal_id)
    in_queue = request.form.get("back") == url_for("moderation.queue")
    with committing() as attempt:
        target = merges.undo(proposal, by=current_user)
    if not attempt.committed:
        if in_queue:
            return _done(proposal, None)
        return detail_page(proposal, status=200 if is_htmx() else 422)
    message = ngettext("The merge into “%(title)s” is undone; %(num)d support is back.",
                       "The merge into “%(title)s” is undone; %(num)d supports are back.",
                       proposal.support_count, title=target.title)
    if in_queue:
        return _done(proposal, message)
    flash(message, "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id), code=303)


@bp.post("/proposals/<int:proposal_id>/classify")
@permitted(policies.can_classify)
def classify(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    form = ClassifyForm()
    if not form.validate_on_submit():
        flash(_("Choose a category and a branch from the lists."), "error")
        return _refused(proposal)
    services.classify(proposal, by=current_user, category_id=form.category_id.data,
                       branch_id=form.branch_id.data)
    db.session.commit()
    return _done(proposal, _("Category and branch updated."))


@bp.post("/proposals/<int:proposal_id>/feasibility")
@permitted(policies.can_assess)
def feasibility(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    form = FeasibilityForm()
    if not form.validate_on_submit():
        flash(_("The note is too long."), "error")
        return _refused(proposal)
    with committing() as attempt:
        services.set_feasibility(proposal, by=current_user, note=form.note.data or "")
    if not attempt.committed:
        return _refused(proposal)
    return _done(proposal, _("The feasibility note is saved."))


@bp.post("/proposals/<int:proposal_id>/flag")
@login_required
@limits.flag
def flag_proposal(proposal_id: int):
    return _flag(visible_or_404(proposal_id))


@bp.post("/comments/<int:comment_id>/flag")
@login_required
@limits.flag
def flag_comment(comment_id: int):
    comment = db.get_or_404(Comment, comment_id)
    if comment.proposal_id is not None:  # else on a consultation, which everyone reads
        visible_or_404(comment.proposal_id)
    return _flag(comment)


@bp.post("/photos/<int:photo_id>/flag")
@login_required
@limits.flag
def flag_photo(photo_id: int):
    """A photo on a proposal, a project update or an outcome; 404 to whoever may not see it."""
    return _flag(_photo_or_404(photo_id))


def _photo_or_404(photo_id: int) -> MediaFile:
    photo = db.get_or_404(MediaFile, photo_id)
    if not photo.is_image or photo.is_pending or not media.visible(photo, current_user):
        abort(404)
    return photo


def _photo_page(photo: MediaFile) -> str:
    """Where the photo is seen: the page the form was on, or the page of what carries it."""
    back = request.form.get("back", "")
    if back and is_safe_next(back):
        return back
    carrier = services.carrier_of(photo)
    if carrier is None or carrier.project_id is None:
        return url_for("proposals.detail", proposal_id=photo.proposal_id or 0) + "#photos"
    if carrier.kind == "outcome":
        return url_for("outcomes.index") + f"#outcome-{carrier.project_id}"
    return url_for("projects.detail", project_id=carrier.project_id)


def _comment_page(comment: Comment) -> str:
    """Where a comment is read: under its proposal, or under a consultation's draft."""
    if comment.consultation_id is not None:
        return url_for("consultations.detail", consultation_id=comment.consultation_id) + \
            f"#comment-{comment.id}"
    return url_for("proposals.detail", proposal_id=comment.proposal_id) + "#comments"


def _flag(subject):
    form = FlagForm()
    if form.validate_on_submit():
        with committing() as attempt:
            services.flag(subject, by=current_user, reason=form.reason.data, note=form.note.data)
        if attempt.committed:
            flash(_("Thank you. Library staff will look at it."), "success")
    else:
        flash(_("Choose a reason for the flag."), "error")
    if isinstance(subject, Comment):
        return redirect(_comment_page(subject), code=303)
    if isinstance(subject, MediaFile):
        return redirect(_photo_page(subject), code=303)
    return redirect(url_for("proposals.detail", proposal_id=subject.id), code=303)


@bp.post("/staff/flags/<kind>/<int:subject_id>")
@permitted(policies.can_moderate)
def resolve_flags(kind: str, subject_id: int):
    model = {"proposal": Proposal, "comment": Comment, "photo": MediaFile}.get(kind) or abort(404)
    subject = db.get_or_404(model, subject_id)
    services.resolve(subject, by=current_user, uphold=request.form.get("decision") == "uphold",
                     note=request.form.get("note", "")[:2000])
    db.session.commit()
    if kind == "photo":
        flash(_("The photo is hidden; what carries it stays.") if subject.hidden_at else
              _("The flags are dismissed; the photo is shown again."), "success")
    else:
        flash(_("Flags resolved."), "success")
    return redirect(url_for("moderation.queue") + "#flagged", code=303)


@bp.post("/comments/<int:comment_id>/hide")
@permitted(policies.can_hide)
def hide_comment(comment_id: int):
    comment = db.get_or_404(Comment, comment_id)
    hidden = request.form.get("hidden") != "0"
    services.hide_comment(comment, by=current_user, hidden=hidden)
    db.session.commit()
    flash(_("The comment is hidden.") if hidden else _("The comment is restored."), "success")
    return redirect(_comment_page(comment), code=303)


@bp.post("/proposals/<int:proposal_id>/photos/<int:photo_id>/hide")
@permitted(media_policies.can_hide)
def hide_photo(proposal_id: int, photo_id: int):
    """One photo out of sight, the proposal still public (a patron flagged it, say)."""
    photo = db.get_or_404(MediaFile, photo_id)
    if photo.proposal_id != proposal_id:
        abort(404)
    hidden = request.form.get("hidden") != "0"
    with committing() as attempt:
        services.hide_photo(photo, by=current_user, hidden=hidden)
    if attempt.committed:
        flash(_("The photo is hidden.") if hidden else _("The photo is shown again."), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal_id) + "#photos", code=303)


@bp.post("/photos/<int:photo_id>/hide")
@permitted(media_policies.can_hide)
def hide_any_photo(photo_id: int):
    """A photo of a project update or an outcome (or a proposal) out of sight, what carries it
    still shown; back to the page the button was on."""
    photo = db.get_or_404(MediaFile, photo_id)
    if not photo.is_image or photo.is_pending:
        abort(404)
    hidden = request.form.get("hidden") != "0"
    with committing() as attempt:
        services.hide_photo(photo, by=current_user, hidden=hidden)
    if attempt.committed:
        flash(_("The photo is hidden.") if hidden else _("The photo is shown again."), "success")
    return redirect(_photo_page(photo), code=303)


@bp.post("/proposals/<int:proposal_id>/comments/<int:comment_id>/official")
@login_required
def mark_official(proposal_id: int, comment_id: int):
    proposal = visible_or_404(proposal_id)
    comment = db.get_or_404(Comment, comment_id)
    if comment.proposal_id != proposal.id:
        abort(404)
    if not proposal_policies.can_mark_official(current_user):
        abort(403)
    services.set_official(comment, by=current_user, official=request.form.get("official") != "0")
    db.session.commit()
    flash(_("The library's official response is updated."), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal.id) + "#comments", code=303)

"""Proposals: the list, proposing and editing, supporting, withdrawing; comments, posted once,
replied to one level deep, edited for a while and deleted by their author."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import limits, pagecache
from app.auth.safety import is_safe_next
from app.auth.services import find_by_email
from app.domain import Refused
from app.extensions import db
from app.forms import an_id, committing, render_form
from app.htmx import is_htmx, see_other
from app.media import forms as media_forms
from app.media import services as media
from app.media import serving
from app.media.models import MediaFile
from app.proposals import (
    glossary,
    lifecycle,
    listcopy,
    policies,
    posting,
    queries,
    search,
    services,
)
from app.proposals.calls import Call, clock, phase_changes_passed
from app.proposals.forms import (
    CommentEditForm,
    CommentForm,
    DeskProposalForm,
    ProposalForm,
    ReplyForm,
    WithdrawForm,
)
from app.proposals.models import Comment, Proposal
from app.proposals.pages import detail_page, visible_or_404
from app.transactions import reads_first, start_writing

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.get("")
@pagecache.for_visitors(vary=phase_changes_passed)
def index():
    filters = queries.Filters.from_args(request.args)
    per_page = current_app.config["PROPOSALS_PER_PAGE"]
    kept = listcopy.content(filters, current_user, per_page) if current_user.is_authenticated \
        else None
    if kept and is_htmx():
        return kept.content
    if kept:
        return render_template("proposals/index.html", kept=kept, page=kept.page, filters=filters)
    page = queries.page_of(filters, current_user, per_page)
    template = "proposals/_results.html" if is_htmx() else "proposals/index.html"
    return render_template(template, page=page, filters=filters, sorts=queries.SORTS,
                           categories=queries.categories(), branches=queries.branches(),
                           statuses=queries.status_choices())


def _title_asked() -> str | None:
    title = "".join(ch for ch in request.args.get("title", "")[:280] if ch.isprintable())
    return title.strip()[:140] or None


@bp.get("/similar")
def similar():
    """Proposals like the title being typed, so a patron can support one instead."""
    items = _alike(request.args.get("title", ""), request.args)
    return render_template("proposals/_similar.html", items=items,
                           supported_ids=queries.supported_among(items, current_user))


def _alike(title: str, values) -> list[Proposal]:
    places = {name: int(values[name]) for name in ("category_id", "branch_id")
              if an_id(values.get(name, ""))}
    return search.similar(title, glossary=glossary.pairs(), **places)


def _not_seen(form: ProposalForm) -> list[Proposal]:
    """The similar proposals the patron has not been shown yet. With JavaScript the hint shows
    them while the title is typed (static/js/commons.js then marks the form `similar_hinted`);
    without, the step before sending shows them, and "Submit mine anyway" names them."""
    if request.form.get("similar_hinted"):
        return []
    seen = {int(value) for value in " ".join(request.form.getlist("similar_seen")).split()[:20]
            if an_id(value)}
    return [proposal for proposal in _alike(form.title.data, request.form)
            if proposal.id not in seen]


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limits.new_proposal
@limits.uploads
def new():
    if policies.must_confirm_email(current_user):
        return render_template("proposals/confirm_first.html"), 403
    form = DeskProposalForm() if policies.can_enter_for_patron(current_user) else ProposalForm()
    if request.method == "GET":  # "Propose it" after a search that found nothing
        form.title.data = _title_asked()
    call = _call_asked(form)
    valid = form.validate_on_submit()
    photos = _hold_photos(form)
    if valid and photos is not None and (step := _similar_first(form, call, photos)):
        return step
    if valid and photos is not None:
        with committing(form) as attempt:
            media.refuse_undescribed(photos)
            proposal = services.create(**_authorship(form), **_content(form), call=call)
            media.attach(photos, proposal.id)
        if attempt.committed:
            flash(_("Your proposal is published.") if proposal.is_public else
                  _("Thank you. Library staff will check your proposal and publish it soon."),
                  "success")
            return see_other(url_for("proposals.detail", proposal_id=proposal.id))
    return render_form("proposals/new.html", form, call=call, photos=media.held(current_user),
                       closed=services.collecting_closed(call, clock()) if call else "")


def _similar_first(form: ProposalForm, call: Call | None, photos: list):
    """Before a proposal is sent, the similar ones the patron has not seen, to support instead;
    the form comes back held in the page ("Submit mine anyway"). None: nothing to show."""
    if not all(photo.alt_text for photo in photos):  # refused below, with the form
        return None
    alike = _not_seen(form)
    if not alike:
        return None
    limits.not_counted()  # nothing is proposed yet
    return render_template("proposals/similar_first.html", form=form, call=call, alike=alike,
                           photos=photos, seen=_seen_now(alike),
                           supported_ids=queries.supported_among(alike, current_user))


def _seen_now(alike: list[Proposal]) -> str:
    seen = " ".join(request.form.getlist("similar_seen")).split()[:20]
    return " ".join(dict.fromkeys([*seen, *(str(proposal.id) for proposal in alike)]))


def _call_asked(form: ProposalForm) -> Call | None:
    """The call proposed into: `?call=<id>` or the form's `call_id`; on a new form its branch
    and category are chosen already."""
    asked = queries.call_number(request.args) or queries.call_number(request.form, "call_id")
    if not asked:
        return None
    call = db.get_or_404(Call, asked)
    if request.method == "GET":
        form.call_id.data = call.id
        form.branch_id.data = form.branch_id.data or call.branch_id
        form.category_id.data = form.category_id.data or call.category_id
    return call


def _hold_photos(form: ProposalForm, proposal: Proposal | None = None) -> list | None:
    return media_forms.hold(form, held_for="", proposal_id=proposal.id if proposal else None)


def _content(form: ProposalForm) -> dict:
    return {name: getattr(form, name).data for name in
            ("title", "problem", "suggestion", "category_id", "branch_id", "hide_name")}


def _authorship(form: ProposalForm) -> dict:
    if not getattr(form, "at_desk", None) or not form.at_desk.data:
        return {"author": current_user}
    patron = find_by_email(form.patron_email.data) if form.patron_email.data else current_user
    if patron is None:
        raise Refused(_("No account uses this e-mail address."), field="patron_email")
    return {"author": patron, "entered_by": current_user}


@bp.get("/<int:proposal_id>")
@pagecache.for_visitors(vary=phase_changes_passed)
def detail(proposal_id: int):
    return detail_page(visible_or_404(proposal_id))


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
@limits.uploads
def edit(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    if not policies.can_edit(current_user, proposal):
        abort(403)
    form = ProposalForm(obj=proposal)
    valid = form.validate_on_submit()
    photos = _hold_photos(form, proposal)
    if valid and photos is not None:
        with committing(form) as attempt:
            media.refuse_undescribed(photos)
            services.edit(proposal, by=current_user, **_content(form))
            media.attach(photos, proposal.id)
        if attempt.committed:
            flash(_("Your changes are saved."), "success")
            return see_other(url_for("proposals.detail", proposal_id=proposal.id))
    return render_form("proposals/edit.html", form, proposal=proposal,
                       photos=media.held(current_user, proposal.id))


@bp.get("/<int:proposal_id>/photos/<int:photo_id>", defaults={"thumb": False})
@bp.get("/<int:proposal_id>/photos/<int:photo_id>/thumb", defaults={"thumb": True})
def photo(proposal_id: int, photo_id: int, thumb: bool):
    """A photo is seen by whoever may see its proposal (and, when hidden, staff and its owner)."""
    shown = db.get_or_404(MediaFile, photo_id)
    if shown.proposal_id != proposal_id or not media.visible(shown, current_user):
        abort(404)
    return serving.send(shown, thumb=thumb, public=media.visible(shown, None))


@bp.post("/<int:proposal_id>/support")
@reads_first
@login_required
@limits.support
def toggle_support(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    start_writing()  # and no reload after commit: the page shows what the services read back
    with committing() as attempt:
        supported = services.toggle_support(proposal, current_user, request.form.get("want"))
    if not attempt.committed:
        supported = services.has_supported(proposal, current_user)
    elif not is_htmx():  # with htmx the partial announces the change itself
        flash(_("You support “%(title)s”.", title=proposal.title) if supported else
              _("Your support for “%(title)s” is withdrawn.", title=proposal.title), "success")
    if is_htmx():
        return render_template("proposals/_support.html", proposal=proposal, supported=supported,
                               announce=True)
    return redirect(_back_to(proposal), code=303)


def _back_to(proposal: Proposal) -> str:
    """Back to the list the patron clicked in, or to the proposal."""
    target = request.form.get("back", "")
    return target if is_safe_next(target) else url_for("proposals.detail", proposal_id=proposal.id)


@bp.route("/<int:proposal_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(proposal_id: int):
    proposal = visible_or_404(proposal_id)
    if not lifecycle.may(current_user, proposal, lifecycle.Action.WITHDRAW):
        abort(403)
    form = WithdrawForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.withdraw(proposal, by=current_user, reason=form.reason.data,
                              details=form.details.data)
        if attempt.committed:
            flash(_("Your proposal is withdrawn."), "success")
            return redirect(url_for("proposals.detail", proposal_id=proposal.id), code=303)
    return render_form("proposals/withdraw.html", form, proposal=proposal)


def _at(comment_or_proposal) -> str:
    if isinstance(comment_or_proposal, Comment):
        url = url_for("proposals.detail", proposal_id=comment_or_proposal.proposal_id)
        return f"{url}#comment-{comment_or_proposal.id}"
    return url_for("proposals.detail", proposal_id=comment_or_proposal.id) + "#comments"


def _post(proposal: Proposal, form: CommentForm, reply_to: Comment | None = None):
    if posting.already_posted(form.once.data):  # the same form again: back button or resend
        flash(_("This comment was already posted."), "info")
        return redirect(_at(proposal), code=303)
    if form.validate_on_submit():
        with committing(form) as attempt:
            comment = services.add_comment(proposal, author=current_user, body=form.body.data,
                                           reply_to=reply_to)
        if attempt.committed:
            posting.spent(form.once.data)
            flash(_("Your comment is posted."), "success")
            return redirect(_at(comment), code=303)
    if reply_to is not None:
        return detail_page(proposal, reply_form=form, reply_to=reply_to, status=422)
    return detail_page(proposal, form, 422)


@bp.post("/<int:proposal_id>/comments")
@login_required
@limits.comment
def comment(proposal_id: int):
    return _post(visible_or_404(proposal_id), CommentForm())


@bp.post("/<int:proposal_id>/comments/<int:comment_id>/replies")
@login_required
@limits.comment
def reply(proposal_id: int, comment_id: int):
    proposal = visible_or_404(proposal_id)
    answered = _comment_on(proposal, comment_id)
    return _post(proposal, ReplyForm(prefix=f"reply-{comment_id}"), answered)


def _comment_on(proposal: Proposal, comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.proposal_id != proposal.id:
        abort(404)
    return comment


@bp.route("/<int:proposal_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(proposal_id: int, comment_id: int):
    proposal = visible_or_404(proposal_id)
    comment = _comment_on(proposal, comment_id)
    if not policies.can_edit_comment(current_user, comment):
        abort(403)
    form = CommentEditForm(obj=comment)
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.edit_comment(comment, by=current_user, body=form.body.data)
        if attempt.committed:
            flash(_("Your comment is saved."), "success")
            return redirect(_at(comment), code=303)
    return render_form("proposals/edit_comment.html", form, proposal=proposal, comment=comment)


@bp.post("/<int:proposal_id>/comments/<int:comment_id>/delete")
@login_required
def delete_comment(proposal_id: int, comment_id: int):
    proposal = visible_or_404(proposal_id)
    comment = _comment_on(proposal, comment_id)
    if not policies.can_delete_comment(current_user, comment):
        abort(403)
    with committing() as attempt:
        services.delete_comment(comment, by=current_user)
    if attempt.committed:
        flash(_("Your comment is deleted."), "success")
    return redirect(_at(comment), code=303)


@bp.after_request
def not_kept_for_back(response):
    """A signed-in reader's page holds forms to post: the browser asks again rather than show a
    kept copy with typed words in it (the forms also say autocomplete="off")."""
    if request.endpoint == "proposals.detail" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    return response

"""Consultations on a draft: the list, a draft with its sections and comments, staff publishing,
changing and answering it. Comments are posted here; flags and hiding go through the moderation
routes, as for any comment."""
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import limits, pagecache
from app.auth.decorators import permitted
from app.consultations import policies, queries, services
from app.consultations.forms import ConsultationCommentForm, ConsultationForm, ResponseForm
from app.consultations.models import Consultation, changes_passed
from app.extensions import db
from app.forms import committing, render_form
from app.proposals import policies as comment_policies
from app.proposals import posting
from app.proposals import services as comments
from app.proposals.calls import clock
from app.proposals.forms import CommentEditForm
from app.proposals.models import Comment
from app.timeutil import to_library_time

bp = Blueprint("consultations", __name__, url_prefix="/consultations")


@bp.get("")
@pagecache.for_visitors(vary=changes_passed)
def index():
    now = clock()
    listed = queries.consultations_at(now)
    counts = queries.comment_counts(listed.open + listed.upcoming + listed.past)
    return render_template("consultations/index.html", consultations=listed, counts=counts,
                           now=now)


@bp.get("/<int:consultation_id>")
@pagecache.for_visitors(vary=changes_passed)
def detail(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    return _page(consultation, _comment_form(consultation))


def _comment_form(consultation: Consultation, **kwargs) -> ConsultationCommentForm:
    section = request.args.get("section", type=int)
    form = ConsultationCommentForm(once=posting.new_token(), section=section, **kwargs)
    return form.offer(consultation.draft)


def _page(consultation: Consultation, form: ConsultationCommentForm, status: int = 200):
    listed = queries.comments_of(consultation)
    return render_template("consultations/detail.html", consultation=consultation,
                           draft=consultation.draft, response=consultation.response,
                           comments=queries.by_section(listed), comment_form=form,
                           now=clock()), status


def _at(comment: Comment) -> str:
    return url_for("consultations.detail", consultation_id=comment.consultation_id) + \
        f"#comment-{comment.id}"


@bp.post("/<int:consultation_id>/comments")
@login_required
@limits.comment
def comment(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ConsultationCommentForm().offer(consultation.draft)
    if posting.already_posted(form.once.data):  # the same form again: back button or resend
        flash(_("This comment was already posted."), "info")
        return redirect(url_for("consultations.detail", consultation_id=consultation.id) +
                        "#comments", code=303)
    if form.validate_on_submit():
        with committing(form) as attempt:
            posted = services.add_comment(consultation, author=current_user,
                                          body=form.body.data, section=form.section.data)
        if attempt.committed:
            posting.spent(form.once.data)
            flash(_("Your comment is posted."), "success")
            return redirect(_at(posted), code=303)
    return _page(consultation, form, 422)


def _comment_on(consultation_id: int, comment_id: int) -> Comment:
    comment = db.get_or_404(Comment, comment_id)
    if comment.consultation_id != consultation_id:
        abort(404)
    return comment


@bp.route("/<int:consultation_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(consultation_id: int, comment_id: int):
    """Its author, for a while after posting: the proposals' rule and service."""
    comment = _comment_on(consultation_id, comment_id)
    if not comment_policies.can_edit_comment(current_user, comment):
        abort(403)
    form = CommentEditForm(obj=comment)
    if form.validate_on_submit():
        with committing(form) as attempt:
            comments.edit_comment(comment, by=current_user, body=form.body.data)
        if attempt.committed:
            flash(_("Your comment is saved."), "success")
            return redirect(_at(comment), code=303)
    return render_form("consultations/edit_comment.html", form, comment=comment,
                       consultation=db.session.get(Consultation, consultation_id))


@bp.post("/<int:consultation_id>/comments/<int:comment_id>/delete")
@login_required
def delete_comment(consultation_id: int, comment_id: int):
    comment = _comment_on(consultation_id, comment_id)
    with committing():
        comments.delete_comment(comment, by=current_user)
    if comment.deleted_at is not None:
        flash(_("Your comment is deleted."), "success")
    return redirect(_at(comment), code=303)


@bp.route("/new", methods=["GET", "POST"])
@permitted(policies.can_manage)
def new():
    form = ConsultationForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            consultation = services.create(by=current_user, **_values(form))
        if attempt.committed:
            flash(_("The consultation is published."), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation.id),
                            code=303)
    elif request.method == "GET" and request.args.get("call", type=int):
        form.call_id.data = request.args.get("call", type=int)
    return render_form("consultations/form.html", form, consultation=None)


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@permitted(policies.can_manage)
def edit(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = (ConsultationForm(obj=_shown(consultation)) if request.method == "GET"
            else ConsultationForm())
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.edit(consultation, by=current_user, **_values(form))
        if attempt.committed:
            flash(_("The consultation is saved."), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation.id),
                            code=303)
    return render_form("consultations/form.html", form, consultation=consultation)


@bp.route("/<int:consultation_id>/response", methods=["GET", "POST"])
@permitted(policies.can_manage)
def respond(consultation_id: int):
    consultation = db.get_or_404(Consultation, consultation_id)
    form = ResponseForm(obj=consultation) if request.method == "GET" else ResponseForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.respond(consultation, by=current_user, response_en=form.response_en.data,
                             response_zh=form.response_zh.data)
        if attempt.committed:
            flash(_("The response is published."), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation.id) +
                            "#response", code=303)
    return render_form("consultations/respond.html", form, consultation=consultation,
                       draft=consultation.draft, now=clock())


def _values(form: ConsultationForm) -> dict:
    return {name: form[name].data for name in services.FIELDS}


def _shown(consultation: Consultation) -> SimpleNamespace:
    """The consultation as its form shows it: moments on the library's clock."""
    return SimpleNamespace(**{
        name: to_library_time(getattr(consultation, name)) if name.endswith("_at")
        else getattr(consultation, name) for name in services.FIELDS})

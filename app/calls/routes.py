from types import SimpleNamespace

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import pagecache
from app.auth.decorators import permitted
from app.calls import policies, queries, services
from app.calls.forms import FIELDS, CallForm
from app.consultations import queries as consultation_queries
from app.extensions import db
from app.forms import committing, render_form
from app.htmx import is_htmx
from app.proposals import queries as proposal_queries
from app.proposals.calls import Call, clock, phase_changes_passed
from app.timeutil import to_library_time

bp = Blueprint("calls", __name__, url_prefix="/calls")


@bp.get("")
@pagecache.for_visitors(vary=phase_changes_passed)
def index():
    now = clock()
    calls = queries.calls_at(now)
    counts = queries.public_proposal_counts(calls.open + calls.upcoming + calls.past)
    return render_template("calls/index.html", calls=calls, counts=counts, now=now)


@bp.get("/<int:call_id>")
@pagecache.for_visitors(vary=phase_changes_passed)
def detail(call_id: int):
    call = db.get_or_404(Call, call_id)
    filters = proposal_queries.Filters.from_args(request.args)
    filters.call = call.id
    page = proposal_queries.page_of(filters, current_user,
                                    current_app.config["PROPOSALS_PER_PAGE"])
    context = {"page": page, "filters": filters, "sorts": proposal_queries.SORTS, "call": call}
    if is_htmx():
        return render_template("proposals/_results.html", **context)
    return render_template("calls/detail.html", now=clock(),
                           categories=proposal_queries.categories(),
                           branches=proposal_queries.branches(),
                           statuses=proposal_queries.status_choices(),
                           consultations=consultation_queries.of_call(call.id), **context)


@bp.route("/new", methods=["GET", "POST"])
@permitted(policies.can_manage)
def new():
    form = CallForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            call = services.create(by=current_user, **_values(form))
        if attempt.committed:
            flash(_("The call for ideas is saved."), "success")
            return redirect(url_for("calls.detail", call_id=call.id), code=303)
    return render_form("calls/form.html", form, call=None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@permitted(policies.can_manage)
def edit(call_id: int):
    call = db.get_or_404(Call, call_id)
    form = CallForm(obj=_shown(call)) if request.method == "GET" else CallForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.edit(call, by=current_user, **_values(form))
        if attempt.committed:
            flash(_("The call for ideas is saved."), "success")
            return redirect(url_for("calls.detail", call_id=call.id), code=303)
    return render_form("calls/form.html", form, call=call)


def _values(form: CallForm) -> dict:
    return {name: form[name].data for name in FIELDS}


def _shown(call: Call) -> SimpleNamespace:
    """The call as its form shows it: moments on the library's clock."""
    return SimpleNamespace(**{
        name: to_library_time(getattr(call, name)) if name.endswith("_at") else getattr(call, name)
        for name in FIELDS})

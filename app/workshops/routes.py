from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import csvstream, pagecache
from app.auth.decorators import permitted
from app.domain import Refused
from app.extensions import db
from app.forms import committing, render_form
from app.htmx import is_htmx
from app.links import public_url
from app.proposals import queries as proposal_queries
from app.timeutil import from_library_time, library_time
from app.workshops import calendar, policies, queries, services
from app.workshops.forms import (
    CancelWorkshopForm,
    CheckInForm,
    LinkForm,
    MinutesForm,
    RegisterForm,
    WorkshopForm,
)
from app.workshops.models import Registration, Seat, Workshop, WorkshopLink

bp = Blueprint("workshops", __name__)


@bp.get("/workshops")
@pagecache.for_visitors
def index():
    filters = queries.ListFilters.from_args(request.args)
    return render_template("workshops/index.html", page=queries.page(filters), filters=filters,
                           branches=proposal_queries.branches(),
                           projects=queries.projects_with_workshops(),
                           calls=queries.calls_with_workshops())


@bp.get("/workshops/<int:workshop_id>")
@pagecache.for_visitors
def detail(workshop_id: int):
    return _detail_page(db.get_or_404(Workshop, workshop_id))


def _detail_page(workshop: Workshop, register_form: RegisterForm | None = None, status=200):
    registration, position = services.seat_of(workshop, current_user)
    staff = policies.can_see_registrations(current_user, workshop)
    return render_template(
        "workshops/detail.html", workshop=workshop, registration=registration,
        position=position, register_form=register_form or RegisterForm.asking(workshop),
        refusal=services.registration_refusal(workshop, current_user)
        if current_user.is_authenticated else None,
        counts=services.attendance_counts(workshop) if staff else None,
        check_in_form=CheckInForm(), came_out_links=queries.public_links(workshop),
    ), status


def _plan(form: WorkshopForm) -> services.Plan:
    return services.Plan(
        title=form.title.data, description=form.description.data,
        starts_at=from_library_time(form.starts_at.data),
        ends_at=from_library_time(form.ends_at.data), places=form.places.data,
        opens_at=from_library_time(form.opens_at.data),
        closes_at=from_library_time(form.closes_at.data), project_id=form.project_id.data,
        call_id=form.call_id.data,
        branch_id=form.branch_id.data, room=form.room.data or "",
        online_url=form.online_url.data or "", patron_types=tuple(form.patron_types.data or ()),
        question=form.question.data or "")


def _choices(form: WorkshopForm) -> WorkshopForm:
    form.project_id.choices = queries.project_choices()
    form.call_id.choices = queries.call_choices()
    form.branch_id.choices = [(b.id, b.name) for b in proposal_queries.branches()]
    return form


@bp.route("/workshops/new", methods=["GET", "POST"])
@permitted(policies.can_schedule)
def new():
    form = _choices(WorkshopForm())
    if request.method == "GET" and request.args.get("project", "").isdigit():
        form.project_id.data = int(request.args["project"])
    if request.method == "GET" and request.args.get("call", "").isdigit():
        form.call_id.data = int(request.args["call"])
    if form.validate_on_submit():
        with committing(form) as attempt:
            workshop = services.schedule(_plan(form), by=current_user)
        if attempt.committed:
            flash(_("The workshop is scheduled."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    return render_form("workshops/form.html", form, workshop=None)


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@permitted(policies.can_edit)
def edit(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    if not policies.can_edit(current_user, workshop):
        flash(_("This workshop is cancelled."), "error")
        return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    form = _edit_form(workshop, submitted=request.method == "POST")
    if form.validate_on_submit():
        with committing(form) as attempt:
            moved = services.edit(workshop, _plan(form), by=current_user)
        if attempt.committed:
            flash(_("The workshop is moved and everyone registered or waiting is told.") if moved
                  else _("The workshop is saved."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    return render_form("workshops/form.html", form, workshop=workshop,
                       cancel_form=CancelWorkshopForm())


@bp.post("/workshops/<int:workshop_id>/call-off")
@permitted(policies.can_edit)
def call_off(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    form = CancelWorkshopForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.cancel_workshop(workshop, by=current_user, reason=form.reason.data)
        if attempt.committed:
            flash(_("The workshop is cancelled and everyone registered or waiting is told."),
                  "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    return render_template("workshops/form.html", form=_edit_form(workshop, submitted=False),
                           workshop=workshop, cancel_form=form), 422


def _edit_form(workshop: Workshop, *, submitted: bool) -> WorkshopForm:
    """What was posted, or the workshop as it is, its times on the library's clock."""
    if submitted:
        return _choices(WorkshopForm())
    form = _choices(WorkshopForm(formdata=None, obj=workshop))
    for name in ("starts_at", "ends_at", "opens_at", "closes_at"):
        form[name].data = library_time(getattr(workshop, name)).replace(tzinfo=None)
    form.patron_types.data = [kind.value for kind in workshop.invited_types]
    return form


def _seat_change(workshop: Workshop, change):
    with committing() as attempt:
        message = change()
    if attempt.committed:
        flash(message, "success")
    if is_htmx():
        registration, position = services.seat_of(workshop, current_user)
        return render_template(
            "workshops/_register.html", workshop=workshop, registration=registration,
            position=position, register_form=RegisterForm.asking(workshop), announce=True,
            refusal=services.registration_refusal(workshop, current_user))
    return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)


@bp.post("/workshops/<int:workshop_id>/register")
@login_required
def register(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    form = RegisterForm.asking(workshop)
    if not form.validate_on_submit():
        return _detail_page(workshop, form, 422)

    def registered():
        seat = services.register(workshop, current_user, answer=form.answer.data or "")
        return (_("You are registered. A calendar file is on its way by e-mail.")
                if seat is Seat.REGISTERED else
                _("The places are taken: you are on the waiting list and will be told when "
                  "a place frees."))
    return _seat_change(workshop, registered)


@bp.post("/workshops/<int:workshop_id>/cancel")
@login_required
def cancel(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)

    def cancelled():
        services.cancel_registration(workshop, current_user)
        return _("Your registration is cancelled.")
    return _seat_change(workshop, cancelled)


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


@bp.get("/workshops/<int:workshop_id>.ics")
def ics(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    registration, _position = services.seat_of(workshop, current_user)
    seated = registration is not None and registration.state == Seat.REGISTERED.value
    return _ics(calendar.ics([workshop], name=workshop.title,
                             with_link_for={workshop.id} if seated else set()),
                f"workshop-{workshop.id}.ics")


@bp.get("/workshops/feed/<token>.ics")
def feed(token: str):
    owner = services.feed_owner(token)
    if owner is None:
        abort(404)
    mine = services.workshops_of(owner)
    return _ics(calendar.ics([w for w, _state in mine], name=_("My library workshops"),
                             with_link_for={w.id for w, state in mine
                                            if state == Seat.REGISTERED.value}),
                "workshops.ics")


@bp.route("/workshops/calendar", methods=["GET", "POST"])
@login_required
def my_calendar():
    reset = request.method == "POST"
    with committing() as attempt:
        token = services.feed_token(current_user, reset=reset)
    if reset and attempt.committed:
        flash(_("Your calendar address is new: the old one no longer works."), "success")
        return redirect(url_for("workshops.my_calendar"), code=303)
    return render_template("workshops/calendar.html",
                           address=public_url("workshops.feed", token=token),
                           mine=services.workshops_of(current_user))


@bp.get("/workshops/<int:workshop_id>/attendance")
@permitted(policies.can_take_attendance)
def attendance(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    query = (request.args.get("q") or "")[:80]
    return render_template("workshops/attendance.html", workshop=workshop, query=query,
                           registrations=services.registrations(workshop, query),
                           counts=services.attendance_counts(workshop))


@bp.post("/workshops/<int:workshop_id>/attendance/<int:registration_id>")
@permitted(policies.can_take_attendance)
def mark(workshop_id: int, registration_id: int):
    registration = db.get_or_404(Registration, registration_id)
    if registration.workshop_id != workshop_id:
        abort(404)
    with committing():
        services.mark_attendance(registration, by=current_user,
                                 attended=request.form.get("attended") == "1")
    if is_htmx():
        return render_template("workshops/_attendee.html", registration=registration,
                               workshop=registration.workshop)
    query = (request.form.get("q") or "")[:80]
    return redirect(url_for("workshops.attendance", workshop_id=workshop_id,
                            **({"q": query} if query else {}))
                    + f"#attendee-{registration.id}", code=303)


@bp.post("/workshops/<int:workshop_id>/check-in")
@login_required
def check_in(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    form = CheckInForm()
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.check_in(workshop, current_user, form.code.data)
        if attempt.committed:
            flash(_("You are checked in. Thank you for coming!"), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    registration, position = services.seat_of(workshop, current_user)
    return render_template(
        "workshops/detail.html", workshop=workshop, registration=registration,
        position=position, register_form=RegisterForm.asking(workshop), check_in_form=form,
        refusal=services.registration_refusal(workshop, current_user), counts=None,
        came_out_links=queries.public_links(workshop)), 422


@bp.route("/workshops/<int:workshop_id>/minutes", methods=["GET", "POST"])
@permitted(policies.can_publish_minutes)
def minutes(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    form = MinutesForm(obj=workshop)
    if form.validate_on_submit():
        with committing(form) as attempt:
            services.publish_minutes(workshop, by=current_user, minutes=form.minutes.data)
        if attempt.committed:
            flash(_("The minutes are published."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop.id) + "#minutes",
                            code=303)
    return render_form("workshops/minutes.html", form, workshop=workshop)


def _link_form() -> LinkForm:
    form = LinkForm()
    form.milestone_id.choices = [(ident, f"{project} — {title}") for project, rows
                                 in queries.milestone_choices() for ident, title in rows]
    form.indicator_id.choices = [(ident, f"{outcome} — {name}") for outcome, rows
                                 in queries.indicator_choices() for ident, name in rows]
    return form


@bp.route("/workshops/<int:workshop_id>/links", methods=["GET", "POST"])
@permitted(policies.can_link_outcomes)
def links(workshop_id: int):
    """Staff link what came out of the session: new proposals, a milestone, an indicator."""
    workshop = db.get_or_404(Workshop, workshop_id)
    if not policies.can_link_outcomes(current_user, workshop):
        flash(_("This workshop is cancelled."), "error")
        return redirect(url_for("workshops.detail", workshop_id=workshop.id), code=303)
    form = _link_form()
    if form.validate_on_submit():
        with committing(form) as attempt:
            _add_links(workshop, form)
        if attempt.committed:
            flash(_("What came out of the workshop is linked."), "success")
            return redirect(url_for("workshops.links", workshop_id=workshop.id), code=303)
    return render_form("workshops/links.html", form, workshop=workshop,
                       links=queries.links(workshop))


def _add_links(workshop: Workshop, form: LinkForm) -> None:
    if not (form.proposal.data or "").strip() and form.milestone_id.data is None \
            and form.indicator_id.data is None:
        raise Refused(_("Choose a proposal, a milestone or an indicator."))
    if (form.proposal.data or "").strip():
        proposal = services.find_proposal(form.proposal.data)
        if proposal is None:
            raise Refused(_("No published proposal has that number or title."),
                          field="proposal")
        services.link(workshop, by=current_user, proposal=proposal)
    if form.milestone_id.data is not None:
        services.link(workshop, by=current_user, milestone_id=form.milestone_id.data)
    if form.indicator_id.data is not None:
        services.link(workshop, by=current_user, indicator_id=form.indicator_id.data)


@bp.post("/workshops/<int:workshop_id>/links/<int:link_id>/remove")
@permitted(policies.can_link_outcomes)
def unlink(workshop_id: int, link_id: int):
    made = db.get_or_404(WorkshopLink, link_id)
    if made.workshop_id != workshop_id:
        abort(404)
    with committing() as attempt:
        services.unlink(made, by=current_user)
    if attempt.committed:
        flash(_("The link is removed."), "success")
    return redirect(url_for("workshops.links", workshop_id=workshop_id), code=303)


@bp.app_template_global()
def came_out_of_workshops_for_proposal(proposal_id: int) -> list[Workshop]:
    """For the proposal's page: the workshops it came out of."""
    return queries.behind_proposal(proposal_id)


@bp.app_template_global()
def came_out_of_workshops_for_project(project_id: int) -> list[Workshop]:
    """For the project's page: the workshops a milestone or an indicator came out of."""
    return queries.behind_project(project_id)


@bp.app_template_global()
def workshops_of_call(call_id: int) -> list[Workshop]:
    """For the call's page: its workshops."""
    return queries.of_call(call_id)


@bp.get("/workshops/<int:workshop_id>/attendance.csv")
@permitted(policies.can_see_registrations)
def attendance_csv(workshop_id: int):
    workshop = db.get_or_404(Workshop, workshop_id)
    rows = ((r.user.display_name, r.user.kind.label, r.state, r.attended_at)
            for r in services.registrations(workshop))
    body = stream_with_context(csvstream.stream(
        csvstream.header(["name", "patron_type", "state", "attended_at"]), rows))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="workshop-{workshop.id}-attendance.csv"',
        "Cache-Control": "no-store"})

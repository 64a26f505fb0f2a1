from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import pagecache
from app.auth.decorators import permitted
from app.auth.models import Role, User
from app.domain import Refused
from app.extensions import db
from app.forms import committing, render_form
from app.htmx import is_htmx, see_other
from app.media import forms as media_forms
from app.media import services as media
from app.media.models import IMAGE, PDF
from app.projects import policies, queries, services
from app.projects.forms import HoursForm, OutcomeForm, ProjectForm, UpdateForm
from app.projects.models import Milestone, Place, Project, Volunteer
from app.proposals import queries as proposal_queries
from app.proposals.models import Proposal

bp = Blueprint("projects", __name__)


@bp.get("/projects")
@pagecache.for_visitors
def index():
    filters = queries.ListFilters.from_args(request.args)
    return render_template("projects/index.html", page=queries.project_page(filters),
                           filters=filters, categories=proposal_queries.categories(),
                           branches=proposal_queries.branches())


@bp.get("/projects/<int:project_id>")
@pagecache.for_visitors
def detail(project_id: int):
    project = db.get_or_404(Project, project_id)
    return _detail_page(project, UpdateForm())


def _detail_page(project: Project, update_form: UpdateForm, status: int = 200):
    place, position = services.place_of(project, current_user)
    return render_template(
        "projects/detail.html", project=project, place=place, position=position,
        update_form=update_form, volunteers=services.volunteers(project)
        if policies.can_see_volunteers(current_user, project) else None,
        update_photos=_seen(media.carried_by("update", [u.id for u in project.updates])),
        photos=media.held(current_user, held_for=_update_form_of(project))
        if policies.can_report_progress(current_user, project) else [],
    ), status


def _seen(files_by_carrier: dict) -> dict:
    return {carrier: [file for file in files if media.visible(file, current_user)]
            for carrier, files in files_by_carrier.items()}


def _update_form_of(project: Project) -> str:
    return f"update-{project.id}"


def _outcome_form_of(project: Project) -> str:
    return f"outcome-{project.id}"


def _staff_leads():
    staff_roles = [Role.STAFF.value, Role.ADMIN.value]
    staff = db.session.scalars(select(User).where(User.role.in_(staff_roles))
                               .order_by(User.display_name))
    return [SelectChoice(user.id, user.display_name) for user in staff]


def _milestones(text: str) -> list[tuple[str, date | None]]:
    rows = []
    for line in (text or "").splitlines():
        title, _bar, when = line.partition("|")
        try:
            due = date.fromisoformat(when.strip()) if when.strip() else None
        except ValueError:
            raise Refused(_("Write milestone dates as YYYY-MM-DD."), field="milestones") from None
        if title.strip():
            rows.append((title.strip()[:200], due))
    return rows


@bp.route("/proposals/<int:proposal_id>/project", methods=["GET", "POST"])
@permitted(policies.can_start)
def start(proposal_id: int):
    proposal = db.get_or_404(Proposal, proposal_id)
    if not policies.can_start(current_user, proposal):
        flash(_("Only an accepted proposal can become a project."), "error")
        return redirect(url_for("proposals.detail", proposal_id=proposal.id), code=303)
    form = ProjectForm()
    form.lead_id.choices = _staff_leads()
    if request.method == "GET":
        form.lead_id.data = current_user.id
    if form.validate_on_submit():
        with committing(form) as attempt:
            project = services.start(
                proposal, by=current_user, goal=form.goal.data,
                volunteer_tasks=form.volunteer_tasks.data, places=form.places.data,
                starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                lead=db.session.get(User, form.lead_id.data),
                milestones=_milestones(form.milestones.data),
            )
        if attempt.committed:
            flash(_("The project has started."), "success")
            return redirect(url_for("projects.detail", project_id=project.id), code=303)
    return render_form("projects/start.html", form, proposal=proposal)


def _membership_change(project_id: int, change):
    project = db.get_or_404(Project, project_id)
    with committing() as attempt:
        message = change(project)
    if attempt.committed:
        flash(message, "success")
    if is_htmx():
        place, position = services.place_of(project, current_user)
        return render_template("projects/_join.html", project=project, place=place,
                               position=position, announce=True)
    return redirect(url_for("projects.detail", project_id=project.id), code=303)


@bp.post("/projects/<int:project_id>/join")
@login_required
def join(project_id: int):
    def joined(project):
        place = services.join(project, current_user)
        return (_("You have joined the project.") if place is Place.MEMBER else
                _("The places are full: you are on the waiting list and will be told when "
                  "a place frees."))
    return _membership_change(project_id, joined)


@bp.post("/projects/<int:project_id>/leave")
@login_required
def leave(project_id: int):
    def left(project):
        services.leave(project, current_user)
        return _("You have left the project.")
    return _membership_change(project_id, left)


@bp.post("/projects/<int:project_id>/updates")
@permitted(policies.can_report_progress)
def post_update(project_id: int):
    project = db.get_or_404(Project, project_id)
    form = UpdateForm()
    valid = form.validate_on_submit()
    files = media_forms.hold(form, held_for=_update_form_of(project))
    if valid and files is not None:
        with committing(form) as attempt:
            media.refuse_undescribed(files)
            posted = services.post_update(project, by=current_user, body=form.body.data)
            media.attach(files, update_id=posted.id)
        if attempt.committed:
            flash(_("The update is posted and followers are told."), "success")
            return see_other(url_for("projects.detail", project_id=project.id))
    return _detail_page(project, form, 422)


@bp.post("/projects/<int:project_id>/milestones/<int:milestone_id>")
@permitted(policies.can_report_progress)
def milestone_done(project_id: int, milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    if milestone.project_id != project_id:
        abort(404)
    done = request.form.get("done") != "0"
    services.complete_milestone(milestone, by=current_user, done_on=date.today() if done else None)
    db.session.commit()
    return redirect(url_for("projects.detail", project_id=project_id) + "#milestones", code=303)


@bp.post("/projects/<int:project_id>/volunteers/<int:volunteer_id>/hours")
@permitted(policies.can_record_hours)
def hours(project_id: int, volunteer_id: int):
    volunteer = db.get_or_404(Volunteer, volunteer_id)
    if volunteer.project_id != project_id:
        abort(404)
    form = HoursForm()
    if form.validate_on_submit():
        services.record_hours(volunteer, by=current_user, hours=form.hours.data)
        db.session.commit()
        flash(_("Hours recorded for %(name)s.", name=volunteer.user.display_name), "success")
    else:
        flash(_("Enter hours between 0 and 10,000."), "error")
    return redirect(url_for("projects.detail", project_id=project_id) + "#volunteers", code=303)


@bp.route("/projects/<int:project_id>/complete", methods=["GET", "POST"])
@permitted(policies.can_complete)
def complete(project_id: int):
    project = db.get_or_404(Project, project_id)
    form = OutcomeForm()
    valid = form.validate_on_submit()
    files = media_forms.hold(form, held_for=_outcome_form_of(project), documents=True)
    if valid and files is not None:
        with committing(form) as attempt:
            media.refuse_undescribed(files)
            outcome = services.complete(project, by=current_user, summary=form.summary.data,
                                        indicators=form.indicator_rows(),
                                        evidence=form.evidence.data or "")
            media.attach(files, outcome_id=outcome.id)
        if attempt.committed:
            flash(_("The project is complete and its outcome is published."), "success")
            return see_other(url_for("outcomes.index") + f"#outcome-{project.id}")
    return render_form("projects/complete.html", form, project=project,
                       photos=media.held(current_user, held_for=_outcome_form_of(project),
                                         kinds=(IMAGE,)),
                       documents=media.held(current_user, held_for=_outcome_form_of(project),
                                            kinds=(PDF,)))

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import pagecache
from app.extensions import db
from app.forms import committing
from app.media import services as media
from app.media import serving
from app.media.models import MediaFile
from app.projects import queries, services
from app.projects.forms import RatingForm
from app.projects.models import Outcome
from app.proposals import lifecycle
from app.proposals import queries as proposal_queries

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")


@bp.get("")
@pagecache.for_visitors
def index():
    """“You said, we did”: completed outcomes with evidence, numbers and ratings."""
    filters = queries.ListFilters.from_args(request.args)
    page = queries.outcome_page(filters)
    return render_template(
        "outcomes/index.html", page=page, filters=filters,
        categories=proposal_queries.categories(), branches=proposal_queries.branches(),
        years=queries.outcome_years(), rating_form=RatingForm(),
        rateable=services.rateable_among(page.items, current_user),
        timelines=lifecycle.public_timelines([o.proposal for o in page.items]),
        files=_seen(media.carried_by("outcome", [o.id for o in page.items])),
    )


def _seen(files_by_outcome: dict) -> dict:
    return {outcome_id: [file for file in files if media.visible(file, current_user)]
            for outcome_id, files in files_by_outcome.items()}


@bp.get("/<int:outcome_id>/documents/<int:document_id>")
def document(outcome_id: int, document_id: int):
    """An outcome's evidence, downloaded as it was checked: whoever may see its proposal."""
    found = db.get_or_404(MediaFile, document_id)
    if found.outcome_id != outcome_id or not media.visible(found, current_user):
        abort(404)
    return serving.send(found, public=media.visible(found, None))


@bp.post("/<int:outcome_id>/rate")
@login_required
def rate(outcome_id: int):
    outcome = db.get_or_404(Outcome, outcome_id)
    form = RatingForm()
    if form.validate_on_submit():
        with committing() as attempt:
            services.rate(outcome, by=current_user, stars=int(form.stars.data),
                          comment=form.comment.data or "")
        if attempt.committed:
            flash(_("Thank you for rating the outcome."), "success")
    else:
        flash(_("Choose from one to five stars."), "error")
    return redirect(url_for("outcomes.index") + f"#outcome-{outcome.project_id}", code=303)

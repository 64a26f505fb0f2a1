"""/api/v1: published proposals, outcomes, projects and workshops as JSON. GET only, no sign-in,
no cookies read: what it answers is the same for everyone, so shared caches may keep it for a
minute."""
from http import HTTPStatus

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from app.api import caching, openapi, params, queries, serializers
from app.api.paging import Keyset, page
from app.calls import queries as call_queries
from app.extensions import csrf, db
from app.links import public_base, public_url
from app.media import services as media
from app.projects.models import Outcome, Project
from app.projects.queries import PROJECT_STATES, ListFilters
from app.proposals import queries as proposal_queries
from app.proposals.calls import Call, clock
from app.proposals.models import PUBLIC_STATUSES, Proposal
from app.questionnaires import services as questionnaire_services
from app.workshops import queries as workshop_queries
from app.workshops.models import Workshop

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # nothing here writes: GET only

OUTCOME_ORDER = Keyset("published", (Outcome.published_at, Outcome.id))
PROJECT_ORDER = Keyset("starts", (Project.starts_on, Project.id))
CALL_ORDER = Keyset("opens", (Call.collecting_starts_at, Call.id))
WORKSHOP_ORDER = Keyset("workshop_starts", (Workshop.starts_at, Workshop.id))


def proposal_order(sort: str) -> Keyset:
    return Keyset(sort, (proposal_queries.SORTS[sort][1].element, Proposal.id))


@bp.get("/proposals")
def proposals():
    args = request.args
    filters = proposal_queries.Filters(
        q=params.words(args, "q"), category=_slug(args, "category"), branch=_slug(args, "branch"),
        status=params.choice(args, "status", [s.value for s in PUBLIC_STATUSES]),
        sort=params.choice(args, "sort", proposal_queries.SORTS, proposal_queries.DEFAULT_SORT),
        call=params.identifier(args, "call"),
    )
    items, cursor = page(lambda conditions, reach: proposal_queries.listing_after(
                             filters, *conditions, reach=reach),
                         proposal_order(filters.sort),
                         limit=params.limit(args), cursor=params.cursor(args))
    return _listing("api.proposals", [serializers.proposal_summary(p) for p in items], cursor,
                    serializers.newest(*map(serializers.proposal_changed_at, items)),
                    keep=("q", "category", "branch", "status", "sort", "call"))


@bp.get("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    found = queries.proposal(proposal_id)
    if found is None:
        abort(404, "no published proposal has this id")
    timeline, responses = queries.timeline(found), queries.official_responses(found)
    body = serializers.proposal_detail(found, timeline=timeline, responses=responses,
                                       project_id=queries.project_id_of(found),
                                       photos=media.public_of_proposal(found.id))
    return caching.json_response(body, serializers.newest(
        serializers.proposal_changed_at(found), *(e.created_at for e in timeline),
        *(c.created_at for c in responses)))


@bp.get("/outcomes")
def outcomes():
    filters = ListFilters(category=_slug(request.args, "category"),
                          branch=_slug(request.args, "branch"), year=params.year(request.args))
    items, cursor = page(lambda conditions, _reach: queries.outcomes(filters).where(*conditions),
                         OUTCOME_ORDER,
                         limit=params.limit(request.args),
                         cursor=params.cursor(request.args))
    rated = queries.rated_at([o.id for o in items])
    return _listing("api.outcomes", [serializers.outcome(o) for o in items], cursor,
                    serializers.newest(*(serializers.newest(o.published_at, rated.get(o.id))
                                         for o in items)), keep=("category", "branch", "year"))


@bp.get("/projects")
def projects():
    filters = ListFilters(status=params.choice(request.args, "status", PROJECT_STATES),
                          category=_slug(request.args, "category"),
                          branch=_slug(request.args, "branch"))
    listed = queries.projects(filters).options(selectinload(Project.milestones),
                                               selectinload(Project.outcome))
    items, cursor = page(lambda conditions, _reach: listed.where(*conditions), PROJECT_ORDER,
                         limit=params.limit(request.args),
                         cursor=params.cursor(request.args))
    joined = queries.joined_at([p.id for p in items])
    return _listing("api.projects", [serializers.project(p) for p in items], cursor,
                    serializers.newest(*(serializers.project_changed_at(p, joined.get(p.id))
                                         for p in items)), keep=("status", "category", "branch"))


@bp.get("/calls")
def calls():
    now = clock()
    items, cursor = page(lambda conditions, _reach: select(Call).where(*conditions)
                         .order_by(*(column.desc() for column in CALL_ORDER.columns)),
                         CALL_ORDER, limit=params.limit(request.args),
                         cursor=params.cursor(request.args))
    counts = call_queries.public_proposal_counts(items)
    return _listing("api.calls", [serializers.call(c, now, counts.get(c.id, 0)) for c in items],
                    cursor, serializers.newest(*(serializers.call_changed_at(c, now)
                                                 for c in items)), keep=())


@bp.get("/calls/<int:call_id>")
def call(call_id: int):
    found = db.session.get(Call, call_id)
    if found is None:
        abort(404, "no call for ideas has this id")
    now = clock()
    count = call_queries.public_proposal_counts([found]).get(found.id, 0)
    asked = questionnaire_services.of_call(found)
    body = serializers.call(found, now, count) | {
        "questionnaire": serializers.questionnaire(asked, now)}
    return caching.json_response(body, serializers.newest(
        serializers.call_changed_at(found, now), asked.updated_at if asked else None))


@bp.get("/workshops")
def workshops():
    when = params.choice(request.args, "when", ("upcoming", "past"))
    branch = _slug(request.args, "branch")
    listed = workshop_queries.public(when=when, branch=branch,
                                     call=params.identifier(request.args, "call") or None)
    items, cursor = page(lambda conditions, _reach: listed.where(*conditions), WORKSHOP_ORDER,
                         limit=params.limit(request.args), cursor=params.cursor(request.args))
    return _listing("api.workshops", [serializers.workshop(w) for w in items], cursor,
                    serializers.newest(*(w.updated_at for w in items)),
                    keep=("when", "branch", "call"))


@bp.get("/openapi.json")
def openapi_document():
    return caching.json_response(openapi.document(public_base()))


@bp.before_app_request
def routing_errors_in_json():
    """An unknown address, method or id under /api/v1 never reaches a view of this blueprint
    (so none of its error handlers): answer it here, in JSON, before the HTML page would."""
    error = request.routing_exception
    if (isinstance(error, HTTPException) and (error.code or 0) >= 400
            and request.path.startswith(f"{bp.url_prefix}/")):
        return http_error(error)
    return None


def _slug(args, name: str) -> str:
    """A category or branch slug that exists: a typo is a 400, not an empty list."""
    slug = params.text(args, name, params.MAX_SLUG)
    known = {"category": proposal_queries.categories, "branch": proposal_queries.branches}[name]
    if slug and slug not in {place.slug for place in known()}:
        raise params.BadParameter(name, f"there is no {name} with the slug {slug!r}")
    return slug


def _listing(endpoint: str, items: list, cursor: str | None, changed_at, keep: tuple):
    """The page, with a link to the next one that repeats the (validated) filters."""
    following = None
    if cursor:
        args = {name: request.args[name] for name in (*keep, "limit") if request.args.get(name)}
        following = public_url(endpoint, **args, cursor=cursor)
    return caching.json_response({"items": items, "next": following}, changed_at)


@bp.errorhandler(params.BadParameter)
def bad_parameter(error: params.BadParameter):
    return _error(400, str(error), parameter=error.name)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    message = error.description or error.name
    if isinstance(error, NotFound) and message == NotFound.description:
        message = "there is nothing at this address; see /api/v1/openapi.json"
    response, status = _error(error.code or 500, message)
    if isinstance(error, MethodNotAllowed):
        response.headers["Allow"] = "GET, HEAD"
    return response, status


@bp.errorhandler(Exception)
def unexpected(error: Exception):
    db.session.rollback()
    current_app.logger.exception("Unhandled error in the API", exc_info=error)
    return _error(500, "something went wrong on our side; please try again")


def _error(status: int, message: str, **extra):
    body = {"status": status, "error": _reason(status), "message": message, **extra}
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, status


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"

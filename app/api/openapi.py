"""The OpenAPI 3.1 description of /api/v1, written by hand next to the code it describes.

Objects are closed (`additionalProperties: false`): the tests validate real responses against
these schemas, so a field added to a serializer without being documented here fails them.
"""
from app.api.params import (
    DEFAULT_LIMIT,
    MAX_CURSOR,
    MAX_ID,
    MAX_LIMIT,
    MAX_SLUG,
    MAX_TEXT,
    PRINTABLE,
)
from app.auth.models import PatronType
from app.projects.queries import PROJECT_STATES
from app.proposals.calls import PHASES, Phase
from app.proposals.models import PUBLIC_STATUSES, Origin
from app.proposals.queries import SORTS
from app.questionnaires.models import Kind


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, optional: tuple = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": properties,
            "required": [name for name in properties if name not in optional]}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
TIME = {"type": "string", "format": "date-time"}
MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}
MAYBE_DATE = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}
LINK = {"type": "object", "additionalProperties": False, "required": ["id", "title", "url"],
        "properties": {"id": INTEGER, "title": STRING, "url": URL}}

SUMMARY = {
    "id": INTEGER,
    "title": STRING,
    "status": {"type": "string", "enum": [s.value for s in PUBLIC_STATUSES]},
    "category": _ref("Place"),
    "branch": _ref("Place"),
    "author": _ref("Author"),
    "origin": {"type": "string", "enum": [o.value for o in Origin],
               "description": "online: a patron wrote it; desk: staff entered it for a patron "
                              "met at a desk; staff: an idea from library staff"},
    "support_count": INTEGER,
    "comment_count": INTEGER,
    "created_at": TIME,
    "published_at": MAYBE_TIME,
    "last_activity_at": TIME,
    "response_due_at": {**MAYBE_TIME, "description": "the date the library promised to answer by"},
    "overdue": {"type": "boolean", "description": "under review and past the promised date"},
    "decided_at": MAYBE_TIME,
    "merged_into_id": {"type": ["integer", "null"]},
    "call_id": {"type": ["integer", "null"],
                "description": "the call for ideas it was made in (invited participation)"},
    "url": {**URL, "description": "the proposal's page"},
    "api_url": URL,
}
DETAIL = SUMMARY | {
    "problem": {**STRING, "description": "Markdown"},
    "suggestion": {**STRING, "description": "Markdown"},
    "feasibility_note": {"type": ["string", "null"], "description": "Markdown"},
    "timeline": {"type": "array", "items": _ref("TimelineEvent")},
    "official_responses": {"type": "array", "items": _ref("OfficialResponse")},
    "project_id": {"type": ["integer", "null"]},
    "photos": {"type": "array", "items": _ref("Photo")},
}

SCHEMAS = {
    "Place": _obj({"slug": STRING, "name_en": STRING, "name_zh": STRING}),
    "Author": _obj({
        "display": {**STRING, "description": "the author's name, or for authors who hide it "
                                             "only their patron type (\"an undergraduate\")"},
        "anonymous": {"type": "boolean"},
        "patron_type": {"type": ["string", "null"], "enum": [*[t.value for t in PatronType], None],
                        "description": "given only for anonymous authors"},
    }),
    "ProposalSummary": _obj(SUMMARY),
    "Proposal": _obj(DETAIL),
    "TimelineEvent": _obj({
        "from": {"type": ["string", "null"]},
        "to": STRING,
        "at": TIME,
        "by": {"type": "string", "enum": ["library", "author", "patron", "system"]},
        "note": STRING,
    }),
    "Photo": _obj({"url": URL, "thumbnail_url": URL,
                   "alt": {**STRING, "description": "what the photo shows (its alt text)"},
                   "width": INTEGER, "height": INTEGER}),
    "OfficialResponse": _obj({"id": INTEGER, "body": {**STRING, "description": "Markdown"},
                              "created_at": TIME}),
    "Indicator": _obj({"name": STRING, "before": {"type": "number"}, "after": {"type": "number"},
                       "unit": STRING}),
    "Outcome": _obj({
        "id": INTEGER,
        "project_id": INTEGER,
        "proposal": LINK,
        "category": _ref("Place"),
        "branch": _ref("Place"),
        "summary": {**STRING, "description": "what changed, Markdown"},
        "indicators": {"type": "array", "items": _ref("Indicator")},
        "evidence": {"type": "array", "items": STRING},
        "supporters": INTEGER,
        "volunteers": INTEGER,
        "rating": _obj({"average": {"type": ["number", "null"], "minimum": 1, "maximum": 5},
                        "count": INTEGER}),
        "published_at": TIME,
        "url": URL,
    }),
    "Milestone": _obj({"title": STRING, "due_on": MAYBE_DATE, "done_on": MAYBE_DATE}),
    "Project": _obj({
        "id": INTEGER,
        "proposal": LINK,
        "category": _ref("Place"),
        "branch": _ref("Place"),
        "status": {"type": "string", "enum": list(PROJECT_STATES)},
        "goal": STRING,
        "volunteer_tasks": STRING,
        "places": INTEGER,
        "members": INTEGER,
        "free_places": INTEGER,
        "starts_on": {"type": "string", "format": "date"},
        "ends_on": MAYBE_DATE,
        "completed_at": MAYBE_TIME,
        "milestones": {"type": "array", "items": _ref("Milestone")},
        "outcome_id": {"type": ["integer", "null"]},
        "url": URL,
    }),
    "Call": _obj({
        "id": INTEGER,
        "title_en": {**STRING, "description": "empty when the call has only a Chinese title"},
        "title_zh": {**STRING, "description": "empty when the call has only an English title"},
        "description_en": {**STRING, "description": "Markdown"},
        "description_zh": {**STRING, "description": "Markdown"},
        "branch": {"oneOf": [_ref("Place"), {"type": "null"}],
                   "description": "null: every branch"},
        "category": {"oneOf": [_ref("Place"), {"type": "null"}]},
        "phase": {"type": "string", "enum": [p.value for p in Phase],
                  "description": "worked out from the clock when asked: upcoming, one of the "
                                 "four phases, between two of them, or ended"},
        "phases": _obj({phase.value: _ref("PhaseDates") for phase, _s, _e in PHASES}),
        "summary_en": {"type": ["string", "null"],
                       "description": "the closing summary (Markdown), from the results phase on"},
        "summary_zh": {"type": ["string", "null"]},
        "proposal_count": {**INTEGER, "description": "published proposals made in the call"},
        "created_at": TIME,
        "url": {**URL, "description": "the call's page"},
        "api_url": URL,
        "proposals_url": {**URL, "description": "its proposals in this API"},
        "questionnaire": {"oneOf": [_ref("Questionnaire"), {"type": "null"}],
                          "description": "one call only (/api/v1/calls/{call_id}): its short "
                                         "questionnaire, null when it has none"},
    }, optional=("questionnaire",)),
    "Questionnaire": _obj({
        "questions": {"type": "array", "items": _ref("Question")},
        "results_public": {"type": "boolean",
                           "description": "staff made the results public after the call closed"},
        "results": {"oneOf": [_ref("QuestionnaireResults"), {"type": "null"}],
                    "description": "null until the results are public"},
    }),
    "Question": _obj({
        "id": INTEGER,
        "kind": {"type": "string", "enum": [kind.value for kind in Kind]},
        "text_en": STRING,
        "text_zh": STRING,
        "options_en": {"type": "array", "items": STRING},
        "options_zh": {"type": "array", "items": STRING},
        "max_choices": {"type": ["integer", "null"],
                        "description": "multiple choice: the most options one may choose"},
    }),
    "QuestionnaireResults": _obj({
        "respondents": INTEGER,
        "questions": {"type": "array", "items": _obj({
            "id": INTEGER,
            "answered": {**INTEGER, "description": "people who answered this question"},
            "measure": {"type": "string", "enum": ["answers", "points"],
                        "description": "points for a ranking: of k options ranked, the first "
                                       "gets k, the last 1"},
            "options": {"type": "array", "items": _obj({"label": STRING, "count": INTEGER}),
                        "description": "per option, or per value of a 1 to 5 scale"},
            "average": {"type": ["number", "null"], "description": "a scale's average"},
            "texts": {"type": "array", "items": _obj({
                "text": STRING,
                "by": {"type": ["string", "null"],
                       "description": "the writer's name; null when answered anonymously"}}),
                "description": "short-text answers"},
        })},
    }),
    "PhaseDates": _obj({"starts_at": TIME, "ends_at": TIME}),
    "CallRef": _obj({"id": INTEGER, "title_en": STRING, "title_zh": STRING,
                     "url": {**URL, "description": "the call's page"}, "api_url": URL}),
    "Workshop": _obj({
        "id": INTEGER,
        "title": STRING,
        "description": {**STRING, "description": "Markdown"},
        "starts_at": TIME,
        "ends_at": TIME,
        "branch": {"oneOf": [_ref("Place"), {"type": "null"}]},
        "room": STRING,
        "online": {"type": "boolean",
                   "description": "held online (the link goes to registered patrons only)"},
        "places": INTEGER,
        "registered": INTEGER,
        "free_places": INTEGER,
        "registration_opens_at": TIME,
        "registration_closes_at": TIME,
        "patron_types": {"type": "array", "description": "who it is for; empty: every patron",
                         "items": {"type": "string", "enum": [t.value for t in PatronType]}},
        "project_id": {"type": ["integer", "null"]},
        "call": {"oneOf": [_ref("CallRef"), {"type": "null"}],
                 "description": "the call for ideas the workshop belongs to, if any"},
        "cancelled": {"type": "boolean"},
        "minutes": {"type": ["string", "null"], "description": "Markdown, once published"},
        "url": URL,
        "ics_url": URL,
    }),
    "Error": _obj({"status": INTEGER, "error": STRING, "message": STRING,
                   "parameter": {**STRING, "description": "the query parameter at fault"}},
                  optional=("parameter",)),
}
for name in ("ProposalSummary", "Outcome", "Project", "Call", "Workshop"):
    SCHEMAS[name.removesuffix("Summary") + "Page"] = _obj({
        "items": {"type": "array", "items": _ref(name)},
        "next": {"type": ["string", "null"], "format": "uri",
                 "description": "the next page, or null on the last one"},
    })


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or STRING}


def _printable(max_length: int) -> dict:
    """Text as app/api/params.py checks it: no control characters, at most so long."""
    return {"type": "string", "pattern": PRINTABLE, "maxLength": max_length}


CATEGORY = _query("category", "a category slug, e.g. `spaces`; one that does not exist is a 400",
                  _printable(MAX_SLUG))
BRANCH = _query("branch", "a branch slug, e.g. `main`; one that does not exist is a 400",
                _printable(MAX_SLUG))
LIMIT = _query("limit", f"items per page, 1 to {MAX_LIMIT}",
               {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT})
CURSOR = _query("cursor", "from the `next` link of the previous page, with the same sort; "
                          "opaque: one this API did not give out is a 400", _printable(MAX_CURSOR))

CACHE_HEADERS = {name: {"$ref": f"#/components/headers/{name}"}
                 for name in ("ETag", "Last-Modified", "Cache-Control")}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "headers": CACHE_HEADERS,
            "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {
    "304": {"description": "Not modified: the If-None-Match or If-Modified-Since still holds"},
    "400": {"$ref": "#/components/responses/BadParameter"},
}


def _listing(summary: str, schema: str, parameters: list) -> dict:
    return {"get": {"summary": summary, "parameters": [*parameters, LIMIT, CURSOR],
                    "responses": {"200": _ok(schema, "a page of items"), **ERRORS}}}


PATHS = {
    "/api/v1/proposals": _listing("Published proposals", "ProposalPage", [
        _query("q", "words to search for in the title, problem and suggestion (every one "
                    "must match; Chinese works)", _printable(MAX_TEXT)),
        CATEGORY, BRANCH,
        _query("status", "one public status", {"type": "string",
                                               "enum": [s.value for s in PUBLIC_STATUSES]}),
        _query("sort", "order", {"type": "string", "enum": list(SORTS), "default": "trending"}),
        _query("call", "a call's id: only the proposals made in that call",
               {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
    ]),
    "/api/v1/proposals/{proposal_id}": {"get": {
        "summary": "One published proposal with its public timeline and official responses",
        "parameters": [{"name": "proposal_id", "in": "path", "required": True,
                        "schema": INTEGER}],
        "responses": {"200": _ok("Proposal", "the proposal"), "304": ERRORS["304"],
                      "404": {"$ref": "#/components/responses/NotFound"}},
    }},
    "/api/v1/outcomes": _listing("Completed outcomes (\"You said, we did\")", "OutcomePage", [
        CATEGORY, BRANCH,
        _query("year", "the year the outcome was published", {"type": "integer",
                                                               "minimum": 2000,
                                                               "maximum": 2100}),
    ]),
    "/api/v1/projects": _listing("Co-design projects, the latest start first", "ProjectPage", [
        _query("status", "active or completed", {"type": "string",
                                                 "enum": list(PROJECT_STATES)}),
        CATEGORY, BRANCH,
    ]),
    "/api/v1/calls": _listing("Calls for ideas, the latest to open first", "CallPage", []),
    "/api/v1/calls/{call_id}": {"get": {
        "summary": "One call for ideas, with its phase now, the dates of its phases and its "
                   "questionnaire (its results once public)",
        "parameters": [{"name": "call_id", "in": "path", "required": True, "schema": INTEGER}],
        "responses": {"200": _ok("Call", "the call"), "304": ERRORS["304"],
                      "404": {"$ref": "#/components/responses/NotFound"}},
    }},
    "/api/v1/workshops": _listing("Co-design workshops, the latest start first", "WorkshopPage", [
        _query("when", "upcoming (not yet ended) or past", {"type": "string",
                                                            "enum": ["upcoming", "past"]}),
        BRANCH,
        _query("call", "a call's id: only the workshops of that call",
               {"type": "integer", "minimum": 1, "maximum": MAX_ID}),
    ]),
    "/api/v1/openapi.json": {"get": {
        "summary": "This document",
        "responses": {"200": {"description": "OpenAPI 3.1",
                              "content": {"application/json": {"schema": {"type": "object"}}}}},
    }},
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Commons read-only API",
        "version": "1.0.0",
        "description": (
            "Public data of Commons, the library co-design platform: published proposals, "
            "calls for ideas, co-design projects and their outcomes, workshops. Read-only, no "
            "sign-in. Authors who chose to hide their name appear only as their patron "
            "type. Lists are paginated by cursor: follow `next` until it is null. "
            "Responses carry an ETag and Last-Modified and answer 304 to a matching "
            "If-None-Match or If-Modified-Since."
        ),
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": {
            "BadParameter": {"description": "A query parameter the API cannot honour",
                             "content": {"application/json": {"schema": _ref("Error")}}},
            "NotFound": {"description": "No such public item",
                         "content": {"application/json": {"schema": _ref("Error")}}},
        },
        "headers": {
            "ETag": {"description": "a hash of the body", "schema": STRING},
            "Last-Modified": {"description": "the newest change among the items shown",
                              "schema": STRING},
            "Cache-Control": {"description": "public, max-age=60", "schema": STRING},
        },
    },
}


def document(server_url: str) -> dict:
    return DOCUMENT | {"servers": [{"url": server_url}]}

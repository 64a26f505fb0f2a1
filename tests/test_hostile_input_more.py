"""Hostile input, continued: the project, outcome, account, admin, dashboard, export and API
forms and parameters that tests/test_hostile_input.py does not reach.

Same promise: 2xx/3xx, or a 4xx that says what is wrong; never a 500, and a refused write
leaves nothing behind (no Project row for a refused start, no Outcome for a refused completion).
"""
from types import SimpleNamespace
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.auth import tokens
from app.auth.models import User
from app.extensions import db
from app.projects import services as projects
from app.projects.models import (
    Indicator,
    Milestone,
    Outcome,
    Project,
    ProjectUpdate,
    Rating,
    Volunteer,
)
from app.proposals.models import Branch, Category, Proposal, Status
from tests.conftest import count
from tests.test_hostile_input import (
    CLASSICS,
    PROFILE,
    assert_sane,
    padded,
    post,
    query_string,
    submission,
)

MODELS = (User, Proposal, Project, Milestone, ProjectUpdate, Volunteer, Outcome, Indicator,
          Rating, Category, Branch)


def counts() -> tuple:
    db.session.expire_all()
    return tuple(count(model) for model in MODELS)


def encode(pairs) -> bytes:
    return b"&".join(quote_from_bytes(k.encode() if isinstance(k, str) else k).encode() + b"="
                     + quote_from_bytes(v).encode() for k, v in pairs)


def accepted_proposal(make_proposal):
    return make_proposal(status=Status.ACCEPTED)


@pytest.fixture
def world(make_user, make_proposal, make_project):
    patron, staff = make_user(), make_user(role="staff", name="Librarian Li")
    admin = make_user(role="admin")
    running = make_project(places=1)
    projects.join(running, patron)
    db.session.commit()
    done = make_project()
    projects.join(done, patron)
    projects.complete(done, by=staff, summary="The east room opens on Sundays now.",
                      indicators=[("Seats", 10, 40, "seats")])
    db.session.commit()
    w = SimpleNamespace(
        patron=patron, staff=staff, admin=admin, running=running, done=done,
        outcome=db.session.query(Outcome).filter_by(project_id=done.id).one(),
        milestone=running.milestones[0],
        volunteer=db.session.query(Volunteer).filter_by(project_id=running.id).one(),
        accepted=accepted_proposal(make_proposal), to_complete=make_project(),
        victim=make_user(), category=str(db.session.query(Category.id).first()[0]))
    w.renew = lambda: _renew(w, make_proposal, make_project, make_user)
    return w


def _renew(w, make_proposal, make_project, make_user):
    """Targets that a successful submission used up are replaced by fresh ones."""
    db.session.expire_all()
    if db.session.get(Proposal, w.accepted.id).status != Status.ACCEPTED.value:
        w.accepted = accepted_proposal(make_proposal)
    if db.session.get(Project, w.to_complete.id).completed_at is not None:
        w.to_complete = make_project()
    if db.session.get(User, w.victim.id).deleted_at is not None:
        w.victim = make_user()


def _start(w):
    return {"goal": "Open the east reading room on Sundays.",
            "volunteer_tasks": "Welcome readers and count seats.", "places": "4",
            "starts_on": "2026-12-01", "ends_on": "2027-03-01", "lead_id": str(w.staff.id),
            "milestones": "Survey seats | 2026-12-15\nOpen the doors"}


def _complete(w):
    return {"summary": "The east room opens on Sundays now.",
            "indicators-0-name": "Seats", "indicators-0-before": "10",
            "indicators-0-after": "40", "indicators-0-unit": "seats",
            "evidence": "https://library.example.edu/report"}


FORMS = {  # who signs in, where it posts, a well-formed submission
    "project start": ("staff", lambda w: f"/proposals/{w.accepted.id}/project", _start),
    "project update": ("staff", lambda w: f"/projects/{w.running.id}/updates",
                       lambda w: {"body": "The survey is done: 40 seats."}),
    "milestone done": ("staff", lambda w: f"/projects/{w.running.id}/milestones/{w.milestone.id}",
                       lambda w: {"done": "1"}),
    "volunteer hours": ("staff",
                        lambda w: f"/projects/{w.running.id}/volunteers/{w.volunteer.id}/hours",
                        lambda w: {"hours": "2.5"}),
    "project complete": ("staff", lambda w: f"/projects/{w.to_complete.id}/complete", _complete),
    "join": ("patron", lambda w: f"/projects/{w.running.id}/join", lambda w: {"x": "1"}),
    "leave": ("patron", lambda w: f"/projects/{w.running.id}/leave", lambda w: {"x": "1"}),
    "rate": ("patron", lambda w: f"/outcomes/{w.outcome.id}/rate",
             lambda w: {"stars": "4", "comment": "Much better on Sundays."}),
    "notification settings": ("patron", lambda w: "/notifications/settings",
                              lambda w: {"email_frequency": "weekly"}),
    "account close": ("victim", lambda w: "/account/close",
                      lambda w: {"password": "correct horse battery", "understood": "y"}),
    "reset request": (None, lambda w: "/auth/reset", lambda w: {"email": w.patron.email}),
    "reset": (None, lambda w: "/auth/reset/"
              + tokens.reset_token(db.session.get(User, w.victim.id)),
              lambda w: {"password": "a brand new long password"}),
    "language": ("patron", lambda w: "/language",
                 lambda w: {"locale": "zh_Hans", "next": "/projects"}),
    "admin role": ("admin", lambda w: f"/admin/users/{w.victim.id}/role",
                   lambda w: {"role": "staff"}),
    "admin suspend": ("staff", lambda w: f"/admin/users/{w.victim.id}/suspend",
                      lambda w: {"until": "2030-01-01", "reason": "Spam in comments."}),
    "admin lift": ("staff", lambda w: f"/admin/users/{w.victim.id}/lift", lambda w: {"x": "1"}),
    "admin settings": ("admin", lambda w: "/admin/settings", lambda w: {
        "response_threshold": "50", "response_days": "30", "flag_threshold": "3"}),
    "admin places": ("admin", lambda w: "/admin/places", lambda w: {
        "kind": "category", "id": w.category, "slug": "reading-rooms",
        "name_en": "Reading rooms", "name_zh": "阅览室"}),
}


def variants(valid: dict):
    """The submission with one field replaced by each classic, missing, or sent twice."""
    for position, name in enumerate(valid):
        for payload in CLASSICS if position < 3 else CLASSICS[:-1]:  # the 600 kB one: 3 fields
            yield [(k, payload if k == name else v.encode()) for k, v in valid.items()]
        yield [(k, v.encode()) for k, v in valid.items() if k != name]
        yield [(k, v.encode()) for k, v in valid.items()] + [(name, b"\xff\xfe\x00")]


def check_no_partial_write(form, w, response, before, states) -> None:
    if form == "project start" and response.status_code != 303 or (
            form == "project start" and "/projects/" not in response.headers.get("Location", "")):
        assert counts()[MODELS.index(Project)] == before[MODELS.index(Project)]
        assert counts()[MODELS.index(Milestone)] == before[MODELS.index(Milestone)]
        assert db.session.get(Proposal, states[0]).status == Status.ACCEPTED.value
    if form == "project complete" and response.status_code != 303:
        assert counts()[MODELS.index(Outcome)] == before[MODELS.index(Outcome)]
        assert counts()[MODELS.index(Indicator)] == before[MODELS.index(Indicator)]
        assert db.session.get(Proposal, states[1]).status == Status.IN_PROGRESS.value
    if 400 <= response.status_code < 500:
        assert counts() == before, form


@pytest.mark.parametrize("form", FORMS)
def test_every_field_meets_every_classic(client, login, world, form):
    who, url, valid = FORMS[form]
    signed_in = None
    for pairs in variants(valid(world)):
        if who and signed_in != getattr(world, who).id:
            signed_in = getattr(world, who).id
            client.post("/auth/logout")
            login(db.session.get(User, signed_in))
        before, states = counts(), (world.accepted.id, world.to_complete.proposal_id)
        response = post(client, url(world), encode(pairs))
        assert_sane(response)
        check_no_partial_write(form, world, response, before, states)
        world.renew()
    assert client.get(f"/projects/{world.running.id}").status_code == 200
    assert client.get("/outcomes").status_code == 200


def test_project_start_generated(client, login, world):
    login(world.staff)
    fields = {"goal": padded(10, 3000), "volunteer_tasks": padded(10, 3000),
              "places": st.sampled_from(["0", "3", "1000", "1001", "-1", "²"]),
              "starts_on": st.sampled_from(["2026-12-01", "2026-02-30", "0001-01-01"]),
              "ends_on": st.sampled_from(["", "2026-11-01", "2027-01-01", "9999-12-31"]),
              "lead_id": st.sampled_from([str(world.staff.id), str(world.patron.id), "0"]),
              "milestones": st.one_of(padded(0, 3000), st.just("A | 2026-13-01"))}

    @PROFILE
    @given(body=submission(fields))
    def check(body):
        before = counts()
        proposal_id = world.accepted.id
        response = post(client, f"/proposals/{proposal_id}/project", body)
        assert_sane(response)
        if response.status_code != 303:
            assert counts() == before
            assert db.session.get(Proposal, proposal_id).status == Status.ACCEPTED.value
        world.renew()

    check()


def test_project_complete_generated(client, login, world):
    login(world.staff)
    number = st.sampled_from(["1", "0", "-3.5", "1e309", "NaN", "Infinity", "9" * 40, "", "²"])
    fields = {"summary": padded(10, 5000), "evidence": padded(0, 3000)}
    for i in range(3):
        fields |= {f"indicators-{i}-name": padded(0, 120), f"indicators-{i}-before": number,
                   f"indicators-{i}-after": number, f"indicators-{i}-unit": padded(0, 40)}

    @PROFILE
    @given(body=submission(fields))
    def check(body):
        before = counts()
        project = world.to_complete
        response = post(client, f"/projects/{project.id}/complete", body)
        assert_sane(response)
        if response.status_code != 303:
            assert counts() == before
            assert db.session.get(Proposal, project.proposal_id).status == \
                Status.IN_PROGRESS.value
        world.renew()
        assert client.get("/outcomes").status_code == 200

    check()


# --- Query strings -------------------------------------------------------------------------

PAGES = {  # who signs in, the page, its parameters
    "/projects": (None, ["status", "category", "branch", "year"]),
    "/outcomes": (None, ["status", "category", "branch", "year"]),
    "/admin/users": ("staff", ["q", "page"]),
    "/admin/audit": ("admin", ["page"]),
    "/staff/dashboard": ("staff", ["from", "to", "branch"]),
    "/staff/dashboard/proposals.csv": ("staff", ["from", "to", "branch"]),
    "/api/v1/proposals": (None, ["q", "category", "branch", "status", "sort", "limit", "cursor"]),
    "/api/v1/outcomes": (None, ["category", "branch", "year", "limit", "cursor"]),
    "/api/v1/projects": (None, ["status", "category", "branch", "limit", "cursor"]),
}


def _sane_get(response, path):
    assert response.status_code < 500, (path, response.text[:2000])
    if path.startswith("/api/"):
        if response.status_code >= 400:
            assert response.json["message"], response.text
    elif response.status_code != 404:  # an unknown dashboard figure is a plain 404
        assert_sane(response)


@pytest.mark.parametrize("path", PAGES)
def test_every_query_parameter_meets_every_classic(client, login, world, path):
    who, keys = PAGES[path]
    if who:
        login(getattr(world, who))
    for key in keys:
        for payload in [*CLASSICS[:-1], "²".encode(), b"2026-02-30", b"0001-01-01",
                        b"9999-12-31", b"12345678"]:
            url = f"{path}?{key}={quote_from_bytes(payload)}"
            _sane_get(client.get(url), path)


@pytest.mark.parametrize("path", PAGES)
def test_query_parameters_generated(client, login, world, path):
    who, keys = PAGES[path]
    if who:
        login(getattr(world, who))

    @PROFILE
    @given(query=query_string(keys))
    def check(query):
        _sane_get(client.get(f"{path}?{query}"), path)

    check()


def test_dashboard_csv_keys_and_exports(client, login, world):
    login(world.staff)
    for key in ["proposals", "x", "%00", "..%2F..%2Fetc", "a" * 300, "²"]:
        response = client.get(f"/staff/dashboard/{key}.csv?from=2026-01-01&to=2026-02-30")
        assert response.status_code in (200, 404), (key, response.status_code)
    for name in ["proposals", "supports-per-day", "outcomes", "volunteer-hours", "nope", "%ff"]:
        response = client.get(f"/staff/exports/{name}.csv?from=%00&to=x")
        assert response.status_code in (200, 404), (name, response.status_code)
        response.close()


@pytest.mark.parametrize("route", [
    "/projects/{}", "/projects/{}/join", "/projects/{}/leave", "/projects/{}/updates",
    "/projects/{}/complete", "/proposals/{}/project", "/outcomes/{}/rate",
    "/projects/{}/milestones/{}", "/projects/{}/volunteers/{}/hours", "/admin/users/{}/role",
    "/admin/users/{}/suspend", "/admin/users/{}/lift", "/api/v1/proposals/{}",
])
def test_unknown_ids(client, login, world, route):
    login(world.admin)
    for ident in ["0", "999999", "9" * 30, "-1", "²", "abc"]:
        url = route.format(*[ident] * route.count("{}"))
        method = "GET" if url.startswith(("/api", )) or route == "/projects/{}" else "POST"
        response = client.open(url, method=method, data={
            "role": "staff", "until": "2030-01-01", "reason": "Spam.", "stars": "3"})
        assert response.status_code in (404, 405), (url, response.status_code)


def test_reset_with_hostile_tokens(client):
    for token in ["", "x", "a" * 5000, "%00", "%ff%fe", "..%2F", "eyJpZCI6MX0.x.y"]:
        response = client.post(f"/auth/reset/{token}", data={"password": "whatever long one"})
        assert response.status_code in (303, 404, 405), (token, response.status_code)

"""Security headers on every kind of answer, cookies, the session at sign-in and sign-out, and
templates that a strict Content-Security-Policy does not break."""
import json
import re
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.proposals.models import Comment, Status
from app.security import CONTENT_SECURITY_POLICY
from tests.auth.pages import Page
from tests.conftest import PASSWORD, IsolatedClient

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


@pytest.fixture
def production_client(app, database_url):
    production = create_app({
        "ENV_NAME": "production", "SECRET_KEY": "a-production-secret-of-more-than-32-chars",
        "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_STORAGE_URI": "memory://",
        "PAGE_CACHE_FOLDER": "",  # no copies in the checkout's instance/, none from a past run
    })
    production.test_client_class = IsolatedClient
    yield production.test_client()
    with production.app_context():
        db.engine.dispose()


def page_kinds(client, login, make_user, make_proposal):
    """One request of each kind the site answers: pages, fragments, redirects, errors, files."""
    proposal = make_proposal()
    staff = make_user(role="staff")
    return {
        "list page": lambda: client.get("/proposals"),
        "detail page": lambda: client.get(f"/proposals/{proposal.id}"),
        "form page": lambda: client.get("/auth/login"),
        "htmx fragment": lambda: client.get("/proposals", headers={"HX-Request": "true"}),
        "similar fragment": lambda: client.get("/proposals/similar?title=quiet+reading+room"),
        "redirect": lambda: client.get("/favicon.ico"),
        "refused form (422)": lambda: client.post("/auth/login", data={"email": "x"}),
        "not found": lambda: client.get("/no/such/page"),
        "bad request": lambda: client.post("/auth/login", data={"email": "a\x00b"}),
        "json": lambda: client.get("/health"),
        "static file": lambda: client.get("/static/css/commons.css"),
        "staff page": lambda: (login(staff), client.get("/staff/moderation"))[1],
    }


KINDS = ["list page", "detail page", "form page", "htmx fragment", "similar fragment",
         "redirect", "refused form (422)", "not found", "bad request", "json", "static file",
         "staff page"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_answer_carries_the_security_headers(client, login, make_user, make_proposal,
                                                   kind):
    response = page_kinds(client, login, make_user, make_proposal)[kind]()
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "Strict-Transport-Security" not in response.headers  # not outside production


def test_the_policy_is_the_one_documented():
    assert CONTENT_SECURITY_POLICY == EXPECTED["Content-Security-Policy"]


def test_an_unexpected_error_page_has_the_headers_too(app, client, monkeypatch):
    from app.proposals import queries

    def broken(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(queries, "page_of", broken)
    response = client.get("/proposals")
    assert response.status_code == 500
    assert response.headers["Content-Security-Policy"] == EXPECTED["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/proposals", "/auth/login", "/no/such/page", "/health"])
def test_production_adds_hsts(production_client, path):
    response = production_client.get(path, base_url="https://commons.example.edu")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["Content-Security-Policy"] == EXPECTED["Content-Security-Policy"]


# --- Cookies and the session --------------------------------------------------------------

def set_cookie(response, name: str) -> str:
    return next(header for header in response.headers.getlist("Set-Cookie")
                if header.startswith(f"{name}="))


def test_session_cookie_is_httponly_and_lax(client):
    response = client.get("/proposals/new")  # "please sign in first" is kept in the session
    cookie = set_cookie(response, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on a laptop must still work


def test_remember_cookie_is_httponly_and_lax(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD,
                                                "remember": "y"})
    cookie = set_cookie(response, "remember_token")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(production_client):
    response = production_client.get("/proposals/new", base_url="https://commons.example.edu")
    cookie = set_cookie(response, "session")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_starts_a_new_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone who saw this browser first"
    before = client.get_cookie("session").value

    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_sign_out_clears_the_session_and_forgets_the_device(client, make_user):
    user = make_user()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None

    response = client.post("/auth/logout")
    assert response.status_code == 303
    assert client.get_cookie("remember_token") is None
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/proposals/new").status_code == 302  # signed out for real


# --- Nothing inline that the policy would block -------------------------------------------

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on…= event handler"),
    (re.compile(r"\s(?:data-)?hx-on", re.I), "hx-on attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted((ROOT / "templates").rglob("*.html")),
                         ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_templates_have_nothing_inline(template):
    source = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(source)]
    assert not found, f"{template.name}: {', '.join(found)}"


def inline_in(html: str) -> list[str]:
    """What the browser would treat as inline script or style, element by element."""
    found = []
    for element in Page(html).elements:
        if element.tag == "script" and not element.get("src"):
            found.append("inline <script>")
        if element.tag == "style":
            found.append("<style> element")
        for name, value in element.attrs.items():
            if name == "style" or name.startswith(("on", "hx-on", "data-hx-on")):
                found.append(f"{name}= on <{element.tag}>")
            if value.strip().lower().startswith("javascript:"):
                found.append(f"javascript: in {name}= on <{element.tag}>")
    return found


def test_rendered_pages_have_nothing_inline(client, login, make_user, make_proposal):
    author = make_user()
    proposal = make_proposal(author=author, status=Status.UNDER_REVIEW,
                             title="<script>alert(1)</script> <b style=x onload=y>")
    db.session.add(Comment(proposal_id=proposal.id, author_id=author.id,
                           body='<img src=x onerror="alert(1)"> [x](javascript:alert(1))'))
    db.session.commit()
    login(make_user(role="staff"))
    for path in ("/proposals", f"/proposals/{proposal.id}", "/staff/moderation",
                 "/proposals/new", "/notifications"):
        response = client.get(path)
        assert response.status_code == 200
        assert not inline_in(response.text), path


def test_htmx_is_configured_for_the_policy(client):
    meta = next(e for e in Page(client.get("/proposals").text).elements
                if e.tag == "meta" and e.get("name") == "htmx-config")
    config = json.loads(meta.get("content"))
    assert config["includeIndicatorStyles"] is False and config["allowEval"] is False
    handling = {rule["code"]: rule["swap"] for rule in config["responseHandling"]}
    assert handling["429"] is True and handling["[45].."] is False  # the limit message shows
    codes = [rule["code"] for rule in config["responseHandling"]]
    assert codes.index("429") < codes.index("[45]..")  # htmx takes the first rule that matches

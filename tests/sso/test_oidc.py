"""Campus sign-in through a real OpenID provider (tests/sso/oidc_provider.mjs), over HTTP."""
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from app.audit import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.sso import oidc
from app.sso.models import ExternalIdentity
from app.sso.oidc import SignInFailed
from tests.conftest import count
from tests.sso import provider


def _query(url: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_the_redirect_carries_state_nonce_and_an_s256_challenge_and_is_never_kept(client,
                                                                                    oidc_on):
    answer = client.get("/auth/sso/oidc?next=/projects")
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith(oidc_on)
    asked = _query(answer.headers["Location"])
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert len(asked["state"]) >= 32 and len(asked["nonce"]) >= 32
    assert asked["client_id"] == provider.CLIENT_ID and "openid" in asked["scope"].split()
    assert asked["redirect_uri"] == "http://127.0.0.1:5000/auth/sso/oidc/callback"
    assert answer.headers["Cache-Control"] == "no-store"


def test_first_sign_in_makes_a_patron_with_the_mapped_type_and_returns_to_the_page(
        sign_in_with_oidc, client):
    answer = sign_in_with_oidc("lihua", "/projects?page=1")
    assert answer.status_code == 303 and answer.headers["Location"] == "/projects?page=1"
    user = db.session.scalar(db.select(User))
    assert (user.display_name, user.email, user.patron_type, user.role) == (
        "Li Hua", "lihua@univ.example.edu", "undergraduate", "patron")
    assert user.email_verified_at is not None
    link = db.session.scalar(db.select(ExternalIdentity))
    assert (link.provider, link.subject, link.user_id) == ("oidc", "lihua", user.id)
    assert "Li Hua" in client.get("/account").text  # signed in


def test_a_second_sign_in_reuses_the_account(sign_in_with_oidc, client):
    sign_in_with_oidc("lihua")
    client.post("/auth/logout")
    assert sign_in_with_oidc("lihua").status_code == 303
    assert count(User) == 1 and count(ExternalIdentity) == 1


def test_an_identity_without_an_address_gets_an_account_that_sends_no_mail(sign_in_with_oidc):
    sign_in_with_oidc("zhaolei")
    user = db.session.scalar(db.select(User))
    assert (user.display_name, user.patron_type, user.email_frequency) == (
        "Zhao Lei", "alumnus", "none")
    assert user.email.endswith("@sso.invalid") and user.email_verified_at is None


def test_a_configured_group_grants_staff_and_the_audit_log_says_so(sign_in_with_oidc):
    sign_in_with_oidc("wangfang")
    user = db.session.scalar(db.select(User))
    assert (user.role, user.patron_type) == ("staff", "faculty")
    entry = db.session.scalar(db.select(AuditEntry))
    assert (entry.action, entry.subject_id, entry.actor_id) == ("role:staff", user.id, None)
    assert "library-staff" in entry.reason


def test_a_group_no_one_configured_grants_nothing(sign_in_with_oidc, monkeypatch, app):
    monkeypatch.setitem(app.config, "SSO_STAFF_GROUPS", "")
    sign_in_with_oidc("wangfang")
    assert db.session.scalar(db.select(User)).role == "patron"
    assert count(AuditEntry) == 0


def test_an_off_site_next_is_ignored(sign_in_with_oidc):
    answer = sign_in_with_oidc("lihua", "//evil.example/x")
    assert answer.headers["Location"] == "/proposals"


def _nothing_written():
    return count(User) == 0 and count(ExternalIdentity) == 0 and count(AuditEntry) == 0


def _error_page(answer, *, chinese=False):
    assert answer.status_code == 400
    assert answer.headers["Cache-Control"] == "no-store"
    assert ("校园统一身份认证未能完成" if chinese else "Campus sign-in did not work") in answer.text


def test_a_tampered_state_ends_on_the_error_page_with_nothing_written(sign_in_with_oidc):
    answer = sign_in_with_oidc("lihua", tamper=lambda url: url.replace("state=", "state=x"))
    _error_page(answer)
    assert "not the one we started" in answer.text
    assert _nothing_written()


def test_the_error_page_is_in_the_readers_language(sign_in_with_oidc, client):
    client.set_cookie("lang", "zh_Hans")
    answer = sign_in_with_oidc("lihua", tamper=lambda url: url.replace("state=", "state=x"))
    _error_page(answer, chinese=True)


def test_a_replayed_answer_is_refused(sign_in_with_oidc, client):
    kept = []
    sign_in_with_oidc("lihua", tamper=lambda url: kept.append(url) or url)
    client.post("/auth/logout")
    db.session.execute(db.delete(ExternalIdentity))
    db.session.execute(db.delete(User))
    db.session.commit()
    _error_page(client.get(kept[0].removeprefix("http://127.0.0.1:5000")))
    assert _nothing_written()


def test_an_id_token_for_another_nonce_is_refused(client, oidc_on):
    """The nonce the session expects is not the one the provider signed (a replayed token)."""
    start = client.get("/auth/sso/oidc")
    with client.session_transaction() as session:
        session["sso_oidc"] = session["sso_oidc"] | {"nonce": "an-earlier-sign-in"}
    back = provider.sign_in_at_provider(start.headers["Location"],
                                        "http://127.0.0.1:5000/auth/sso/oidc/callback")
    _error_page(client.get(back.removeprefix("http://127.0.0.1:5000")))
    assert _nothing_written()


def test_an_id_token_signed_by_another_key_is_refused(sign_in_with_oidc, monkeypatch):
    monkeypatch.setattr(oidc, "_keys", lambda found: KeySet([RSAKey.generate_key(2048)]))
    _error_page(sign_in_with_oidc("lihua"))
    assert _nothing_written()


@pytest.mark.parametrize("seen_as", [
    {"now": int(time.time()) + 2 * 3600},  # read two hours later: expired
    {"audience": "another-service"},  # made for another client of the provider
], ids=["expired", "audience"])
def test_a_real_id_token_that_fails_a_check_ends_on_the_error_page(sign_in_with_oidc,
                                                                    monkeypatch, seen_as):
    """The provider's own token, through the whole callback, checked as if it had expired or
    had been issued to another service: the same page, and nothing written."""
    checked = oidc.validate_id_token
    monkeypatch.setattr(oidc, "validate_id_token",
                        lambda token, **given: checked(token, **(given | seen_as)))
    _error_page(sign_in_with_oidc("lihua"))
    assert _nothing_written()


def test_an_error_from_the_provider_ends_on_the_error_page(client, oidc_on):
    """prompt=none without a session at the provider: it answers error=login_required."""
    start = client.get("/auth/sso/oidc")
    back = provider.sign_in_at_provider(start.headers["Location"] + "&prompt=none",
                                        "http://127.0.0.1:5000/auth/sso/oidc/callback")
    assert _query(back)["error"] == "login_required"
    answer = client.get(back.removeprefix("http://127.0.0.1:5000"))
    _error_page(answer)
    assert "login_required" in answer.text
    assert _nothing_written()


def test_an_existing_password_account_links_once_after_its_password(sign_in_with_oidc, client,
                                                                    make_user):
    owner = make_user(email="lihua@univ.example.edu", patron_type="postgraduate")
    answer = sign_in_with_oidc("lihua", "/projects")
    assert answer.headers["Location"] == "/auth/sso/link"
    assert count(ExternalIdentity) == 0
    wrong = client.post("/auth/sso/link", data={"password": "not it at all"})
    assert wrong.status_code == 422 and "That password is not right." in wrong.text
    assert count(ExternalIdentity) == 0
    linked = client.post("/auth/sso/link", data={"password": "correct horse battery"})
    assert linked.status_code == 303 and linked.headers["Location"] == "/projects"
    assert db.session.scalar(db.select(ExternalIdentity.user_id)) == owner.id
    client.post("/auth/logout")
    assert sign_in_with_oidc("lihua").headers["Location"] == "/proposals"  # no linking again
    assert count(User) == 1


def test_without_a_pending_link_the_link_page_is_not_there(client):
    assert client.get("/auth/sso/link").status_code == 404


def test_without_configuration_the_campus_routes_are_not_there(client):
    assert client.get("/auth/sso/oidc").status_code == 404
    assert client.get("/auth/sso/oidc/callback?state=x&code=y").status_code == 404
    assert client.get("/auth/sso/cas").status_code == 404
    assert "/auth/sso/" not in client.get("/auth/login").text


def test_signing_out_also_signs_out_at_the_provider(sign_in_with_oidc, client, oidc_on):
    sign_in_with_oidc("lihua")
    answer = client.post("/auth/logout")
    # The site's CSP (form-action 'self') would stop a form's redirect to the provider: a page
    # of this site takes the browser there.
    assert answer.status_code == 303 and answer.headers["Location"] == "/auth/sso/signed-out/oidc"
    assert client.get("/account").status_code == 302  # signed out here
    page = client.get("/auth/sso/signed-out/oidc")
    end = re.search(r'url=([^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert end.startswith(f"{oidc_on}/session/end?")
    assert _query(end) == {"client_id": provider.CLIENT_ID,
                           "post_logout_redirect_uri": "http://127.0.0.1:5000/proposals"}
    assert "Sign out of the university sign-in" in page.text


def test_a_password_sign_out_goes_nowhere_else(client, make_user, login, oidc_on):
    login(make_user())
    assert client.post("/auth/logout").headers["Location"] == "/proposals"


def test_the_callback_is_rate_limited(client, oidc_on, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "RATELIMIT_SSO_CALLBACK", "3 per minute")
    codes = [client.get("/auth/sso/oidc/callback?state=x&code=y",
                        environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


# Token-level failures the real provider will not produce, built with keys made here and given
# to the same validation the callback uses.

KEY = RSAKey.generate_key(2048, parameters={"kid": "test"})
ISSUER, AUDIENCE, NONCE = "https://id.univ.example", "commons", "n-0123456789"


def _token(**changes) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "sub": "s1", "aud": AUDIENCE, "iat": now, "exp": now + 300,
              "nonce": NONCE} | changes
    return jwt.encode({"alg": "RS256", "kid": "test"}, claims, KEY)


def _validate(token, keys=None):
    return oidc.validate_id_token(token, keys=keys or KeySet([KEY]), issuer=ISSUER,
                                  audience=AUDIENCE, nonce=NONCE)


def test_a_good_token_passes(app):
    assert _validate(_token())["sub"] == "s1"


@pytest.mark.parametrize("changes", [
    {"exp": int(time.time()) - 3600},  # expired
    {"aud": "another-service"},  # wrong audience
    {"aud": ["commons", "another"], "azp": "another"},  # several audiences, not for us
    {"iss": "https://evil.example"},  # another issuer
    {"nonce": "replayed"},  # another sign-in's nonce
], ids=["expired", "audience", "azp", "issuer", "nonce"])
def test_a_token_that_fails_a_check_is_refused(app, changes):
    with pytest.raises(SignInFailed):
        _validate(_token(**changes))


def test_a_token_signed_by_another_key_is_refused(app):
    other = RSAKey.generate_key(2048, parameters={"kid": "test"})
    with pytest.raises(SignInFailed):
        _validate(_token(), keys=KeySet([other]))


def test_an_unsigned_token_is_refused(app):
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    body = _token().split(".")[1]
    with pytest.raises(SignInFailed):
        _validate(f"{header}.{body}.")

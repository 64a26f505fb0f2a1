"""OpenID Connect, authorisation code flow with PKCE (S256), state and nonce, through Authlib.
The ID token is checked here: signature by the provider's JWKS, issuer, audience, expiry, nonce."""
import secrets
import time
from urllib.parse import urlencode

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import OAuth2Error
from flask import current_app
from flask_babel import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

TIMEOUT = 10
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
_discovered: dict[str, tuple[float, dict]] = {}


class SignInFailed(Exception):
    """The sign-in could not be trusted or finished; the message is safe to show."""


def configured() -> bool:
    return bool(current_app.config.get("OIDC_ISSUER") and current_app.config.get("OIDC_CLIENT_ID"))


def metadata() -> dict:
    issuer = current_app.config["OIDC_ISSUER"].rstrip("/")
    kept = _discovered.get(issuer)
    if kept and kept[0] > time.monotonic():
        return kept[1]
    try:
        answer = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
        answer.raise_for_status()
        found = answer.json()
    except (requests.RequestException, ValueError):
        raise SignInFailed(_("The university sign-in service cannot be reached. Please try "
                             "again later.")) from None
    _discovered[issuer] = (time.monotonic() + 600, found)
    return found


def _session(redirect_uri: str) -> OAuth2Session:
    settings = current_app.config
    return OAuth2Session(settings["OIDC_CLIENT_ID"], settings["OIDC_CLIENT_SECRET"],
                         scope=settings["OIDC_SCOPES"], redirect_uri=redirect_uri,
                         code_challenge_method="S256")


def start(redirect_uri: str) -> tuple[str, dict]:
    """The provider's address to send the browser to, and what the callback must find again."""
    pending = {"state": secrets.token_urlsafe(24), "nonce": secrets.token_urlsafe(24),
               "code_verifier": secrets.token_urlsafe(48), "redirect_uri": redirect_uri}
    with _session(redirect_uri) as client:
        url, _state = client.create_authorization_url(
            metadata()["authorization_endpoint"], state=pending["state"],
            nonce=pending["nonce"], code_verifier=pending["code_verifier"])
    return url, pending


def finish(pending: dict | None, arguments: dict) -> dict:
    """The callback: check the state, exchange the code (with the PKCE verifier), validate the
    ID token and return its claims (with the userinfo's, for the same subject)."""
    if arguments.get("error"):
        raise SignInFailed(_("The university sign-in service did not sign you in (%(error)s).",
                             error=str(arguments["error"])[:80]))
    if not pending or not arguments.get("state") or not secrets.compare_digest(
            str(arguments["state"]), pending["state"]):
        raise SignInFailed(_("This sign-in link is not the one we started, or it was already "
                             "used. Please start again."))
    if not arguments.get("code"):
        raise SignInFailed(_("The university sign-in service sent no answer we can use."))
    found = metadata()
    try:
        with _session(pending["redirect_uri"]) as client:
            token = client.fetch_token(found["token_endpoint"], grant_type="authorization_code",
                                       code=arguments["code"],
                                       code_verifier=pending["code_verifier"], timeout=TIMEOUT)
    except (OAuth2Error, requests.RequestException, ValueError):
        raise SignInFailed(_("The university sign-in service refused the sign-in. Please start "
                             "again.")) from None
    if "id_token" not in token:
        raise SignInFailed(_("The university sign-in service sent no answer we can use."))
    claims = validate_id_token(token["id_token"], keys=_keys(found), issuer=found["issuer"],
                               audience=current_app.config["OIDC_CLIENT_ID"],
                               nonce=pending["nonce"])
    return _userinfo(found, token, claims["sub"]) | claims


def _keys(found: dict) -> KeySet:
    try:
        answer = requests.get(found["jwks_uri"], timeout=TIMEOUT)
        answer.raise_for_status()
        return KeySet.import_key_set(answer.json())
    except (requests.RequestException, ValueError, JoseError):
        raise SignInFailed(_("The university sign-in service cannot be reached. Please try "
                             "again later.")) from None


def validate_id_token(id_token: str, *, keys: KeySet, issuer: str, audience: str, nonce: str,
                      now: int | None = None) -> dict:
    """Every check on the ID token, in one place; any failure is one translated refusal."""
    refused = SignInFailed(_("The answer from the university sign-in service could not be "
                             "verified. Nothing was changed; please start again."))
    try:
        token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            now=now, leeway=60,
            iss={"essential": True, "value": issuer}, sub={"essential": True},
            aud={"essential": True, "value": audience}, exp={"essential": True},
            iat={"essential": True}, nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError, TypeError):
        raise refused from None
    audiences = token.claims["aud"]
    if isinstance(audiences, list) and len(audiences) > 1 and token.claims.get("azp") != audience:
        raise refused
    return dict(token.claims)


def _userinfo(found: dict, token: dict, subject: str) -> dict:
    if not found.get("userinfo_endpoint") or not token.get("access_token"):
        return {}
    try:
        answer = requests.get(found["userinfo_endpoint"], timeout=TIMEOUT, headers={
            "Authorization": f"Bearer {token['access_token']}"})
        answer.raise_for_status()
        info = answer.json()
    except (requests.RequestException, ValueError):
        return {}
    # Claims the ID token already carries stay as it signed them.
    return {} if info.get("sub") != subject else {
        key: value for key, value in info.items() if key not in ("sub", "iss", "aud", "nonce")}


def logout_url(after: str) -> str | None:
    """Relying-party-initiated logout, when the provider offers it (by client id: an ID token
    as a hint would not fit in the session cookie)."""
    try:
        endpoint = metadata().get("end_session_endpoint")
    except SignInFailed:
        return None
    if not endpoint:
        return None
    query = {"post_logout_redirect_uri": after, "client_id": current_app.config["OIDC_CLIENT_ID"]}
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(query)}"

"""CAS 3.0 through python-cas: the login redirect with `service=`, the ticket checked with
`p3/serviceValidate`, and the server's single-logout requests."""
import re

import requests
from cas import CASClient
from flask import current_app
from flask_babel import gettext as _

from app.sso.oidc import SignInFailed

SESSION_INDEX = re.compile(r"<(?:\w+:)?SessionIndex>\s*([^<\s]{1,256})\s*</(?:\w+:)?SessionIndex>")


def configured() -> bool:
    return bool(current_app.config.get("CAS_SERVER_URL"))


def _client(service_url: str) -> CASClient:
    server = current_app.config["CAS_SERVER_URL"].rstrip("/") + "/"  # urljoin keeps its path
    return CASClient(version=3, service_url=service_url, server_url=server)


def login_url(service_url: str) -> str:
    return _client(service_url).get_login_url()


def validate(service_url: str, ticket: str) -> tuple[str, dict]:
    """The user and the released attributes; a ticket the server does not confirm for this
    service is refused."""
    try:
        user, attributes, _pgtiou = _client(service_url).verify_ticket(ticket)
    except (requests.RequestException, ValueError, SyntaxError):  # ParseError is a SyntaxError
        raise SignInFailed(_("The university sign-in service cannot be reached. Please try "
                             "again later.")) from None
    if not user:
        raise SignInFailed(_("The university sign-in service did not confirm this sign-in. "
                             "Nothing was changed; please start again."))
    return user, attributes or {}


def logout_url(after: str) -> str:
    return _client(after).get_logout_url(after)


def ticket_to_end(logout_request: str) -> str | None:
    """The service ticket a single-logout request names (its SAML SessionIndex). Read with a
    pattern, not an XML parser: what is posted here comes from anyone."""
    found = SESSION_INDEX.search(logout_request or "")
    return found.group(1) if found else None

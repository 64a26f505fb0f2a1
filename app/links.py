"""Absolute addresses of the site's pages, for what is read away from it: e-mails, the API, the
Atom feeds, the OpenAPI document. They begin with PUBLIC_URL, never with the request's Host
header, which the client chooses: a forged Host must not reach an e-mail, nor a response that a
shared cache keeps for everyone. Built from the URL map alone, so a job without a request
builds them the same way."""
from urllib.parse import urlsplit

from flask import current_app


def public_base() -> str:
    """PUBLIC_URL without a trailing slash: the OpenAPI document's server."""
    return current_app.config["PUBLIC_URL"].rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values, _external=True)` as seen from PUBLIC_URL."""
    base = urlsplit(public_base())
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)

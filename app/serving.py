"""Serving in production: a request id on every request and log line, gunicorn's access log
without the secrets an address can carry, and rate limits that count across workers.

A request's id is the `X-Request-Id` a trusted proxy set (PROXY_FIX > 0: nginx sets one per
request), else a new one. It goes back in the response's header, on every log line written while
the request runs, in gunicorn's access log and on the 500 page, so a patron can quote it.
"""
import logging
import re
import uuid

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler
from gunicorn.glogging import Logger

HEADER = "X-Request-Id"
READABLE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
LOG_FORMAT = "[%(asctime)s] %(levelname)s %(request_id)s in %(module)s: %(message)s"
# Addresses that carry a secret in their path: a password-reset or verification token.
SECRET_IN_PATH = re.compile(r"^(/auth/(?:reset|verify)/)[^/?]+")


def init_app(app: Flask) -> None:
    trusted = bool(int(app.config.get("PROXY_FIX") or 0))

    @app.before_request
    def name_the_request() -> None:
        given = request.headers.get(HEADER, "") if trusted else ""
        g.request_id = given if READABLE_ID.fullmatch(given) else uuid.uuid4().hex

    @app.after_request
    def answer_with_it(response):
        if "request_id" in g:
            response.headers[HEADER] = g.request_id
        return response

    app.logger.addFilter(with_request_id)  # the app's own records, whichever handler takes them
    default_handler.addFilter(with_request_id)  # and any record Flask's handler writes
    default_handler.setFormatter(logging.Formatter(LOG_FORMAT))


def request_id() -> str:
    return g.get("request_id", "-") if has_request_context() else "-"


def with_request_id(record: logging.LogRecord) -> bool:
    record.request_id = request_id()
    return True


def without_secrets(path: str) -> str:
    return SECRET_IN_PATH.sub(r"\1…", path)


class AccessLogger(Logger):
    """gunicorn's logger, whose access lines show the path without its query string or a token,
    and the request's id (deploy/gunicorn.conf.py)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # No PATH_INFO when gunicorn answers an error itself: the path of the raw address then
        path = without_secrets(atoms["U"] or environ.get("RAW_URI", "").split("?")[0])
        atoms.update(U=path, q="", r=f"{atoms['m']} {path} {atoms['H']}")
        return atoms


def limits_shared(settings: dict, workers: int) -> str | None:
    """Why production must not start: limits kept in each worker's memory count per worker, so
    with several workers a limit lets through that many times what it says."""
    if settings.get("COMMONS_ENV") != "production" or workers <= 1:
        return None
    if (settings.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
        return (f"{workers} workers would each count rate limits on their own: set "
                "RATELIMIT_STORAGE_URI to a shared store such as redis://127.0.0.1:6379 "
                "(or WEB_CONCURRENCY=1)")
    return None

"""Cacheable public responses: an ETag, Last-Modified, and 304 for a conditional GET.

The ETag is a hash of the body, so it changes exactly when the body does; it is the validator to
rely on, and when a request carries If-None-Match, If-Modified-Since is ignored (RFC 9110).
Last-Modified is the newest timestamp among the records the response shows. Some changes leave
no timestamp (a support withdrawn, an item leaving a list, a flagged proposal restored), so it
can lag behind the ETag; at worst a client polling with If-Modified-Since alone keeps its copy
until the next timestamped change.
"""
import hashlib
import json
from datetime import datetime, timezone

from flask import Response, request

MAX_AGE = 60


def cacheable(body: bytes, mimetype: str, changed_at: datetime | None) -> Response:
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    if changed_at is not None:
        response.last_modified = changed_at.replace(tzinfo=timezone.utc, microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


def json_response(payload: dict, changed_at: datetime | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return cacheable(body, "application/json", changed_at)

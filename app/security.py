"""Response headers that tell browsers to refuse what this site never does, and input no
database can store."""
from flask import Flask, Response, abort, current_app, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.media.storage import image_origin


# No inline script or style anywhere: htmx is configured through its meta tag
# (includeIndicatorStyles and allowEval off), behaviour lives in static/js. Images come from
# this site and, with MEDIA_STORAGE=s3, from the storage's host (signed URLs).
def content_security_policy(image_origin: str | None = None) -> str:
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data:{' ' + image_origin if image_origin else ''}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


CONTENT_SECURITY_POLICY = content_security_policy()
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb",
))
HSTS = "max-age=31536000; includeSubDomains"
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "strict-origin-when-cross-origin",  # WTF_CSRF_SSL_STRICT needs a Referer
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": PERMISSIONS_POLICY,
}
LARGEST_ID = 2**31 - 1  # PostgreSQL's INTEGER; a larger id in a URL is simply not there


class IdConverter(IntegerConverter):
    """`<int:…>` with an upper bound: the database refuses to compare a larger number."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Before the blueprints: the bounded id converter must be in place when routes are added."""
    app.url_map.converters["int"] = IdConverter
    proxies = int(app.config.get("PROXY_FIX") or 0)
    if proxies:  # behind a reverse proxy: the client's address and scheme, for limits and HSTS
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.before_request(refuse_nul_bytes)
    app.after_request(add_security_headers)


def refuse_nul_bytes() -> None:
    """A NUL byte is never meant, and PostgreSQL cannot store or compare text holding one.

    Only in what is posted: query strings fall back to defaults (see proposals.queries)."""
    if any("\x00" in key or "\x00" in value for key, value in request.form.items(multi=True)):
        abort(400, _("What you sent contains a NUL character, which is not allowed. "
                     "Please remove it and try again."))


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    origin = image_origin(current_app.config)
    if origin and response.headers.get("Content-Security-Policy") == CONTENT_SECURITY_POLICY:
        response.headers["Content-Security-Policy"] = content_security_policy(origin)
    if current_app.config.get("ENV_NAME") == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response

from flask import Flask, flash, g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from app import limits, serving
from app.extensions import db, login_manager
from app.htmx import is_htmx

MESSAGES = {
    400: (_l("Bad request"),
          _l("The request could not be understood. Please check what you sent.")),
    403: (_l("Not allowed"), _l("You do not have permission to do that.")),
    404: (_l("Page not found"), _l("There is nothing here. It may have moved or never existed.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"),
          _l("We could not finish that. Nothing was saved; please try again.")),
    503: (_l("Back in a moment"),
          _l("The library's database did not answer just now (a restart, or a busy moment). "
             "Please try again in a few seconds.")),
}
# How long a browser or a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5
# The database restarting, a connection it dropped, or every pooled connection busy: the request
# may succeed a moment later (pool_pre_ping replaces dead connections at the next checkout).
DATABASE_UNAVAILABLE = (OperationalError, DisconnectionError, PoolTimeout)
CSRF_MESSAGE = _l("This form has expired or came from another site. Go back, reload the page and "
                  "try again.")


def register_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        if is_htmx():  # htmx 2 does not swap 4xx: reload the page to get a fresh token
            return "", 400, {"HX-Refresh": "true"}
        return _page(400, str(CSRF_MESSAGE))  # Flask-WTF's own description is English only

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:  # routing redirects are not errors
            return error
        given = error.description if error.description != type(error).description else None
        if error.code >= 500 and is_htmx():
            title, message = MESSAGES.get(error.code, MESSAGES[500])
            return _flash_region(error.code, given or str(message), {})
        return _page(error.code, given)  # an abort() that says why is shown as it said it

    @app.errorhandler(RateLimitExceeded)
    def too_many(_error: RateLimitExceeded):
        wait = limits.retry_after()
        message = _("You have done that too often for now. Please try again in %(wait)s.",
                    wait=limits.readable_wait(wait))
        headers = {"Retry-After": str(wait)}
        if is_htmx():  # htmx-config swaps a 429
            return _flash_region(429, message, headers)
        return *_page(429, message), headers

    def database_unavailable(error: Exception):
        _roll_back(app)
        app.logger.warning("Database unavailable: %s", error.__class__.__name__, exc_info=error)
        # The page itself must not need the database (the patron's name, their unread count):
        # its header is the one a visitor sees; the session is left as it is.
        g._login_user = login_manager.anonymous_user()  # Flask-Login's user for this request
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if is_htmx():  # commons.js swaps a 5xx that names where it goes
            return _flash_region(503, str(MESSAGES[503][1]), headers)
        return *_page(503), headers

    for kind in DATABASE_UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)

    @app.teardown_appcontext
    def close_the_session(_error):
        """Before Flask-SQLAlchemy's own (teardowns run last registered first): a connection the
        database dropped after the answer was made fails its closing rollback, which would
        otherwise escape the app and take the gunicorn worker down with it."""
        try:
            db.session.remove()
        except Exception as error:
            if not isinstance(error, SQLAlchemyError) and not _driver_lost_the_database(error):
                raise
            app.logger.warning("Closing the session failed, the connection is gone: %s",
                               type(error).__name__)
            db.session.registry.clear()

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if _driver_lost_the_database(error):  # raised by the driver itself, not SQLAlchemy
            return database_unavailable(error)
        _roll_back(app)
        app.logger.exception("Unhandled error", exc_info=error)
        if is_htmx():
            return _flash_region(500, str(MESSAGES[500][1]), {})
        return _page(500)


def _driver_lost_the_database(error: Exception) -> bool:
    """The driver's own OperationalError or InterfaceError, from code that uses its connection
    directly (the page cache's revision, bumped just before a commit)."""
    driver = getattr(db.engine.dialect, "loaded_dbapi", None)
    kinds = tuple(getattr(driver, name) for name in ("OperationalError", "InterfaceError")
                  if hasattr(driver, name))
    return bool(kinds) and isinstance(error, kinds)


def _roll_back(app: Flask) -> None:
    """A connection the database dropped can fail its rollback too (PendingRollbackError from a
    listener that asks the dead connection): the page is still answered, and the session's
    close at the end of the request hands the connection back for the pool to discard."""
    try:
        db.session.rollback()
    except SQLAlchemyError as error:
        app.logger.warning("Rollback failed, the connection is gone: %s", type(error).__name__)


def _flash_region(code: int, message: str, headers: dict[str, str]):
    """For an htmx request: the message where messages go (the page's flash region, a live
    region), whatever the request meant to swap; a whole error page would swap nothing."""
    flash(message, "error")
    headers = headers | {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
    return render_template("_flash.html"), code, headers


def _page(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    return render_template("errors/error.html", code=code, title=title, message=detail or message,
                           reference=serving.request_id() if code >= 500 else None), code

"""Rate limits on what can be abused: guessing passwords, mass sign-ups, flooding content.

Every limit is a setting (RATELIMIT_*) read on each request. Route decorators, stacked under
`login_required` so that a visitor is sent to sign in before any limit counts.
"""
import math
import time
from collections.abc import Callable

from flask import Flask, current_app, g, request, session
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.extensions import limiter


def init_app(app: Flask) -> None:
    """Flask-Limiter's RATELIMIT_ENABLED switches one limiter for every app of the process; here
    it is read per app and per request, so a test app with limits on leaves the others alone."""
    enabled = app.config.setdefault("RATELIMIT_ENABLED", True)
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    app.config["RATELIMIT_ENABLED"] = enabled


@limiter.request_filter
def _switched_off() -> bool:
    return not current_app.config.get("RATELIMIT_ENABLED", True)


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _submitted_account() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _signed_in_user() -> str:
    return f"user:{current_user.id}"


def _not_a_patron() -> bool:
    """Limits hold patrons back; staff are moderators, and every staff action is audited."""
    return not current_user.is_authenticated or current_user.is_staff


def _refused(response) -> bool:
    """A sign-in that failed: the form came back with a reason."""
    return response.status_code == 422


def _accepted(response) -> bool:
    return response.status_code < 400 and not g.get("limit_not_counted")


def not_counted() -> None:
    """This accepted request did not do what the limit counts (a step before the real one)."""
    g.limit_not_counted = True


def _stack(*decorators):
    def decorate(view):
        for decorator in reversed(decorators):
            view = decorator(view)
        return view
    return decorate


sign_in = _stack(
    limiter.limit(_setting("RATELIMIT_SIGN_IN_PER_ACCOUNT"), key_func=_submitted_account,
                  methods=["POST"], deduct_when=_refused),
    limiter.limit(_setting("RATELIMIT_SIGN_IN_PER_ADDRESS"), key_func=get_remote_address,
                  methods=["POST"], deduct_when=_refused),
)
# Every attempt counts: "this address is taken" answers would otherwise list the accounts.
registration = limiter.limit(_setting("RATELIMIT_REGISTER_PER_ADDRESS"),
                             key_func=get_remote_address, methods=["POST"])

# The campus sign-in's return: each costs calls to the provider, so every one counts.
sso_callback = limiter.limit(_setting("RATELIMIT_SSO_CALLBACK"), key_func=get_remote_address)


def _linking_account() -> str:
    return "link:" + str((session.get("sso_link") or {}).get("user_id"))


# Proving the password of the account a campus identity links to: as guessing at sign-in.
sso_link = _stack(
    limiter.limit(_setting("RATELIMIT_SIGN_IN_PER_ACCOUNT"), key_func=_linking_account,
                  methods=["POST"], deduct_when=_refused),
    limiter.limit(_setting("RATELIMIT_SIGN_IN_PER_ADDRESS"), key_func=get_remote_address,
                  methods=["POST"], deduct_when=_refused),
)

# Reset links and confirmation e-mails: every request counts, per account and per address,
# so the forms cannot be used to flood someone's inbox.
def _mail_recipient() -> str:
    return _signed_in_user() if current_user.is_authenticated else _submitted_account()


mail_requests = _stack(
    limiter.limit(_setting("RATELIMIT_MAIL_PER_ACCOUNT"), key_func=_mail_recipient,
                  methods=["POST"]),
    limiter.limit(_setting("RATELIMIT_MAIL_PER_ADDRESS"), key_func=get_remote_address,
                  methods=["POST"]),
)


def per_patron(setting: str):
    """What a signed-in patron may do so often, counted when it was accepted; one count for
    every route it guards (flags on proposals and on comments)."""
    return limiter.shared_limit(_setting(setting), scope=setting.lower(),
                                key_func=_signed_in_user, methods=["POST"],
                                exempt_when=_not_a_patron, deduct_when=_accepted)


def _carried_files(response=None) -> bool:
    return any(file.filename for file in request.files.getlist("photos"))


def _no_files_or_not_a_patron() -> bool:
    return _not_a_patron() or not _carried_files()


# Every request that carries files counts, accepted or not: a refused form still stored them.
# One without files is not held back by it.
uploads = limiter.shared_limit(_setting("RATELIMIT_UPLOADS"), scope="ratelimit_uploads",
                               key_func=_signed_in_user, methods=["POST"],
                               exempt_when=_no_files_or_not_a_patron)
new_proposal = per_patron("RATELIMIT_PROPOSALS")
comment = per_patron("RATELIMIT_COMMENTS")
support = per_patron("RATELIMIT_SUPPORTS")
flag = per_patron("RATELIMIT_FLAGS")


def retry_after() -> int:
    """Seconds until the limit this request broke lets it through again."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    return max(1, math.ceil(breached.reset_at - time.time()))


def readable_wait(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    if seconds < 90 * 60:
        return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))
    return ngettext("%(num)d hour", "%(num)d hours", math.ceil(seconds / 3600))

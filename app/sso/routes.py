"""Campus sign-in: to the provider and back. Thin: the protocols are in oidc.py and cas.py, the
account rules in services.py."""
from dataclasses import asdict

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy.exc import IntegrityError

from app import limits
from app.auth.models import User
from app.auth.safety import is_safe_next
from app.extensions import csrf, db
from app.forms import committing, render_form
from app.links import public_url
from app.sso import cas, oidc, services
from app.sso.claims import Identity, read
from app.sso.forms import LinkForm
from app.sso.oidc import SignInFailed

bp = Blueprint("sso", __name__, url_prefix="/auth/sso")


@bp.after_request
def never_kept(response):
    """Redirects and answers here belong to one sign-in: no cache, shared or not, keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(SignInFailed)
def failed(error: SignInFailed):
    db.session.rollback()
    return render_template("sso/error.html", message=str(error)), 400


def _next() -> str:
    target = request.args.get("next")
    return target if is_safe_next(target) else url_for("proposals.index")


@bp.get("/oidc")
def oidc_start():
    if not oidc.configured():
        abort(404)
    url, pending = oidc.start(public_url("sso.oidc_callback"))
    session["sso_oidc"] = pending | {"next": _next()}
    return redirect(url, code=303)


@bp.get("/oidc/callback")
@limits.sso_callback
def oidc_callback():
    if not oidc.configured():
        abort(404)
    pending = session.pop("sso_oidc", None)  # one use: a replayed answer finds nothing
    claims = oidc.finish(pending, request.args.to_dict())
    return _signed_in(read("oidc", claims["sub"], claims), pending["next"], provider="oidc")


@bp.get("/cas")
def cas_start():
    if not cas.configured():
        abort(404)
    return redirect(cas.login_url(public_url("sso.cas_callback", next=_next())), code=303)


@bp.get("/cas/callback")
@limits.sso_callback
def cas_callback():
    if not cas.configured():
        abort(404)
    ticket = request.args.get("ticket", "")
    if not ticket:
        raise SignInFailed(_("The university sign-in service sent no answer we can use."))
    next_path = _next()
    user, attributes = cas.validate(public_url("sso.cas_callback", next=next_path), ticket)
    return _signed_in(read("cas", user, attributes), next_path, provider="cas", ticket=ticket)


@bp.post("/cas/callback")
@csrf.exempt  # the CAS server's back-channel single-logout request
def cas_single_logout():
    if not cas.configured():
        abort(404)
    ticket = cas.ticket_to_end(request.form.get("logoutRequest", ""))
    with committing():
        ended = bool(ticket) and services.end_ticket_session(ticket)
    return ("", 204) if ended else ("", 404)


def _signed_in(identity: Identity, next_path: str, *, provider: str, ticket: str | None = None):
    try:
        user = _sign_in_once(identity, ticket)
    except services.NeedsLink as holder:
        db.session.rollback()
        session["sso_link"] = {"identity": asdict(identity), "user_id": holder.user.id,
                               "next": next_path, "provider": provider}
        return redirect(url_for("sso.link"), code=303)
    return _start_session(user, next_path, provider)


def _sign_in_once(identity: Identity, ticket: str | None):
    """Two first sign-ins of one identity at once (two tabs): the second finds the first's
    account when its insert meets the unique constraint."""
    try:
        return _commit_sign_in(identity, ticket)
    except IntegrityError:
        db.session.rollback()
        return _commit_sign_in(identity, ticket)


def _commit_sign_in(identity: Identity, ticket: str | None):
    user = services.sign_in(identity)
    if ticket:
        services.remember_ticket(user, ticket)
    db.session.commit()
    return user


def _start_session(user, next_path: str, provider: str):
    session.clear()  # a fresh session at sign-in
    login_user(user)
    # auth.logout sends the browser here, to sign out at the provider too
    session["sign_out_at"] = url_for("sso.signed_out", provider=provider)
    flash(_("You are signed in."), "success")
    return redirect(next_path, code=303)


@bp.get("/signed-out/<any(oidc, cas):provider>")
def signed_out(provider: str):
    """Signed out here; now at the provider too. The site's CSP (form-action 'self') stops the
    sign-out form's redirect to another site, so this page takes the browser there itself."""
    back = public_url("proposals.index")
    if provider == "oidc":
        target = oidc.logout_url(back) if oidc.configured() else None
    else:
        target = cas.logout_url(back) if cas.configured() else None
    if target is None:
        return redirect(url_for("proposals.index"), code=303)
    return render_template("sso/signed_out.html", target=target)


@bp.route("/link", methods=["GET", "POST"])
@limits.sso_link
def link():
    pending = session.get("sso_link")
    user = db.session.get(User, pending["user_id"]) if pending else None
    if user is None:
        abort(404)
    form = LinkForm()
    if form.validate_on_submit():
        identity = Identity(**{key: tuple(value) if isinstance(value, list) else value
                               for key, value in pending["identity"].items()})
        with committing(form) as attempt:
            services.link(user, identity, password=form.password.data)
        if attempt.committed:
            return _start_session(user, pending["next"], pending["provider"])
    return render_form("sso/link.html", form, email=user.email)

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.auth.safety import is_safe_next
from app.extensions import db
from app.i18n import COOKIE, LANG_PARAM, LANGUAGES

bp = Blueprint("i18n", __name__)
ONE_YEAR = 365 * 24 * 3600


@bp.post("/language")
def choose_language():
    """Remember the reader's language (a cookie; the account too when signed in), then go back."""
    locale = request.form.get("locale")
    if locale not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    target = request.values.get("next")
    target = _without_lang(target) if is_safe_next(target) else url_for("proposals.index")
    response = redirect(target, code=303)
    response.set_cookie(COOKIE, locale, max_age=ONE_YEAR, httponly=True, samesite="Lax",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def _without_lang(target: str) -> str:
    """The page came back in the language just chosen: a ?lang= in its address would win."""
    parts = urlsplit(target)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if all(key != LANG_PARAM for key, _value in pairs):
        return target
    kept = [(key, value) for key, value in pairs if key != LANG_PARAM]
    return urlunsplit(parts._replace(query=urlencode(kept)))

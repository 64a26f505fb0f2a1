"""Post once: every comment form carries a token of its own, and a token that already posted a
comment posts nothing more. The browser's back button or a resent form then cannot post the same
words twice. Tokens are kept in the patron's session, the latest few."""
import secrets

from flask import session

KEPT = 20  # forms posted recently; an older page is long out of date anyway


def new_token() -> str:
    return secrets.token_urlsafe(16)


def already_posted(token: str | None) -> bool:
    return bool(token) and token in session.get("posted_forms", [])


def spent(token: str | None) -> None:
    if token:
        session["posted_forms"] = [*session.get("posted_forms", [])[-(KEPT - 1):], token]

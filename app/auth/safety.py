from urllib.parse import urlsplit

from flask import request


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: no scheme, no host, no backslash or protocol-relative tricks."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def page_came_from() -> str | None:
    """The page of this site a form was sent from (its Referer), when it is safe to return to."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return path if is_safe_next(path) else None

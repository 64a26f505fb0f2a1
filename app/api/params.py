"""Query parameters read strictly: a value the API cannot honour is a 400 that says why,
never a silent default (the HTML pages fall back instead; a program wants to know).

What is checked here is what the OpenAPI document says (app/api/openapi.py uses these
constants): text of printable characters up to a length, whole numbers in a range, one of a
list. Only the search words are trimmed of spaces; every other value is taken as it is sent.
"""
import re
from collections.abc import Iterable, Mapping

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_TEXT = 200
MAX_SLUG = 40
MAX_CURSOR = 400
MAX_ID = 2**31 - 1
# Printable: no control character (Unicode's Cc: C0, DEL, C1). NUL and its kind match no column,
# and PostgreSQL refuses NUL outright. The same expression in Python and in JSON Schema.
PRINTABLE = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
_CONTROL = re.compile("[\\u0000-\\u001f\\u007f-\\u009f]")


class BadParameter(ValueError):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


def text(args: Mapping, name: str, max_length: int = MAX_TEXT) -> str:
    value = args.get(name) or ""
    if len(value) > max_length:
        raise BadParameter(name, f"{name} must be at most {max_length} characters")
    if _CONTROL.search(value):
        raise BadParameter(name, f"{name} must not contain control characters")
    return value


def words(args: Mapping, name: str) -> str:
    """Free text to search for: spaces around it mean nothing."""
    return text(args, name).strip()


def choice(args: Mapping, name: str, allowed: Iterable[str], default: str = "") -> str:
    """One of `allowed`, or `default` when the parameter is not sent at all (sent empty, it is
    a value like any other, and not one of them)."""
    if name not in args:
        return default
    value, allowed = text(args, name, 40), list(allowed)
    if value not in allowed:
        raise BadParameter(name, f"{name} must be one of: {', '.join(allowed)}")
    return value


def limit(args: Mapping) -> int:
    if "limit" not in args:
        return DEFAULT_LIMIT
    value = text(args, "limit", 10)
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadParameter("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def cursor(args: Mapping) -> str:
    return text(args, "cursor", MAX_CURSOR)


def year(args: Mapping) -> int | None:
    if "year" not in args:
        return None
    value = text(args, "year", 10)
    if not (value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100):
        raise BadParameter("year", "year must be a four-digit year from 2000 to 2100")
    return int(value)


def identifier(args: Mapping, name: str) -> int:
    """An id to filter by, 1 to 2^31 - 1; 0 when not sent."""
    if name not in args:
        return 0
    value = text(args, name, 10)
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        raise BadParameter(name, f"{name} must be a whole number from 1 to {MAX_ID}")
    return int(value)

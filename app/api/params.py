"""Query parameters read strictly: a value the API cannot honour is a 400 that says why,
never a silent default (the HTML pages fall back instead; a program wants to know)."""
from collections.abc import Iterable, Mapping

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_TEXT = 200


class BadParameter(ValueError):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


def text(args: Mapping, name: str, max_length: int = MAX_TEXT) -> str:
    value = (args.get(name) or "").strip()
    if len(value) > max_length:
        raise BadParameter(name, f"{name} must be at most {max_length} characters")
    if not value.isprintable():  # NUL and other control characters no column can match
        raise BadParameter(name, f"{name} must not contain control characters")
    return value


def choice(args: Mapping, name: str, allowed: Iterable[str], default: str = "") -> str:
    value = text(args, name, 40)
    if not value:
        return default
    allowed = list(allowed)
    if value not in allowed:
        raise BadParameter(name, f"{name} must be one of: {', '.join(allowed)}")
    return value


def limit(args: Mapping) -> int:
    value = text(args, "limit", 10)
    if not value:
        return DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadParameter("limit", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def cursor(args: Mapping) -> str:
    return text(args, "cursor", 400)


def year(args: Mapping) -> int | None:
    value = text(args, "year", 10)
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100):
        raise BadParameter("year", "year must be a four-digit year from 2000 to 2100")
    return int(value)

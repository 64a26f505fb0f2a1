from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC: the same values on SQLite and PostgreSQL."""
    return datetime.now(timezone.utc).replace(tzinfo=None)

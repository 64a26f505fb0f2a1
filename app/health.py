"""What /health checks: the database (the site cannot serve without it) and Redis (shared by the
hosts for rate limits and jobs; without it each host falls back to counting on its own)."""
from functools import lru_cache

import redis
from flask import current_app
from sqlalchemy import text

from app.extensions import db


def database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        db.session.rollback()
        return "unavailable"


def redis_url() -> str | None:
    settings = current_app.config
    limits = settings.get("RATELIMIT_STORAGE_URI") or ""
    return (settings.get("REDIS_URL") or settings.get("HUEY_REDIS_URL")
            or (limits if limits.startswith(("redis://", "rediss://")) else None))


def redis_state() -> str:
    url = redis_url()
    if not url:
        return "not configured"
    try:
        return "ok" if _client(url).ping() else "unavailable"
    except (redis.RedisError, OSError):
        return "unavailable"


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    """One connection pool per address and process; a probe never waits long."""
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)

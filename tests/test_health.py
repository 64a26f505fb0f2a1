"""/health for load balancers: the database and Redis apart; 503 only without a database."""
import pytest
import redis as redis_client

from app import create_app
from app.extensions import db


def health_of(app):
    with app.test_client() as client:
        response = client.get("/health")
    with app.app_context():
        db.engine.dispose()
    return response.status_code, response.json


def test_without_a_redis_url_redis_is_not_configured(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not configured"}


@pytest.mark.parametrize("setting", ["REDIS_URL", "HUEY_REDIS_URL", "RATELIMIT_STORAGE_URI"])
def test_redis_down_leaves_the_site_ok(database_url, setting):
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      setting: "redis://127.0.0.1:1/0"})  # nothing listens on port 1
    assert health_of(app) == (200, {"status": "ok", "database": "ok", "redis": "unavailable"})


def test_redis_answering_is_ok(database_url):
    url = "redis://127.0.0.1:6379/0"
    try:
        redis_client.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis_client.RedisError:
        pytest.fail("Redis must run at 127.0.0.1:6379 (.ci/run starts it)")
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                      "REDIS_URL": url})
    assert health_of(app)[1]["redis"] == "ok"


def test_database_down_is_503():
    app = create_app({"ENV_NAME": "testing",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none"})
    status, body = health_of(app)
    assert status == 503 and body["status"] == "degraded" and body["database"] == "unavailable"


def test_with_redis_down_limited_forms_still_answer(app, database_url):
    """Rate limits fall back to counting in the process (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED)."""
    limited = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                          "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
                          "RATELIMIT_SIGN_IN_PER_ACCOUNT": "2 per minute"})
    with limited.test_client() as client:
        answers = [client.post("/auth/login", data={"email": "nobody@example.edu",
                                                    "password": "wrong"}).status_code
                   for _ in range(3)]
    with limited.app_context():
        db.engine.dispose()
    assert answers == [422, 422, 429]

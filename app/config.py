"""Settings from the environment, one class per mode."""
import os
from pathlib import Path

INSTANCE = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET = "dev-only-not-secret"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'commons.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a page left open for hours must still post
    PROPOSALS_PER_PAGE = 20
    BABEL_DEFAULT_LOCALE = "en"
    LANGUAGES = ("en", "zh_Hans")


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def check(settings: dict) -> None:
    """Refuse to start production without a real secret."""
    if settings.get("ENV_NAME") == "production":
        secret = settings.get("SECRET_KEY") or ""
        if secret == DEV_SECRET or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )

"""Settings from the environment, one class per mode."""
import logging
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

INSTANCE = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - development only; production refuses it (check)
DEV_PUBLIC_URL = "http://127.0.0.1:5000"  # development; production warns on start (check)
STATIC_BUILD = Path(__file__).resolve().parent.parent / "static" / "build"


def _str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _optional(name: str) -> str | None:
    """None when unset (a library that tells "not given" from "")."""
    return os.environ.get(name)


def _int(name: str, default: int) -> int:
    """A whole number from the environment, `default` when unset or empty; anything else stops
    the start with the variable's name (not a bare ValueError from deep in an import)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuntimeError(f"{name}={raw!r} is not a whole number") from None


def _bool(name: str, default: bool) -> bool:
    """On when "1"; any other value set is off; unset is `default`."""
    raw = os.environ.get(name)
    return default if raw is None else raw == "1"


def _engine_options() -> dict:
    """Connection pool per process. With several hosts keep
    (DB_POOL_SIZE + DB_MAX_OVERFLOW) x gunicorn workers x hosts below max_connections."""
    options: dict = {"pool_pre_ping": True}
    if _str("DB_POOL_SIZE"):
        options["pool_size"] = _int("DB_POOL_SIZE", 0)
        options["max_overflow"] = _int("DB_MAX_OVERFLOW", 0)
    return options


class Config:
    SECRET_KEY = _str("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _str("DATABASE_URL", f"sqlite:///{INSTANCE / 'commons.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = _engine_options()
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a page left open for hours must still post
    PROPOSALS_PER_PAGE = 20
    BABEL_DEFAULT_LOCALE = "en"
    # Every time a person reads (pages, e-mails, exports, the dashboard's days, due dates) is in
    # the library's zone; stored times stay UTC (app/timeutil.py).
    LIBRARY_TIMEZONE = _str("LIBRARY_TIMEZONE", "Asia/Shanghai")
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent / "translations")
    LANGUAGES = ("en", "zh_Hans")
    # Rate limits ("N per minute; M per hour"). memory:// counts per process: in production
    # with several workers use a shared store, e.g. redis://127.0.0.1:6379
    RATELIMIT_STORAGE_URI = _str("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = "commons"
    RATELIMIT_SIGN_IN_PER_ACCOUNT = _str("RATELIMIT_SIGN_IN_PER_ACCOUNT",
                                         "5 per minute; 20 per hour")
    RATELIMIT_SIGN_IN_PER_ADDRESS = _str("RATELIMIT_SIGN_IN_PER_ADDRESS",
                                         "20 per minute; 100 per hour")
    RATELIMIT_REGISTER_PER_ADDRESS = _str("RATELIMIT_REGISTER_PER_ADDRESS", "20 per hour")
    RATELIMIT_MAIL_PER_ACCOUNT = _str("RATELIMIT_MAIL_PER_ACCOUNT", "3 per hour")
    RATELIMIT_MAIL_PER_ADDRESS = _str("RATELIMIT_MAIL_PER_ADDRESS", "10 per hour")
    RATELIMIT_PROPOSALS = _str("RATELIMIT_PROPOSALS", "5 per hour; 20 per day")
    RATELIMIT_COMMENTS = _str("RATELIMIT_COMMENTS", "5 per minute; 100 per day")
    RATELIMIT_SUPPORTS = _str("RATELIMIT_SUPPORTS", "30 per minute; 500 per day")
    RATELIMIT_FLAGS = _str("RATELIMIT_FLAGS", "10 per hour; 30 per day")
    # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
    PROXY_FIX = _int("PROXY_FIX", 0)
    # Several hosts share one Redis: rate limits, the job queue (app/jobs.py), /health.
    REDIS_URL = _optional("REDIS_URL")
    HUEY_REDIS_URL = _optional("HUEY_REDIS_URL") or REDIS_URL
    HUEY_SQLITE_PATH = _str("HUEY_SQLITE_PATH", str(INSTANCE / "huey.sqlite3"))
    HUEY_IMMEDIATE = False
    # A Redis that stops answering must not turn every limited POST into a 500: limits count in
    # the process's memory until it is back, and a count that fails after the view has answered
    # (a sign-in refused, a support given, while Redis goes away) is logged, not raised.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Fingerprinted static files (python -m app.assets), used when this manifest exists.
    STATIC_MANIFEST = _str("STATIC_MANIFEST")
    # Benchmark instruments (bench/, app/bench_baseline.py): off unless the bench server asks.
    BENCH_BASELINE = _bool("COMMONS_BENCH_BASELINE", False)
    SQL_COUNT_HEADER = _bool("COMMONS_SQL_COUNT", False)
    # The staff dashboard's figures, kept in the database for every worker, are shown as they are
    # this long (0: computed on every view, nothing kept); older ones, up to INSIGHT_STALE_SECONDS,
    # are shown while a job works them out again. A job refreshes the default view every 5 min.
    INSIGHT_CACHE_SECONDS = _int("INSIGHT_CACHE_SECONDS", 300)
    INSIGHT_STALE_SECONDS = _int("INSIGHT_STALE_SECONDS", 3600)
    # Visitors' pages are kept until the next write (app/pagecache.py), at most this long.
    PAGE_CACHE_SECONDS = _int("PAGE_CACHE_SECONDS", 60)
    # ... and shared by the workers of one host through a file in this folder ("": not shared).
    PAGE_CACHE_FOLDER = _str("PAGE_CACHE_FOLDER", str(INSTANCE / "pagecache"))


    # Workshop reminders (app/notifications/workshop_reminders.py): hours before the start,
    # "24,1" = the day before and an hour before; each sent once.
    WORKSHOP_REMINDER_HOURS = _str("WORKSHOP_REMINDER_HOURS", "24,1")

    # The site's address in absolute links (e-mails, the API, feeds): never the Host header.
    PUBLIC_URL = _str("PUBLIC_URL", DEV_PUBLIC_URL)
    MAIL_BACKEND = _str("MAIL_BACKEND", "console")  # console, file, smtp
    MAIL_FILE_PATH = str(INSTANCE / "mail")
    MAIL_SERVER = _str("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = _optional("MAIL_USERNAME")
    MAIL_PASSWORD = _optional("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = _str("MAIL_DEFAULT_SENDER", "Commons <commons@library.example>")


    # Photos and documents (app/media): a folder under instance/ on one machine, S3-compatible
    # object storage (MinIO, Ceph, a cloud bucket) when several hosts must see every file.
    MEDIA_STORAGE = _str("MEDIA_STORAGE", "local")  # local or s3
    MEDIA_FOLDER = _str("MEDIA_FOLDER", str(INSTANCE / "media"))
    MEDIA_S3_BUCKET = _str("MEDIA_S3_BUCKET", "commons-media")
    MEDIA_S3_ENDPOINT = _str("MEDIA_S3_ENDPOINT")  # "" for the cloud's own
    MEDIA_S3_REGION = _str("MEDIA_S3_REGION", "us-east-1")
    MEDIA_S3_ACCESS_KEY = _str("MEDIA_S3_ACCESS_KEY")
    MEDIA_S3_SECRET_KEY = _str("MEDIA_S3_SECRET_KEY")
    MEDIA_URL_SECONDS = _int("MEDIA_URL_SECONDS", 300)  # signed URLs (S3)
    MEDIA_MAX_BYTES = _int("MEDIA_MAX_BYTES", 10 * 1024 * 1024)  # per file
    MEDIA_MAX_PHOTOS = _int("MEDIA_MAX_PHOTOS", 4)  # per proposal
    MEDIA_MAX_PIXELS = _int("MEDIA_MAX_PIXELS", 40_000_000)  # no bombs
    MEDIA_MAX_SIDE = _int("MEDIA_MAX_SIDE", 12_000)  # no 1 x 60000 strips
    # A whole request: every file at its largest, and the form's text beside them.
    MAX_CONTENT_LENGTH = (MEDIA_MAX_PHOTOS + 1) * MEDIA_MAX_BYTES
    RATELIMIT_UPLOADS = _str("RATELIMIT_UPLOADS", "20 per hour; 60 per day")

    # Patrons confirm their e-mail address before they can propose (on by default in production).
    REQUIRE_EMAIL_VERIFICATION = _bool("REQUIRE_EMAIL_VERIFICATION", False)

    # Campus sign-in (docs/sso.md). OpenID Connect: on when OIDC_ISSUER is set.
    OIDC_ISSUER = _str("OIDC_ISSUER")
    OIDC_CLIENT_ID = _str("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = _str("OIDC_CLIENT_SECRET")
    OIDC_SCOPES = _str("OIDC_SCOPES", "openid profile email")
    OIDC_NAME_EN = _str("OIDC_NAME_EN", "University sign-in")
    OIDC_NAME_ZH = _str("OIDC_NAME_ZH", "统一身份认证")
    # CAS 3.0: on when CAS_SERVER_URL is set (e.g. https://cas.univ.edu.cn/cas).
    CAS_SERVER_URL = _str("CAS_SERVER_URL")
    CAS_NAME_EN = _str("CAS_NAME_EN", "Campus CAS sign-in")
    CAS_NAME_ZH = _str("CAS_NAME_ZH", "校园统一身份认证")
    # Which claim or attribute says who the person is at the university, and what patron type
    # each value means (JSON object; the first value of the claim that maps wins).
    SSO_AFFILIATION_CLAIM = _str("SSO_AFFILIATION_CLAIM", "affiliation")
    SSO_PATRON_TYPES = _str("SSO_PATRON_TYPES", (
        '{"undergraduate": "undergraduate", "student": "undergraduate", '
        '"postgraduate": "postgraduate", "graduate": "postgraduate", "faculty": "faculty", '
        '"staff": "staff", "employee": "staff", "alum": "alumnus", "alumni": "alumnus"}'))
    # Library roles from a group claim: only these configured group names grant them.
    SSO_GROUPS_CLAIM = _str("SSO_GROUPS_CLAIM", "groups")
    SSO_STAFF_GROUPS = _str("SSO_STAFF_GROUPS")  # comma-separated
    SSO_ADMIN_GROUPS = _str("SSO_ADMIN_GROUPS")
    # Password accounts: open (anyone signs up), existing (only accounts already made sign in
    # with a password), off (the sign-in page shows only the campus buttons).
    LOCAL_ACCOUNTS = _str("LOCAL_ACCOUNTS", "open")
    RATELIMIT_SSO_CALLBACK = _str("RATELIMIT_SSO_CALLBACK", "30 per minute; 300 per hour")


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    MAIL_BACKEND = "locmem"
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret"  # noqa: S105 - the test suite's
    SQLALCHEMY_DATABASE_URI = _str("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = False  # the limit tests switch them on for themselves
    RATELIMIT_STORAGE_URI = "memory://"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = HUEY_REDIS_URL = None
    HUEY_IMMEDIATE = True  # tasks run at once, in the caller's process, on in-memory storage
    STATIC_MANIFEST = ""
    INSIGHT_CACHE_SECONDS = 0  # a test changes the data and looks again at once
    PAGE_CACHE_FOLDER = ""  # one process; tests/test_pagecache.py shares a file of its own
    MEDIA_FOLDER = ""  # tests/conftest.py gives each run a folder of its own


class ProductionConfig(Config):
    REQUIRE_EMAIL_VERIFICATION = _bool("REQUIRE_EMAIL_VERIFICATION", True)
    MAIL_BACKEND = _str("MAIL_BACKEND", "smtp")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    STATIC_MANIFEST = _str("STATIC_MANIFEST", str(STATIC_BUILD / "manifest.json"))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def check(settings: dict) -> None:
    """Refuse to start with a time zone nobody knows, or production without a real secret."""
    try:
        ZoneInfo(settings.get("LIBRARY_TIMEZONE") or "")
    except (ValueError, ZoneInfoNotFoundError):
        raise RuntimeError(f"LIBRARY_TIMEZONE={settings.get('LIBRARY_TIMEZONE')!r} is not a time "
                           "zone name such as Asia/Shanghai or Europe/London") from None
    settings["BABEL_DEFAULT_TIMEZONE"] = settings["LIBRARY_TIMEZONE"]
    if settings.get("LOCAL_ACCOUNTS", "open") not in ("open", "existing", "off"):
        raise RuntimeError("LOCAL_ACCOUNTS must be open, existing or off")
    if settings.get("ENV_NAME") == "production":
        secret = settings.get("SECRET_KEY") or ""
        if secret == DEV_SECRET or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        if settings.get("PUBLIC_URL", DEV_PUBLIC_URL).startswith(DEV_PUBLIC_URL):
            logging.getLogger("commons").warning(
                "PUBLIC_URL is %s: links in e-mails, feeds and the API will point at this "
                "machine, not at the site patrons use; set PUBLIC_URL", DEV_PUBLIC_URL)

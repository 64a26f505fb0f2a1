"""Settings of the tests' CAS server: django-cas-server on SQLite in a temporary folder
(CAS_TEST_DB), on loopback only. Its directory is django-cas-server's own TestAuthUser: one
person, `lihua`, with a password and the attributes a Chinese university's CAS releases."""
import os
import secrets

SECRET_KEY = secrets.token_urlsafe(40)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "cas_server",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
ROOT_URLCONF = "tests.sso.cas_django.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.path.join(os.environ["CAS_TEST_DB"], "cas.sqlite3")}}
USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "/static/"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# No call to PyPI for a newer version: the tests run without the Internet.
CAS_NEW_VERSION_HTML_WARNING = False
CAS_NEW_VERSION_EMAIL_WARNING = False
CAS_AUTH_CLASS = "cas_server.auth.TestAuthUser"
CAS_TEST_USER = "lihua"
CAS_TEST_PASSWORD = "campus password 2026"
CAS_TEST_ATTRIBUTES = {
    "displayName": "李华",
    "mail": "LiHua@univ.example.cn",
    "type": "本科生",
    "memberOf": ["library-staff", "students"],
    "telephoneNumber": "+86 10 0000 0000",  # not released to any service
}
CAS_SLO_TIMEOUT = 10
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"stderr": {"class": "logging.StreamHandler"}},
           "loggers": {"cas_server": {"handlers": ["stderr"], "level": "INFO"}}}

"""A minimal Django project running django-cas-server, the real CAS server of the tests
(started by tests/sso/cas_real.py)."""

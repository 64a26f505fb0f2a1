import json

import pytest

from tests.sso import cas_real, provider

CALLBACK = "http://127.0.0.1:5000/auth/sso/oidc/callback"  # PUBLIC_URL of the tests


@pytest.fixture(scope="session")
def oidc_issuer():
    with provider.running([CALLBACK], ["http://127.0.0.1:5000/proposals"]) as issuer:
        yield issuer


@pytest.fixture
def oidc_on(app, oidc_issuer, monkeypatch):
    for key, value in {"OIDC_ISSUER": oidc_issuer, "OIDC_CLIENT_ID": provider.CLIENT_ID,
                       "OIDC_CLIENT_SECRET": provider.CLIENT_SECRET,
                       "OIDC_SCOPES": "openid profile email affiliation groups",
                       "SSO_STAFF_GROUPS": "library-staff"}.items():
        monkeypatch.setitem(app.config, key, value)
    return oidc_issuer


@pytest.fixture
def sign_in_with_oidc(client, oidc_on):
    """Starts at /auth/sso/oidc, signs in at the real provider, returns the callback's answer."""
    def run(login="lihua", next_path=None, *, tamper=None):
        start = client.get("/auth/sso/oidc", query_string={"next": next_path} if next_path else {})
        assert start.status_code == 303, start.text
        back = provider.sign_in_at_provider(start.headers["Location"], CALLBACK, login=login)
        if tamper:
            back = tamper(back)
        return client.get(back.removeprefix("http://127.0.0.1:5000"))
    return run


@pytest.fixture(scope="session")
def cas_server_url():
    """The real CAS server (django-cas-server), once for the run."""
    with cas_real.running() as url:
        yield url


@pytest.fixture
def cas_on(app, cas_server_url, monkeypatch):
    """Commons reads the CAS server's attributes as a Chinese university's CAS releases them."""
    for key, value in {"CAS_SERVER_URL": cas_server_url, "SSO_AFFILIATION_CLAIM": "type",
                       "SSO_PATRON_TYPES": json.dumps({"本科生": "undergraduate",
                                                       "研究生": "postgraduate",
                                                       "教职工": "faculty"}),
                       "SSO_GROUPS_CLAIM": "memberOf",
                       "SSO_STAFF_GROUPS": "library-staff"}.items():
        monkeypatch.setitem(app.config, key, value)
    return cas_server_url

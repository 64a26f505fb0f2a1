import pytest

from tests.sso import provider

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

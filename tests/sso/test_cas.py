"""CAS 3.0 sign-in, checked against the specification's RECORDED answers (tests/sso/recorded/,
served by tests/sso/cas_server.py).

The CAS client is ALSO tested against a real CAS server: tests/sso/test_cas_real.py runs
django-cas-server (PyPI) started by its fixture. These recorded-answer tests stay for the
protocol's edge cases a real server will not produce on demand: the specification's own
example answers (another server's attribute layout, affiliations `staff`/`faculty`), a chosen
ticket number, the exact query the client sends, and single-logout requests made by hand (an
unknown ticket's must end nothing)."""
from urllib.parse import parse_qs, urlsplit

import pytest

from app.auth.models import User
from app.extensions import db
from app.sso.models import CasTicket, ExternalIdentity
from tests.conftest import count
from tests.sso import cas_server

SERVICE = "http://127.0.0.1:5000/auth/sso/cas/callback?next=/projects"


@pytest.fixture
def cas(app, monkeypatch):
    with cas_server.running() as replay:
        monkeypatch.setitem(app.config, "CAS_SERVER_URL", replay.url)
        replay.issued["ST-1856339-aA5Yuvrxzpv8Tau1cYQ7"] = SERVICE
        yield replay


def test_the_sign_in_goes_to_the_cas_login_with_this_service(client, cas):
    answer = client.get("/auth/sso/cas?next=/projects")
    assert answer.status_code == 303 and answer.headers["Cache-Control"] == "no-store"
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{cas.url}/login"
    assert parse_qs(location.query)["service"] == [SERVICE]


def test_a_good_ticket_signs_in_with_the_released_attributes(client, cas):
    answer = client.get("/auth/sso/cas/callback?next=%2Fprojects"
                        "&ticket=ST-1856339-aA5Yuvrxzpv8Tau1cYQ7")
    assert answer.status_code == 303 and answer.headers["Location"] == "/projects"
    assert cas.asked == [{"ticket": "ST-1856339-aA5Yuvrxzpv8Tau1cYQ7", "service": SERVICE}]
    user = db.session.scalar(db.select(User))
    # the recorded answer: John Doe, jdoe@example.org, affiliation staff and faculty
    assert (user.display_name, user.email, user.patron_type) == (
        "John Doe", "jdoe@example.org", "staff")
    link = db.session.scalar(db.select(ExternalIdentity))
    assert (link.provider, link.subject) == ("cas", "username")
    assert "John Doe" in client.get("/account").text


def test_an_invalid_ticket_is_refused_with_nothing_written(client, cas):
    answer = client.get("/auth/sso/cas/callback?next=%2Fprojects&ticket=ST-0-not-issued")
    assert answer.status_code == 400
    assert "did not confirm this sign-in" in answer.text
    assert count(User) == 0 and count(CasTicket) == 0


def test_a_ticket_for_another_service_is_refused(client, cas):
    answer = client.get("/auth/sso/cas/callback?next=%2Foutcomes"
                        "&ticket=ST-1856339-aA5Yuvrxzpv8Tau1cYQ7")
    assert answer.status_code == 400
    assert cas.asked[0]["service"].endswith("next=/outcomes")
    assert count(User) == 0


def test_a_single_logout_request_ends_the_session_the_ticket_opened(client, cas, app):
    client.get("/auth/sso/cas/callback?next=%2Fprojects&ticket=ST-1856339-aA5Yuvrxzpv8Tau1cYQ7")
    assert client.get("/account").status_code == 200
    server = app.test_client()  # the CAS server's back channel, without the browser's cookie
    request = cas_server.recorded("logout_request.xml", ticket="ST-1856339-aA5Yuvrxzpv8Tau1cYQ7")
    assert server.post("/auth/sso/cas/callback", data={"logoutRequest": request}).status_code == 204
    assert client.get("/account").status_code == 302  # sent to sign in again
    assert count(CasTicket) == 0


def test_a_single_logout_for_an_unknown_ticket_ends_nothing(client, cas, app):
    client.get("/auth/sso/cas/callback?next=%2Fprojects&ticket=ST-1856339-aA5Yuvrxzpv8Tau1cYQ7")
    request = cas_server.recorded("logout_request.xml", ticket="ST-999-someone-else")
    assert app.test_client().post("/auth/sso/cas/callback",
                                  data={"logoutRequest": request}).status_code == 404
    assert client.get("/account").status_code == 200


def test_the_sign_in_page_offers_the_cas_button_in_the_readers_language(client, cas):
    assert "Campus CAS sign-in" in client.get("/auth/login").text
    assert "校园统一身份认证" in client.get("/auth/login?lang=zh-Hans").text


def test_signing_out_also_signs_out_at_the_cas_server(client, cas):
    client.get("/auth/sso/cas/callback?next=%2Fprojects&ticket=ST-1856339-aA5Yuvrxzpv8Tau1cYQ7")
    assert client.post("/auth/logout").headers["Location"] == "/auth/sso/signed-out/cas"
    page = client.get("/auth/sso/signed-out/cas").text
    assert f'url={cas.url}/logout?service=http%3A%2F%2F127.0.0.1%3A5000%2Fproposals"' in page

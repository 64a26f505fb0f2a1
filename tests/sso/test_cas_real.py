"""CAS sign-in against a REAL CAS server: django-cas-server (PyPI), started by the fixture
`cas_server_url` (tests/sso/cas_real.py, tests/sso/cas_django/) on a free loopback port. The
person signs in at its login form over HTTP; Commons runs in the Flask test client and checks
the ticket at the server's `/p3/serviceValidate`. The recorded answers of test_cas.py stay for
what this server will not say on demand."""
import threading
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from app.auth.models import User
from app.extensions import db
from app.sso.models import CasTicket, ExternalIdentity
from tests.conftest import count
from tests.sso import cas_real
from tests.sso.provider import free_port


def start(client, next_path="/projects") -> str:
    """Commons' CAS button: the address of the CAS server's login page it sends the browser to."""
    answer = client.get("/auth/sso/cas", query_string={"next": next_path})
    assert answer.status_code == 303
    return answer.headers["Location"]


def service_of(login_url: str) -> str:
    return parse_qs(urlsplit(login_url).query)["service"][0]


def back_at_commons(client, returned_to: str):
    parts = urlsplit(returned_to)
    return client.get(f"{parts.path}?{parts.query}")


def ticket_in(returned_to: str) -> str:
    return parse_qs(urlsplit(returned_to).query)["ticket"][0]


def nothing_written() -> bool:
    return count(User) == 0 and count(ExternalIdentity) == 0 and count(CasTicket) == 0


def test_a_ticket_from_the_real_server_signs_in_with_its_released_attributes(client, cas_on):
    login_url = start(client)
    assert login_url.startswith(f"{cas_on}/login?service=")
    service = service_of(login_url)
    assert service == "http://127.0.0.1:5000/auth/sso/cas/callback?next=/projects"
    returned_to = cas_real.sign_in_at_cas(login_url, service)
    assert ticket_in(returned_to).startswith("ST-")

    answer = back_at_commons(client, returned_to)
    assert answer.status_code == 303 and answer.headers["Location"] == "/projects"
    user = db.session.scalar(db.select(User))
    # released by the server for this service: displayName, mail, type, memberOf
    assert (user.display_name, user.email, user.patron_type, user.role) == (
        "李华", "lihua@univ.example.cn", "undergraduate", "staff")
    assert user.email_verified_at is not None
    link = db.session.scalar(db.select(ExternalIdentity))
    assert (link.provider, link.subject) == ("cas", "lihua")
    assert db.session.scalar(db.select(CasTicket.ticket)) == ticket_in(returned_to)
    assert "李华" in client.get("/account").text


def test_the_real_servers_ticket_is_good_once(client, app, cas_on):
    login_url = start(client)
    returned_to = cas_real.sign_in_at_cas(login_url, service_of(login_url))
    assert back_at_commons(client, returned_to).status_code == 303
    again = back_at_commons(app.test_client(), returned_to)  # a replay, from another browser
    assert again.status_code == 400
    assert "did not confirm this sign-in" in again.text
    assert count(User) == 1 and count(CasTicket) == 1


def test_a_ticket_the_real_server_never_issued_is_refused_with_nothing_written(client, cas_on):
    answer = client.get("/auth/sso/cas/callback?next=%2Fprojects&ticket=ST-0-never-issued")
    assert answer.status_code == 400
    assert "did not confirm this sign-in" in answer.text
    assert nothing_written()
    assert client.get("/account").status_code == 302  # not signed in


def test_a_ticket_the_real_server_issued_for_another_service_is_refused(client, cas_on):
    # The same person signs in at the CAS server for another site of the university…
    other_login = f"{cas_on}/login?service={quote(cas_real.OTHER_SERVICE, safe='')}"
    returned_to = cas_real.sign_in_at_cas(other_login, cas_real.OTHER_SERVICE)
    assert returned_to.startswith(cas_real.OTHER_SERVICE)
    # …and that site's ticket is brought to Commons' callback.
    answer = client.get("/auth/sso/cas/callback", query_string={
        "next": "/projects", "ticket": ticket_in(returned_to)})
    assert answer.status_code == 400
    assert "did not confirm this sign-in" in answer.text
    assert nothing_written()


@pytest.fixture
def commons_served(app, monkeypatch):
    """Commons on a free loopback port for the CAS server's back channel, its PUBLIC_URL there:
    the service URL the server is given, and posts its single-logout request to, is this one."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setitem(app.config, "PUBLIC_URL", f"http://127.0.0.1:{port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def test_signing_out_at_the_real_server_ends_the_commons_session(client, cas_on, commons_served):
    browser = requests.Session()  # the person's browser at the CAS server
    login_url = start(client)
    service = service_of(login_url)
    assert service.startswith(f"{commons_served}/auth/sso/cas/callback")
    back_at_commons(client, cas_real.sign_in_at_cas(login_url, service, browser=browser))
    assert client.get("/account").status_code == 200
    assert count(CasTicket) == 1
    db.session.commit()  # the test's reads end: on SQLite they would hold off the back channel

    # Signing out at the CAS server: it POSTs its logoutRequest to Commons before answering.
    page = browser.get(f"{cas_on}/logout", timeout=20)
    assert page.status_code == 200 and "Logout successful" in page.text
    assert "Error during service logout" not in page.text  # Commons answered the POST
    assert client.get("/account").status_code == 302  # sent to sign in again
    assert count(CasTicket) == 0
    assert count(User) == 1  # the account stays; only its sessions ended


def test_commons_sign_out_leads_to_the_real_servers_logout(client, cas_on, commons_served):
    browser = requests.Session()
    login_url = start(client)
    back_at_commons(client, cas_real.sign_in_at_cas(login_url, service_of(login_url),
                                                    browser=browser))
    assert client.post("/auth/logout").headers["Location"] == "/auth/sso/signed-out/cas"
    page = client.get("/auth/sso/signed-out/cas").text
    target = f"{cas_on}/logout?service={quote(commons_served + '/proposals', safe='')}"
    assert f'url={target}"' in page
    assert count(CasTicket) == 1  # signing out of Commons alone keeps it
    db.session.commit()  # the test's reads end: on SQLite they would hold off the back channel
    # The browser goes there: the server logs out, tells Commons (the ticket is forgotten)…
    logout = browser.get(target, allow_redirects=False, timeout=20)
    assert logout.is_redirect and logout.headers["Location"] == f"{commons_served}/proposals"
    assert count(CasTicket) == 0
    # …and its session has ended: the next sign-in asks for the password again.
    again = browser.get(start(client), allow_redirects=False, timeout=10)
    assert again.status_code == 200 and 'name="password"' in again.text

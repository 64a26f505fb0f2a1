"""When a service behind the app fails for a moment: the database restarting or dropping its
connections gives the library's 503 page in the reader's language with Retry-After, never a
traceback or a bare 500; Redis down (the rate limits' store) gives no 5xx at all."""
import pytest
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError, OperationalError

from app.extensions import db
from app.proposals.models import Support
from tests.conftest import IsolatedClient, count

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def database_fails(app):
    """Every statement fails as it does while PostgreSQL restarts."""
    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception(
            "terminating connection due to administrator command"))
    engine = db.engine
    event.listen(engine, "before_cursor_execute", fail)

    def back() -> None:
        if event.contains(engine, "before_cursor_execute", fail):
            event.remove(engine, "before_cursor_execute", fail)
    yield back
    back()


def assert_unavailable_page(response, *texts):
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = response.text
    assert 'class="site-header"' in page and 'id="main"' in page  # the site's layout around it
    assert 'class="error-code">503<' in page
    assert "Traceback" not in page and "OperationalError" not in page
    for text in texts:
        assert text in page


def test_a_database_restart_gives_the_503_page_in_english(client, database_fails):
    response = client.get("/proposals")
    assert_unavailable_page(response, "Back in a moment", "Please try again in a few seconds.")


def test_a_database_restart_gives_the_503_page_in_chinese(client, database_fails):
    response = client.get("/proposals", headers={"Accept-Language": "zh-CN"})
    assert_unavailable_page(response, 'lang="zh-Hans"')
    assert "Back in a moment" not in response.text
    assert "稍后" in response.text


def test_a_dropped_connection_during_a_click_gives_the_503_page(
        app, client, login, make_user, make_proposal, monkeypatch):
    patron = make_user()
    proposal = make_proposal()
    login(patron)
    from app.proposals import services

    def dropped(*_args, **_kwargs):
        raise DisconnectionError("the server closed the connection unexpectedly")
    monkeypatch.setattr(services, "support", dropped)
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
    assert_unavailable_page(response, "Back in a moment")
    assert count(Support) == 0


def test_the_site_answers_again_once_the_database_is_back(client, database_fails):
    assert client.get("/proposals").status_code == 503
    database_fails()  # PostgreSQL is back
    assert client.get("/proposals").status_code == 200


@pytest.fixture
def redis_down_app(make_redis_down_app):
    return make_redis_down_app()


@pytest.fixture
def make_redis_down_app(database_url):
    from app import create_app

    made = []

    def make():
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                          "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": CLOSED_PORT,
                          "RATELIMIT_SIGN_IN_PER_ACCOUNT": "3 per minute"})
        app.test_client_class = IsolatedClient
        made.append(app)
        return app
    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def test_with_redis_down_pages_and_limited_forms_still_answer(redis_down_app, app, make_user):
    make_user(email="reader@example.org")
    client = redis_down_app.test_client()
    assert client.get("/proposals").status_code == 200
    answers = [client.post("/auth/login", data={"email": "reader@example.org",
                                                "password": "not the password"}).status_code
               for _ in range(5)]
    assert all(status < 500 for status in answers), answers
    assert answers[:3] == [422, 422, 422]  # limits still count, in the process's memory
    assert answers[3:] == [429, 429]

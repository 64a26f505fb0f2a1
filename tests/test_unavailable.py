"""When a service behind the app fails for a moment: the database restarting or dropping its
connections gives the library's 503 page in the reader's language with Retry-After, never a
traceback or a bare 500; Redis down (the rate limits' store) gives no 5xx at all."""
import pytest
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError, OperationalError

from app.extensions import db, limiter
from app.proposals.models import Support
from tests.conftest import IsolatedClient, count

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def database_down(app):
    """Call it and every statement fails, as while PostgreSQL restarts; call what it returns
    and the database is back."""
    engine = db.engine

    def fail(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception(
            "terminating connection due to administrator command"))

    def back() -> None:
        if event.contains(engine, "before_cursor_execute", fail):
            event.remove(engine, "before_cursor_execute", fail)

    def down():
        event.listen(engine, "before_cursor_execute", fail)
        return back
    yield down
    back()


@pytest.fixture
def database_fails(database_down):
    return database_down()


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


def test_a_signed_in_patron_gets_the_503_page_while_the_database_is_down(
        client, login, make_user, database_down):
    login(make_user(name="Wen Jing"))
    database_down()
    response = client.get("/proposals")
    assert_unavailable_page(response, "Back in a moment")
    assert "Wen Jing" not in response.text  # the page asks the database nothing


def test_the_drivers_own_error_gives_the_503_page(
        client, login, make_user, make_proposal, monkeypatch):
    """Code on the driver's connection itself (the page cache bumps its revision so, just before
    a commit) meets a dropped connection as the driver's OperationalError, not SQLAlchemy's."""
    patron = make_user()
    proposal = make_proposal()
    login(patron)
    from app.proposals import services

    driver_error = db.engine.dialect.loaded_dbapi.OperationalError

    def dropped(*_args, **_kwargs):
        raise driver_error("consuming input failed: server closed the connection unexpectedly")
    monkeypatch.setattr(services, "support", dropped)
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
    assert_unavailable_page(response, "Back in a moment")
    assert count(Support) == 0


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


HTMX = {"HX-Request": "true"}


def assert_message_in_flash_region(response, code, *texts):
    """An htmx request gets the message as the flash region's content, with the headers that
    send it there whatever the clicked element meant to swap: never a whole page swapped away."""
    assert response.status_code == code
    assert response.headers["HX-Retarget"] == "#flash"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert '<p class="flash flash-error">' in response.text
    assert 'id="main"' not in response.text and "<html" not in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    for text in texts:
        assert text in response.text


def test_a_support_click_by_htmx_while_the_database_is_down_says_so_in_the_flash_region(
        client, login, make_user, make_proposal, database_down):
    patron = make_user()
    proposal = make_proposal()
    login(patron)
    url = f"/proposals/{proposal.id}/support"
    database_down()
    response = client.post(url, data={"want": "support"}, headers=HTMX)
    assert_message_in_flash_region(response, 503, "Please try again in a few seconds.")
    assert int(response.headers["Retry-After"]) > 0


def test_the_htmx_message_of_a_database_restart_is_in_chinese_for_a_chinese_reader(
        client, database_fails):
    response = client.get("/proposals", headers=HTMX | {"Accept-Language": "zh-CN"})
    assert_message_in_flash_region(response, 503, "请过几秒钟再试")
    assert "Please try again" not in response.text


def test_an_unexpected_error_on_an_htmx_request_says_so_in_the_flash_region(
        app, client, login, make_user, make_proposal, monkeypatch):
    patron = make_user()
    proposal = make_proposal()
    login(patron)
    from app.proposals import services

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")
    monkeypatch.setattr(services, "support", broken)
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"},
                           headers=HTMX)
    assert_message_in_flash_region(response, 500, "Nothing was saved; please try again.")
    assert count(Support) == 0


def test_a_page_carries_the_translated_message_for_a_request_that_never_got_an_answer(client):
    english = client.get("/proposals").text
    assert 'data-failed="That did not go through: the library did not answer.' in english
    chinese = client.get("/proposals?lang=zh-Hans").text
    assert 'data-failed="That did not go through' not in chinese


def test_the_site_answers_again_once_the_database_is_back(client, database_fails):
    assert client.get("/proposals").status_code == 503
    database_fails()  # PostgreSQL is back
    assert client.get("/proposals").status_code == 200


@pytest.fixture(autouse=True)
def limiter_storage_alive(monkeypatch):
    """The limiter is one per process and remembers a storage it found dead (then counting in
    memory): each test here starts, and leaves the next test, with the storage taken as alive."""
    monkeypatch.setattr(limiter, "_storage_dead", False)


@pytest.fixture
def redis_down_app(make_redis_down_app):
    return make_redis_down_app()


@pytest.fixture
def make_redis_down_app(app, database_url):
    """Apps whose limits count in Redis on a closed port. The limiter is one per process: the
    test app gets it back afterwards, with its own storage."""
    from app import create_app, limits

    made = []

    def make():
        app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                          "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": CLOSED_PORT,
                          "RATELIMIT_SIGN_IN_PER_ACCOUNT": "3 per minute"})
        app.test_client_class = IsolatedClient
        made.append(app)
        return app
    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()
    limits.init_app(app)


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


@pytest.fixture
def connection_dropped(app):
    """Once armed, the next statement finds its connection closed by the server (PostgreSQL
    restarting while a request holds it): SQLAlchemy invalidates the connection and raises
    OperationalError, as psycopg's "server closed the connection unexpectedly" does."""
    engine = db.engine
    state = {"armed": False, "met": False}
    failing = {"postgresql": "SELECT pg_terminate_backend(pg_backend_pid())",  # a real one
               "sqlite": "SELECT * FROM the_server_closed_the_connection"}[engine.dialect.name]

    def bad_statement(_conn, _cursor, statement, parameters, _context, _many):
        if state["armed"]:
            state.update(armed=False, met=True)
            return failing, parameters
        return statement, parameters

    def as_disconnect(context):  # SQLite has no server to lose: its error is taken for one
        if context.statement == failing:
            context.is_disconnect = True

    event.listen(engine, "before_cursor_execute", bad_statement, retval=True)
    event.listen(engine, "handle_error", as_disconnect)
    yield state
    event.remove(engine, "before_cursor_execute", bad_statement)
    event.remove(engine, "handle_error", as_disconnect)


def test_a_connection_dropped_mid_request_gives_the_503_page_then_the_site_recovers(
        client, login, make_user, make_proposal, connection_dropped):
    patron = make_user()
    proposal = make_proposal()
    login(patron)
    url = f"/proposals/{proposal.id}/support"
    connection_dropped["armed"] = True
    response = client.post(url, data={"want": "support"})
    assert connection_dropped["met"]
    assert_unavailable_page(response, "Back in a moment")
    again = client.post(url, data={"want": "support"})
    assert again.status_code == 303  # a new connection from the pool, no restart
    assert count(Support) == 1


def test_redis_lost_between_the_check_and_the_count_still_answers(
        app, client, login, make_user, make_proposal, monkeypatch):
    """Limits count after the view answered (deduct_when); Redis going away in that moment must
    not turn a support already given into a 500."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    limiter.reset()
    patron = make_user()
    proposal = make_proposal()
    login(patron)

    def gone(*_args, **_kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")
    monkeypatch.setattr(limiter.storage, "incr", gone)
    response = client.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
    assert response.status_code == 303
    assert count(Support) == 1


def test_a_connection_lost_after_the_answer_still_answers(client, monkeypatch):
    """PostgreSQL terminating the connection after the page was made: the session's closing
    rollback fails at the end of the request, and the page still goes out."""
    session_class = type(db.session.registry())
    close = session_class.close
    failed = []

    def close_once(session):
        close(session)
        if not failed:
            failed.append(session)
            raise OperationalError("ROLLBACK", {}, Exception(
                "terminating connection due to administrator command"))
    monkeypatch.setattr(session_class, "close", close_once)
    response = client.get("/proposals")
    assert failed  # the request's session met it
    assert response.status_code == 200
    monkeypatch.undo()
    assert client.get("/proposals").status_code == 200


def test_gunicorns_own_error_answer_is_logged_without_a_path():
    """gunicorn answers an error itself (the app raised past its handlers) with an environ that
    may lack PATH_INFO: the access line is still written, the worker lives."""
    import datetime

    from gunicorn.config import Config

    from app.serving import AccessLogger

    logger = AccessLogger.__new__(AccessLogger)
    logger.cfg = Config()
    request = type("Req", (), {"method": "GET", "path": "/proposals/33", "query": "",
                               "uri": "/proposals/33", "version": (1, 1), "headers": []})()
    response = type("Resp", (), {"status": "500 Internal Server Error", "sent": 0,
                                 "headers": []})()
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/proposals/33", "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "127.0.0.1"}  # gunicorn's default_environ: no PATH_INFO
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    assert '"GET /proposals/33 HTTP/1.1" 500' in logger.cfg.access_log_format % atoms

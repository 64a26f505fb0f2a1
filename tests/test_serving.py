"""Serving in production: every request has an id (its header, its log lines, the 500 page),
access lines keep tokens and query strings out, and several workers share their rate limits."""
import datetime
import logging

import pytest
from flask import current_app

from app import create_app, serving
from app.serving import AccessLogger


def test_every_answer_names_its_request(client):
    first, second = client.get("/proposals"), client.get("/proposals")
    ids = {first.headers["X-Request-Id"], second.headers["X-Request-Id"]}
    assert len(ids) == 2 and all(len(i) == 32 for i in ids)


def test_a_proxys_id_is_taken_only_from_a_trusted_proxy(app, client, monkeypatch):
    sent = {"X-Request-Id": "nginx-4f2a"}
    assert client.get("/proposals", headers=sent).headers["X-Request-Id"] != "nginx-4f2a"
    behind = create_app({"ENV_NAME": "testing", "PROXY_FIX": 1,
                         "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    proxied = behind.test_client()
    assert proxied.get("/health", headers=sent).headers["X-Request-Id"] == "nginx-4f2a"
    forged = proxied.get("/health", headers={"X-Request-Id": "a b; <script>"})
    assert forged.headers["X-Request-Id"] != "a b; <script>"
    with behind.app_context():
        from app.extensions import db
        db.engine.dispose()


def test_the_error_page_and_the_log_carry_the_same_reference(app, client, caplog, monkeypatch):
    from app.proposals import queries

    def broken(*_args, **_kwargs):
        current_app.logger.warning("about to fail")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(queries, "page_of", broken)
    monkeypatch.setattr(app.logger, "disabled", False)  # the migrations' logging config
    with caplog.at_level(logging.WARNING):
        answer = client.get("/proposals")
    reference = answer.headers["X-Request-Id"]
    assert answer.status_code == 500 and reference in answer.text
    ours = [record for record in caplog.records if record.name == app.logger.name]
    assert [record.getMessage() for record in ours] == ["about to fail", "Unhandled error"]
    assert {record.request_id for record in ours} == {reference}


def test_access_lines_leave_out_tokens_and_query_strings():
    class Config:
        access_log_format = '"%(r)s" %(U)s %(q)s'
        errorlog, accesslog, loglevel = "-", "-", "info"
        syslog = capture_output = False
        logconfig = logconfig_dict = logconfig_json = None
        disable_redirect_access_to_syslog = False
        user, group, umask = 0, 0, 0

    logger = AccessLogger.__new__(AccessLogger)
    logger.cfg = Config()
    request = type("Req", (), {"method": "GET", "path": "/auth/reset/secret-token",
                               "query": "next=%2Fsecret", "uri": "/auth/reset/secret-token",
                               "version": (1, 1), "headers": []})()
    response = type("Resp", (), {"status": "200 OK", "sent": 10, "headers": []})()
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/auth/reset/secret-token?next=%2Fsecret",
               "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/auth/reset/secret-token",
               "QUERY_STRING": "next=%2Fsecret", "REMOTE_ADDR": "127.0.0.1"}
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    line = logger.cfg.access_log_format % atoms
    assert "secret-token" not in line and "next=" not in line and "/auth/reset/" in line


@pytest.mark.parametrize("environment, workers, refused", [
    ({"COMMONS_ENV": "production"}, 2, True),
    ({"COMMONS_ENV": "production", "RATELIMIT_STORAGE_URI": "memory://"}, 4, True),
    ({"COMMONS_ENV": "production", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"}, 4, False),
    ({"COMMONS_ENV": "production"}, 1, False),
    ({"COMMONS_ENV": "development"}, 2, False),
])
def test_production_refuses_limits_counted_per_worker(environment, workers, refused):
    assert bool(serving.limits_shared(environment, workers)) is refused


@pytest.mark.parametrize("public_url, warned", [
    ("http://127.0.0.1:5000", True), ("https://commons.library.example.edu", False)])
def test_production_warns_when_links_would_point_at_this_machine(public_url, warned, caplog):
    from app import config

    settings = {"ENV_NAME": "production", "SECRET_KEY": "s" * 40, "LIBRARY_TIMEZONE": "Asia/Shanghai",
                "PUBLIC_URL": public_url}
    with caplog.at_level(logging.WARNING, logger="commons"):
        config.check(settings)
    assert ("PUBLIC_URL" in caplog.text) is warned

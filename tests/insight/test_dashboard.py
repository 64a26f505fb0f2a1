"""The dashboard's figures kept in the database for every worker: fresh ones shown as they are,
old ones shown while a job works them out again, too old ones worked out before answering."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app import create_app, jobs
from app.extensions import db
from app.insight import report, snapshots, tasks
from app.insight.models import FigureSnapshot
from app.insight.periods import default_period
from app.proposals import services as proposals
from app.timeutil import utcnow
from tests.conftest import PASSWORD, IsolatedClient

SUPPORTS_ROW = re.compile(r'<th scope="row">Supports</th><td>(\d+)</td>')  # "Started by…" table


@pytest.fixture
def kept(app, monkeypatch):
    """Figures kept 5 minutes and shown up to an hour, as in production."""
    jobs.init_app(app)  # queued refreshes run at once (HUEY_IMMEDIATE)
    monkeypatch.setitem(app.config, "INSIGHT_CACHE_SECONDS", 300)
    monkeypatch.setitem(app.config, "INSIGHT_STALE_SECONDS", 3600)
    return app


@pytest.fixture
def staff(kept, client, login, make_user):
    user = make_user(role="staff", patron_type="staff")
    login(user)
    return user


@pytest.fixture
def support(make_user, make_proposal):
    proposal = make_proposal()

    def add() -> None:
        proposals.support(proposal, make_user())
        db.session.commit()
    return add


def supports_shown(client, path="/staff/dashboard") -> int:
    page = client.get(path)
    assert page.status_code == 200
    return int(SUPPORTS_ROW.search(page.text).group(1))


def stored_at(locale="en"):
    key = snapshots.key_of(default_period(), locale)
    return db.session.scalar(select(FigureSnapshot.computed_at).where(FigureSnapshot.key == key))


def age_the_figures(seconds: int) -> None:
    db.session.execute(update(FigureSnapshot).values(
        computed_at=utcnow() - timedelta(seconds=seconds)))
    db.session.commit()


def never_worked_out(monkeypatch) -> None:
    def refuse(*_args):
        raise AssertionError("the figures were worked out again")
    monkeypatch.setattr(report, "build", refuse)


def test_a_second_worker_shows_the_figures_the_first_stored(
        staff, client, support, database_url, monkeypatch):
    support()
    assert supports_shown(client) == 1
    support()
    never_worked_out(monkeypatch)
    other = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                        "INSIGHT_CACHE_SECONDS": 300})
    other.test_client_class = IsolatedClient
    try:
        second = other.test_client()
        second.post("/auth/login", data={"email": staff.email, "password": PASSWORD})
        assert supports_shown(second) == 1  # the stored figures, not the database's 2
        assert supports_shown(client) == 1
    finally:
        with other.app_context():
            db.engine.dispose()


def test_old_figures_are_shown_and_brought_up_to_date_for_the_next_view(staff, client, support):
    support()
    assert supports_shown(client) == 1
    support()
    age_the_figures(301)
    before = stored_at()
    assert supports_shown(client) == 1  # shown at once; a job works them out again
    assert stored_at() > before
    assert supports_shown(client) == 2


def test_figures_past_the_stale_limit_are_worked_out_before_answering(staff, client, support):
    support()
    assert supports_shown(client) == 1
    support()
    age_the_figures(3601)
    assert supports_shown(client) == 2
    assert utcnow() - stored_at() < timedelta(minutes=1)


def test_the_page_says_how_old_the_figures_are(staff, client):
    client.get("/staff/dashboard")
    age_the_figures(4 * 60)
    page = client.get("/staff/dashboard").text
    assert "Figures worked out" in page and ">4 minutes ago</time>." in page
    assert "They are brought up to date every 5 minutes." in page
    chinese = client.get("/staff/dashboard", headers={"Accept-Language": "zh-CN"}).text
    assert "数据计算时间：" in chinese and "每 5 分钟更新一次" in chinese  # its own snapshot
    assert stored_at("zh_Hans") is not None


def test_the_csv_download_uses_the_same_figures(staff, client, support):
    support()
    csv = "/staff/dashboard/initiative.csv"
    assert b"Supports,1,0" in client.get(csv).data
    support()
    assert b"Supports,1,0" in client.get(csv).data
    age_the_figures(3601)
    assert b"Supports,2,0" in client.get(csv).data


@pytest.mark.parametrize("path", ["/staff/dashboard", "/staff/dashboard/service.csv"])
def test_patrons_are_refused_the_kept_figures(kept, client, login, make_user, path):
    client.get("/staff/dashboard")  # nobody signed in: off to sign in, nothing worked out
    assert db.session.scalar(select(FigureSnapshot.key)) is None
    login(make_user())
    assert client.get(path).status_code == 403


def test_the_job_keeps_the_default_dashboard_ready_in_every_language(
        kept, client, login, make_user, monkeypatch):
    db.session.add(FigureSnapshot(key="2020-01-01/2020-03-30/all/en", body="[]",
                                  computed_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    assert jobs.huey.execute(tasks.refresh_dashboard.s()) == 2
    assert stored_at("en") and stored_at("zh_Hans")
    assert db.session.get(FigureSnapshot, "2020-01-01/2020-03-30/all/en") is None  # forgotten
    never_worked_out(monkeypatch)
    login(make_user(role="staff"))
    assert client.get("/staff/dashboard").status_code == 200


def test_without_keeping_the_figures_are_worked_out_on_every_view(app, client, login,
                                                                   make_user, support):
    login(make_user(role="staff"))
    support()
    assert supports_shown(client) == 1
    support()
    assert supports_shown(client) == 2
    assert db.session.scalar(select(FigureSnapshot.key)) is None
    assert jobs.huey.execute(tasks.refresh_dashboard.s()) == 0

"""News of calls for ideas (issue 23, item 4): "a call opened" for patrons who chose its branch
(or every branch), and "the call you took part in published its results", each noticed by the
worker when the clock reaches the phase, and sent exactly once however often it runs."""
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app.extensions import db
from app.notifications import calls as call_news
from app.notifications import services as notify
from app.notifications import tasks
from app.notifications.models import Kind, Notification
from app.proposals import services as proposals
from app.proposals.models import Branch, Category
from tests.calls.moments import COLLECTING, ENDED, RESULTS, REVIEWING, SUPPORTING


def branches() -> list[int]:
    return list(db.session.scalars(select(Branch.id).order_by(Branch.id)))


def told(user, kind: Kind) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind.value))


def idea(n: int) -> dict:
    return {"title": f"Idea number {n} for the call", "problem": "Too few seats at exam time.",
            "suggestion": "Open the east reading room on Sundays during exams.",
            "category_id": db.session.scalar(select(Category.id).order_by(Category.id)),
            "branch_id": branches()[0]}


def test_a_call_opening_tells_who_chose_its_branch_once(make_user, make_call, clock):
    main, science = branches()[:2]
    everywhere, here, elsewhere, nobody = (make_user() for _ in range(4))
    notify.watch_calls(everywhere, {None})
    notify.watch_calls(here, {main})
    notify.watch_calls(elsewhere, {science})
    db.session.commit()
    call = make_call(branch_id=main)
    assert tasks.call_news.call_local() == 0  # the real clock: the call's dates are long past
    clock(COLLECTING)
    assert tasks.call_news.call_local() == 1
    assert tasks.call_news.call_local() == 0  # run twice: told once
    assert [told(u, Kind.CALL_OPENED) for u in (everywhere, here, elsewhere, nobody)] == \
        [1, 1, 0, 0]
    [news] = notify.recent(here)
    assert notify.describe(news) == f"A new call for ideas is open: “{call.title_en}”."
    assert notify.link(news) == f"/calls/{call.id}"


def test_a_call_for_every_branch_tells_every_watcher(make_user, make_call, clock):
    main, science = branches()[:2]
    here, there = make_user(), make_user()
    notify.watch_calls(here, {main})
    notify.watch_calls(there, {science})
    make_call(branch_id=None)
    clock(SUPPORTING)  # collecting is over: a call is never announced late
    assert tasks.call_news.call_local() == 0
    clock(COLLECTING)
    assert tasks.call_news.call_local() == 1
    assert told(here, Kind.CALL_OPENED) == told(there, Kind.CALL_OPENED) == 1


def test_results_reach_who_proposed_or_supported_in_the_call_once(make_user, make_call, clock,
                                                                 client, login):
    author, supporter, bystander = make_user(), make_user(), make_user()
    author.locale = "zh_Hans"
    call = make_call()
    clock(COLLECTING)
    proposal = proposals.create(author=author, call=call, **idea(1))
    proposal.status = "open"
    db.session.commit()
    proposals.support(proposal, supporter)
    db.session.commit()
    tasks.call_news.call_local()  # the opening (nobody watches)
    clock(REVIEWING)
    assert tasks.call_news.call_local() == 0
    clock(RESULTS)
    assert tasks.call_news.call_local() == 1
    assert tasks.call_news.call_local() == 0
    assert [told(u, Kind.CALL_RESULTS) for u in (author, supporter, bystander)] == [1, 1, 0]
    db.session.commit()  # on SQLite the test's open transaction would hold the write lock
    clock(ENDED)
    assert tasks.call_news.call_local() == 0
    login(author)
    page = client.get("/notifications", headers={"Accept-Language": "zh-CN"}).get_data(
        as_text=True)
    assert f"你参与的征集“{call.title_zh}”已公布结果。" in page
    assert f'href="/calls/{call.id}"' in page


def test_two_workers_at_once_announce_a_call_once(app, make_user, make_call, clock):
    watcher = make_user()
    notify.watch_calls(watcher, {None})
    make_call()
    clock(COLLECTING)
    db.session.commit()

    def run(_):
        with app.app_context():
            try:
                return call_news.send_call_news(COLLECTING)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert sum(pool.map(run, range(2))) == 1
    assert told(watcher, Kind.CALL_OPENED) == 1


def test_a_worker_that_dies_before_committing_leaves_the_news_for_the_next(
        make_user, make_call, clock, monkeypatch):
    watcher = make_user()
    notify.watch_calls(watcher, {None})
    make_call()
    clock(COLLECTING)
    db.session.commit()
    tell = notify.tell

    def crash(*args, **kwargs):
        tell(*args, **kwargs)
        raise SystemExit("worker killed")  # after the marker and the news, before the commit

    monkeypatch.setattr(call_news.notify, "tell", crash)
    try:
        call_news.send_call_news(COLLECTING)
    except SystemExit:
        db.session.rollback()
    assert told(watcher, Kind.CALL_OPENED) == 0
    monkeypatch.setattr(call_news.notify, "tell", tell)
    assert call_news.send_call_news(COLLECTING) == 1
    assert told(watcher, Kind.CALL_OPENED) == 1

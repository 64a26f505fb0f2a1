"""Visitors' pages are served again from memory, never older than the last write."""
import re
import sqlite3
import time

import pytest
from sqlalchemy import event, insert, select, text, update

from app.audit import AuditEntry
from app.extensions import db
from app.insight.models import FigureSnapshot, SupportTally
from app.mail.models import OutboxMessage
from app.notifications.models import Kind, Notification
from app.pagecache import ContentRevision, Pages, SharedPages, current_revision, unseen_tables
from app.proposals.models import Category, Comment, Proposal, Status
from app.statements import dialect_insert, run
from app.timeutil import utcnow
from tests.conftest import PASSWORD


@pytest.fixture
def statements(app):
    """How many statements each request sends to the database."""
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    yield seen
    event.remove(db.engine, "before_cursor_execute", count)


def sent_by(statements, client, path, **kwargs):
    statements.clear()
    response = client.get(path, **kwargs)
    return response, len(statements)


def revision() -> int:
    return db.session.scalar(select(ContentRevision.number))


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_visitors_second_view_reads_only_the_revision(app, client, make_proposal, statements):
    make_proposal(title="Longer opening hours")
    first, sent_first = sent_by(statements, client, "/proposals")
    again, sent_again = sent_by(statements, client, "/proposals")
    assert "Longer opening hours" in again.text
    assert sent_first >= 3
    assert sent_again <= 2  # the revision (and SQLite's BEGIN), not the page's queries


def test_a_support_shows_at_once_to_visitors(app, client, make_proposal, make_user):
    proposal = make_proposal(title="Quiet study room", status=Status.OPEN)
    assert re.search(r'data-support-count="0"', client.get(f"/proposals/{proposal.id}").text)
    patron = app.test_client()
    patron.post("/auth/login", data={"email": make_user().email, "password": PASSWORD})
    supported = patron.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
    assert supported.status_code == 303
    assert re.search(r'data-support-count="1"', client.get(f"/proposals/{proposal.id}").text)
    listing = client.get("/proposals").text
    assert re.search(r'data-support-count="1"', listing)


def test_every_writing_commit_moves_the_revision_and_a_rollback_does_not(app, make_proposal):
    before = revision()
    make_proposal()
    after = revision()
    assert after > before
    db.session.execute(text("UPDATE proposal SET title = 'Changed, then not'"))
    db.session.rollback()
    assert revision() == after
    db.session.execute(select(1))
    db.session.commit()
    assert revision() == after  # reading changes nothing


VISIBLE_WRITES = {
    "the ORM": lambda proposal: setattr(proposal, "title", "Renamed through the ORM"),
    "an update on an entity": lambda proposal: db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(title="Renamed by UPDATE")),
    "a Core update on the table": lambda proposal: run(
        update(Proposal.__table__).where(Proposal.__table__.c.id == proposal.id)
        .values(title="Renamed by Core"), {}),
    "a Core insert": lambda proposal: run(insert(Comment.__table__), {
        "proposal_id": proposal.id, "author_id": proposal.author_id, "body": "Inserted by Core",
        "is_official": False, "created_at": utcnow()}),
    "text": lambda proposal: db.session.execute(
        text("UPDATE proposal SET title = 'Renamed by text' WHERE id = :id"), {"id": proposal.id}),
    "the driver": lambda proposal: db.session.connection().exec_driver_sql(
        f"DELETE FROM comment WHERE proposal_id = {proposal.id}"),
}


@pytest.mark.parametrize("way", VISIBLE_WRITES)
def test_a_write_visitors_may_see_moves_the_revision_whatever_way_it_goes(app, make_proposal,
                                                                          way):
    proposal = make_proposal()
    before = revision()
    VISIBLE_WRITES[way](proposal)
    db.session.commit()
    assert revision() == before + 1


def test_a_transaction_writing_only_what_no_visitor_sees_keeps_the_revision(app, make_proposal):
    proposal = make_proposal()
    before = revision()
    db.session.add(AuditEntry(actor_id=proposal.author_id, action="check", subject_type="proposal",
                              subject_id=proposal.id))
    db.session.add(Notification(user_id=proposal.author_id, kind=Kind.STATUS_CHANGED.value,
                                proposal_id=proposal.id))
    db.session.flush()
    db.session.execute(insert(FigureSnapshot).values(key="check", computed_at=utcnow(), body="{}"))
    run(dialect_insert(SupportTally.__table__).on_conflict_do_nothing(), {
        "day": utcnow().date(), "branch_id": proposal.branch_id,
        "category_id": proposal.category_id, "by_staff": False, "invited": False,
        "supports": 1})
    db.session.execute(update(OutboxMessage).values(attempts=OutboxMessage.attempts + 1))
    db.session.commit()
    assert revision() == before


def test_reading_keeps_the_revision(app, make_proposal):
    make_proposal()
    before = revision()
    db.session.scalars(select(Category)).all()
    db.session.execute(text("SELECT count(*) FROM proposal")).scalar()
    current_revision()  # plain SQL on the driver
    db.session.commit()
    assert revision() == before


def test_the_tables_no_visitor_sees_are_marked_in_their_models(app):
    assert unseen_tables(db.metadata) == {
        "figure_snapshot", "participation", "participant_count", "support_tally",
        "outbox_message", "notification", "audit_entry", "calendar_feed", "reminder_sent",
        "population", "follow",  # issue 21: the dashboard's base, a patron's own choice
        "external_identity", "cas_ticket",  # campus sign-in: which identity opens which account
        "notification_choice", "call_watch", "call_notice"}  # issue 24: a patron's own news


def test_writes_no_visitor_sees_keep_the_copies_and_a_mixed_transaction_does_not(
        app, client, make_proposal):
    from app.insight import snapshots
    from app.insight.periods import default_period
    from app.mail import services as mail
    from app.timeutil import utcnow

    make_proposal(title="Quiet study room")
    client.get("/proposals")
    before = revision()
    mail.queue("reader@example.edu", "Subject", "Body")  # the outbox
    db.session.commit()
    with app.test_request_context("/"):
        snapshots.store(default_period(), "en", {}, utcnow())  # the dashboard job
    mail.deliver_pending()  # marks the mail sent
    assert revision() == before
    db.session.expire_all()
    mail.queue("reader@example.edu", "Subject", "Body")
    db.session.execute(text("UPDATE proposal SET title = 'Quieter study room'"))
    db.session.commit()  # mail and a visible change together
    assert revision() > before
    assert "Quieter study room" in client.get("/proposals").text


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_each_visitor_gets_their_own_csrf_token(app, make_proposal, csrf_on):
    make_proposal()
    first, second = app.test_client(), app.test_client()
    first_token = token_of(first.get("/proposals").text)
    second_token = token_of(second.get("/proposals").text)  # served from the cache
    assert first_token != second_token
    refused = second.post("/language", data={"csrf_token": first_token, "locale": "zh_Hans"})
    assert refused.status_code == 400
    switched = second.post("/language", data={"csrf_token": second_token, "locale": "zh_Hans"})
    assert switched.status_code == 303
    assert 'lang="zh-Hans"' in second.get("/proposals").text


def test_each_language_is_kept_apart(app, make_proposal):
    make_proposal()
    english, chinese = app.test_client(), app.test_client()
    assert 'lang="en"' in english.get("/proposals").text
    page = chinese.get("/proposals", headers={"Accept-Language": "zh-CN"}).text
    assert 'lang="zh-Hans"' in page


def test_an_htmx_fragment_is_not_the_whole_page(app, client, make_proposal):
    make_proposal()
    whole = client.get("/proposals?sort=newest")
    fragment = client.get("/proposals?sort=newest", headers={"HX-Request": "true"})
    assert "<html" in whole.text and "<html" not in fragment.text
    assert "<html" in client.get("/proposals?sort=newest").text


def test_signed_in_patrons_never_get_a_visitors_page(app, client, make_proposal, make_user,
                                                     login):
    proposal = make_proposal(title="Longer opening hours")
    app.test_client().get(f"/proposals/{proposal.id}")  # a visitor's copy is kept
    patron = make_user(name="Wen Li")
    login(patron)
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Wen Li" in page and "Sign out" in page and "Sign in to support" not in page


def test_a_flashed_message_is_shown_once_and_not_kept(app, client, make_proposal):
    make_proposal()
    client.get("/proposals")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Only for this visitor")]
    assert "Only for this visitor" in client.get("/proposals").text
    assert "Only for this visitor" not in app.test_client().get("/proposals").text
    assert "Only for this visitor" not in client.get("/proposals").text


def test_switched_off_it_renders_every_time(app, client, make_proposal, statements):
    make_proposal()
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        client.get("/proposals")
        _page, sent = sent_by(statements, client, "/proposals")
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60
    assert sent >= 3


@pytest.fixture
def worker(app):
    """Stand in for another gunicorn worker of the host: empty memory, the shared file given."""
    kept = app.extensions["pagecache"]

    def start(path: str) -> None:
        app.extensions["pagecache"] = Pages(shared=SharedPages(path))

    yield start
    app.extensions["pagecache"] = kept


def test_a_page_one_worker_rendered_is_served_by_the_others(app, client, make_proposal,
                                                            statements, worker, tmp_path):
    shared = str(tmp_path / "pages.sqlite3")
    proposal = make_proposal(title="Group study rooms")
    worker(shared)
    _first, sent_first = sent_by(statements, client, f"/proposals/{proposal.id}")
    worker(shared)
    again, sent_again = sent_by(statements, client, f"/proposals/{proposal.id}")
    assert "Group study rooms" in again.text
    assert sent_first >= 3
    assert sent_again <= 2  # the revision (and SQLite's BEGIN): the other worker's copy
    proposal.title = "Group study rooms, bookable online"
    db.session.commit()
    worker(shared)
    assert "bookable online" in client.get(f"/proposals/{proposal.id}").text


def test_a_shared_file_that_cannot_be_used_only_costs_the_sharing(app, client, make_proposal,
                                                                  worker, tmp_path):
    proposal = make_proposal(title="Longer opening hours")
    worker(str(tmp_path))  # a folder, not a file
    for _ in range(2):
        page = client.get(f"/proposals/{proposal.id}")
        assert page.status_code == 200 and "Longer opening hours" in page.text


def test_shared_copies_keep_to_their_revision_and_age_and_are_bounded(tmp_path):
    path = str(tmp_path / "pages.sqlite3")
    shared = SharedPages(path, size=3)
    shared.PRUNE_EVERY = 1
    now = time.time()
    shared.put(1, ("/proposals", "en"), now, ("<p>A</p>", "text/html"), 60)
    assert shared.get(1, ("/proposals", "en"), 60) == (now, ("<p>A</p>", "text/html"))
    assert shared.get(1, ("/proposals", "zh_Hans"), 60) is None
    assert shared.get(2, ("/proposals", "en"), 60) is None  # a write came since
    shared.put(1, ("/old",), now - 120, ("<p>old</p>", "text/html"), 60)
    assert shared.get(1, ("/old",), 60) is None
    for n in range(5):
        shared.put(2, (f"/proposals/{n}",), now + n, ("<p>B</p>", "text/html"), 60)
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT key, revision FROM page ORDER BY made").fetchall()
    assert rows == [(repr((f"/proposals/{n}",)), 2) for n in (2, 3, 4)]

"""The dashboard's roll-ups follow each support, comment, proposal, merge and change of branch in
the transaction that makes it: after any of them they hold what working them out again from the
rows gives, and the figures read from them are the ones a person would count."""
import threading
import time
from datetime import date, datetime

import pytest
from sqlalchemy import delete, select

from app.auth.models import User
from app.extensions import db
from app.insight import metrics, rollups
from app.insight.models import ALL_BRANCHES, NO_DAY, ParticipantCount, Participation, SupportTally
from app.moderation import services as moderation
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.models import Branch, Category, Proposal

MARCH = metrics.Period(date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def clock(monkeypatch):
    """Today for the proposal rules, moved by the test: `clock.day = 5` is 5 March 2026."""
    class Clock:
        day = 2

        def now(self) -> datetime:
            return datetime(2026, 3, self.day, 10)

    moved = Clock()
    for module in (proposals, lifecycle):
        monkeypatch.setattr(module, "utcnow", moved.now)
    return moved


@pytest.fixture
def branches(app):
    return list(db.session.scalars(select(Branch.id).order_by(Branch.id)))[:2]


def kept() -> tuple[list, list, list]:
    participation = db.session.execute(select(
        Participation.user_id, Participation.scope, Participation.day,
        Participation.previous_day, Participation.patron_type)).all()
    tally = db.session.execute(select(*SupportTally.__table__.columns)
                               .where(SupportTally.supports != 0)).all()
    counts = db.session.execute(select(*ParticipantCount.__table__.columns)
                                .where(ParticipantCount.people != 0)).all()
    return sorted(participation), sorted(tally), sorted(counts)


def assert_as_if_worked_out_again() -> None:
    db.session.flush()
    as_kept = kept()
    rollups.rebuild()
    assert kept() == as_kept


def days_of(user) -> list[tuple[int, date, date]]:
    return sorted(db.session.execute(
        select(Participation.scope, Participation.day, Participation.previous_day)
        .where(Participation.user_id == user.id)).all())


def test_every_change_keeps_the_roll_ups_exact(clock, branches, make_user, make_proposal):
    first, second = branches
    other_category = db.session.scalars(select(Category.id).order_by(Category.id.desc())).first()
    staff = make_user(role="staff", patron_type="staff")
    u1, u2, u3 = make_user(), make_user(patron_type="faculty"), make_user()
    a = make_proposal(u1, branch_id=first)  # 2 March
    assert_as_if_worked_out_again()
    clock.day = 3
    proposals.support(a, u2)
    proposals.toggle_support(a, u3)  # the flip adds
    assert_as_if_worked_out_again()
    clock.day = 5
    proposals.add_comment(a, author=u2, body="Yes, and on Sundays too.")
    proposals.support(a, u2)  # a double click changes nothing
    assert_as_if_worked_out_again()
    clock.day = 6
    proposals.withdraw_support(a, u2)  # given on 3 March: u2's only act that day
    assert_as_if_worked_out_again()
    assert days_of(u2) == [(ALL_BRANCHES, date(2026, 3, 5), NO_DAY),
                           (first, date(2026, 3, 5), NO_DAY)]
    clock.day = 8
    b = make_proposal(u3, branch_id=second)
    proposals.support(b, u1)
    proposals.support(b, u2)
    assert_as_if_worked_out_again()
    nearby, next_door = (make_proposal(u3, branch_id=first) for _ in range(2))
    proposals.support(nearby, u1)
    proposals.support(next_door, u1)
    proposals.withdraw_support(nearby, u1)  # the day stays his in the branch: next door
    assert_as_if_worked_out_again()
    proposals.withdraw_support(next_door, u1)  # and in all branches: B, in the other
    assert_as_if_worked_out_again()
    assert (first, date(2026, 3, 8)) not in {(scope, day) for scope, day, _ in days_of(u1)}
    clock.day = 9
    lifecycle.merge(b, a, by=staff, note="The same idea.")  # u1's support moves to today
    assert_as_if_worked_out_again()
    clock.day = 10
    moderation.classify(a, by=staff, category_id=a.category_id, branch_id=second)
    assert_as_if_worked_out_again()
    moderation.classify(a, by=staff, category_id=other_category, branch_id=second)
    assert_as_if_worked_out_again()
    c = make_proposal(u1, branch_id=first)
    proposals.support(c, u2)
    proposals.edit(c, by=staff, branch_id=second, category_id=other_category)
    assert_as_if_worked_out_again()
    d = proposals.create(author=staff, entered_by=staff, title="A desk intake", problem="p",
                         suggestion="s", category_id=other_category, branch_id=first)
    proposals.support(d, u3)
    assert_as_if_worked_out_again()
    db.session.commit()


def test_a_day_on_the_dashboard_is_the_librarys_day(monkeypatch, make_user, make_proposal):
    """16:30 UTC on 7 December is 00:30 on the 8th in the library (Asia/Shanghai): the support
    and its supporter count on the 8th, kept as they happen and worked out again alike."""
    patron = make_user()
    monkeypatch.setattr(proposals, "utcnow", lambda: datetime(2026, 12, 1, 10))
    proposal = make_proposal()  # its author took part on 1 December
    monkeypatch.setattr(proposals, "utcnow", lambda: datetime(2026, 12, 7, 16, 30))
    proposals.support(proposal, patron)
    assert days_of(patron) == [(ALL_BRANCHES, date(2026, 12, 8), NO_DAY),
                               (proposal.branch_id, date(2026, 12, 8), NO_DAY)]
    assert_as_if_worked_out_again()
    eighth, seventh = (metrics.activity(metrics.Period(date(2026, 12, d), date(2026, 12, d)))
                       for d in (8, 7))
    assert (eighth.supports, eighth.participants) == ([1], [1])
    assert (seventh.supports, seventh.participants) == ([0], [0])


def test_a_withdrawn_support_no_longer_counts(clock, make_user, make_proposal):
    author, patron = make_user(), make_user(patron_type="faculty")
    chosen, other = make_proposal(author), make_proposal(author)  # 2 March
    clock.day = 4
    proposals.support(chosen, patron)
    proposals.support(other, patron)
    clock.day = 12
    proposals.support(chosen, make_user())
    proposals.withdraw_support(other, patron)
    db.session.commit()
    series = metrics.activity(MARCH)
    assert series.supports[3] == 1 and series.participants[3] == 1  # 4 March: one support left
    clock.day = 13
    proposals.withdraw_support(chosen, patron)
    db.session.commit()
    series = metrics.activity(MARCH)
    assert series.supports[3] == 0 and series.participants[3] == 0
    assert sum(series.participants) == 2  # the author on 2 March, a patron on 12 March
    shares = {s.label: s.participants for s in metrics.by_patron_type(MARCH)}
    assert shares["Faculty"] == 0 and shares["Undergraduate"] == 2
    rows = {r.name: r.supports for r in metrics.by_category(MARCH)}
    assert sum(rows.values()) == 1


def test_someone_active_on_many_days_is_one_participant_of_the_period(
        clock, make_user, make_proposal):
    regular = make_user()
    ideas = [make_proposal() for _ in range(3)]  # each by a new author, on 2 March
    for day, idea in zip((3, 10, 24), ideas, strict=True):
        clock.day = day
        proposals.support(idea, regular)
    db.session.commit()
    weekly = metrics.activity(metrics.Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert sum(weekly.participants) == 4 + 1 + 1  # the week of 2 March: 3 authors and him
    monthly = metrics.activity(metrics.Period(date(2025, 3, 1), date(2026, 3, 31)))
    assert monthly.participants[-1] == sum(monthly.participants) == 4  # March: once each
    assert sum(s.participants for s in metrics.by_patron_type(MARCH)) == 4
    later = metrics.Period(date(2026, 3, 4), date(2026, 3, 31))
    assert sum(s.participants for s in metrics.by_patron_type(later)) == 1


def at_once(app, act, patron_id: int, proposal_ids: tuple[int, int]) -> None:
    """`act(proposal, patron)` in two threads, each with its own session: the first holds its
    transaction open until the second has run as far as it can, then both commit."""
    acted, commit = threading.Event(), threading.Event()

    def run(proposal_id: int, hold: bool) -> None:
        with app.app_context():
            act(db.session.get(Proposal, proposal_id), db.session.get(User, patron_id))
            if hold:
                acted.set()
                commit.wait(10)
            db.session.commit()
            db.session.remove()

    holding = threading.Thread(target=run, args=(proposal_ids[0], True))
    holding.start()
    assert acted.wait(10)
    other = threading.Thread(target=run, args=(proposal_ids[1], False))
    other.start()
    time.sleep(0.3)  # the second has run as far as it can
    commit.set()
    holding.join(10)
    other.join(10)
    db.session.expire_all()


def two_proposals_apart_in_the_tally(make_proposal) -> list[Proposal]:
    categories = db.session.scalars(select(Category.id).order_by(Category.id).limit(2)).all()
    return [make_proposal(category_id=c) for c in categories]


def test_two_withdrawals_at_once_by_one_patron_leave_no_day_behind(app, make_user, make_proposal):
    """Each sees the other's support still standing unless they take turns: the second waits
    for the first (PostgreSQL: a lock on the patron's rows of the day; SQLite: the write lock)."""
    patron = make_user()
    first, second = two_proposals_apart_in_the_tally(make_proposal)
    for proposal in (first, second):
        proposals.support(proposal, patron)
    ids = patron.id, first.id, second.id  # read before the commit: after it, a read would
    db.session.commit()  # begin a transaction here, and on SQLite that takes the write turn
    at_once(app, proposals.withdraw_support, ids[0], ids[1:])
    assert days_of(patron) == []


def test_two_first_supports_of_a_day_at_once_count_the_patron_once(
        app, make_user, make_proposal):
    """The second waits for the first's row of the day (PostgreSQL: the insert's conflict;
    SQLite: the write lock), finds it there, and does not count the patron again."""
    patron = make_user()
    first, second = two_proposals_apart_in_the_tally(make_proposal)
    ids = patron.id, first.id, second.id
    db.session.commit()
    at_once(app, proposals.support, ids[0], ids[1:])
    assert len(days_of(db.session.get(User, ids[0]))) == 2  # today, in all branches and one
    assert_as_if_worked_out_again()


def test_the_rebuild_command_puts_the_roll_ups_back(app, clock, make_user, make_proposal):
    """What a release that adds a roll-up runs once the old hosts are gone: they did not keep
    it up while both ran."""
    patron = make_user()
    proposals.support(make_proposal(), patron)
    db.session.commit()
    as_kept = kept()
    for model in (Participation, ParticipantCount, SupportTally):
        db.session.execute(delete(model))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["dashboard", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Roll-ups: 1/3 participation" in result.output
    assert "Roll-ups: 3/3 support tally" in result.output
    # the author and the patron, each in all branches and in the proposal's, on 2 March: in
    # both scopes a count for the day, the week and the month; one tally row
    assert "participation 4 rows, people counted 6 rows, support tally 1 rows." in result.output
    db.session.expire_all()
    assert kept() == as_kept and all(as_kept)


def test_an_undone_merge_keeps_the_roll_ups_exact(clock, monkeypatch, branches, make_user,
                                                  make_proposal):
    from app import timeutil
    from app.moderation import merges

    monkeypatch.setattr(timeutil, "utcnow", clock.now)
    first, second = branches
    staff = make_user(role="staff", patron_type="staff")
    both, only_source = make_user(), make_user(patron_type="faculty")
    source, target = make_proposal(branch_id=first), make_proposal(branch_id=second)
    clock.day = 3
    proposals.support(source, both)
    proposals.support(source, only_source)
    proposals.support(target, both)
    clock.day = 5
    lifecycle.merge(source, target, by=staff, note="The same idea.")
    assert_as_if_worked_out_again()
    merges.undo(source, by=staff)
    assert_as_if_worked_out_again()
    assert (source.support_count, target.support_count) == (2, 1)
    db.session.commit()

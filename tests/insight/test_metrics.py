"""The dashboard's figures against a small data set whose answers are worked out by hand."""
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.insight import metrics, rollups
from app.moderation import services as moderation
from app.projects.models import Outcome, Project, Volunteer
from app.proposals.models import Category, Comment, Origin, Proposal, Status, Support

MARCH = metrics.Period(date(2026, 3, 1), date(2026, 3, 31))
NOW = datetime(2026, 4, 10, 12, 0)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour)


@pytest.fixture
def march(make_user, make_proposal):
    """Four patrons (3 undergraduates, 1 faculty) and one staff member, in March 2026:

    - A: by u1 on 2 Mar, published 2 Mar, answered 4 Mar (2 days), under review due 10 Mar,
      accepted 9 Mar (promise kept). Supported by u2 (3 Mar), u3 (3 Mar), faculty (20 Mar).
    - B: by u2 on 3 Mar, published 3 Mar, answered 13 Mar (10 days), due 12 Mar,
      declined 13 Mar (promise broken). Supported by u1 on 28 Feb (outside the period).
    - C: desk intake by staff for u3 on 20 Mar, open, never answered. Supported by u1 (21 Mar).
    - D: by the faculty member on 5 Apr: outside the period.
    - u3 comments on A on 6 Mar.
    """
    u1, u2, u3 = (make_user(patron_type="undergraduate") for _ in range(3))
    faculty = make_user(patron_type="faculty")
    staff = make_user(role="staff", patron_type="staff")

    def proposal(author, created, status, **fields):
        p = make_proposal(author=author, status=status, title=f"Idea {created:%d %b} quiet seats")
        p.created_at = created
        for name, value in fields.items():
            setattr(p, name, value)
        return p

    a = proposal(u1, at(2), Status.ACCEPTED, published_at=at(2), first_answer_at=at(4),
                 response_due_at=at(10), decided_at=at(9))
    b = proposal(u2, at(3), Status.DECLINED, published_at=at(3), first_answer_at=at(13),
                 response_due_at=at(12), decided_at=at(13))
    c = proposal(u3, at(20), Status.OPEN, published_at=at(20), origin=Origin.DESK.value,
                 entered_by_id=staff.id)
    proposal(faculty, datetime(2026, 4, 5), Status.OPEN)
    for user, target, when in ((u2, a, at(3)), (u3, a, at(3, 15)), (faculty, a, at(20)),
                               (u1, b, datetime(2026, 2, 28)), (u1, c, at(21))):
        db.session.add(Support(user_id=user.id, proposal_id=target.id, created_at=when))
    db.session.add(Comment(proposal_id=a.id, author_id=u3.id, body="Yes!", created_at=at(6)))
    project = Project(proposal_id=a.id, goal="g", volunteer_tasks="t", places=5, members=2,
                      starts_on=date(2026, 3, 10), lead_id=staff.id)
    db.session.add(project)
    db.session.flush()
    db.session.add_all([
        Volunteer(project_id=project.id, user_id=u2.id, state="member", joined_at=at(11),
                  hours=Decimal("3.5")),
        Volunteer(project_id=project.id, user_id=faculty.id, state="member", joined_at=at(12),
                  hours=Decimal("2")),
        Outcome(project_id=project.id, proposal_id=a.id, summary="s", published_at=at(30),
                rating_count=2, rating_total=9),
    ])
    db.session.flush()
    rollups.rebuild()  # the rows above were written by hand, at chosen moments
    db.session.commit()
    return {"u1": u1, "u2": u2, "u3": u3, "faculty": faculty, "staff": staff}


def test_activity_counts_per_day_inside_the_period_only(march):
    series = metrics.activity(MARCH)
    assert series.unit == "day" and len(series.buckets) == 31
    day = {b.day: i for i, b in enumerate(series.buckets)}
    assert sum(series.submissions) == 3 and series.submissions[day[20]] == 1
    assert sum(series.supports) == 4  # the 28 Feb support is outside
    assert series.supports[day[3]] == 2 and series.participants[day[3]] == 2  # u2 (twice), u3


def test_long_periods_are_counted_per_week(march):
    series = metrics.activity(metrics.Period(date(2026, 1, 1), date(2026, 3, 31)))
    assert series.unit == "week" and all(b.weekday() == 0 for b in series.buckets)
    assert sum(series.supports) == 5


def test_periods_beyond_a_year_are_counted_per_month(march):
    series = metrics.activity(metrics.Period(date(2025, 3, 15), date(2026, 3, 31)))
    assert series.unit == "month" and len(series.buckets) == 13
    assert all(b.day == 1 for b in series.buckets) and series.buckets[-1] == date(2026, 3, 1)
    assert series.supports[-2:] == [1, 4]  # 28 February, then March
    assert series.participants[-1] == 4  # u2 and u3 (3 Mar), u1 (2 and 21 Mar), faculty (20 Mar)
    assert sum(series.submissions) == 3


def test_a_long_period_reads_per_month_in_both_languages(client, login, march):
    login(march["staff"])
    page = client.get("/staff/dashboard?from=2025-03-01&to=2026-03-31").text
    assert '<th scope="col">Month</th>' in page and "Mar 2026" in page
    chinese = client.get("/staff/dashboard?from=2025-03-01&to=2026-03-31",
                         headers={"Accept-Language": "zh-CN"}).text
    assert '<th scope="col">月份</th>' in chinese and "2026年3月" in chinese


def test_participation_by_patron_type_against_registration(march):
    shares = {s.label: s for s in metrics.by_patron_type(MARCH)}
    assert shares["Undergraduate"].participants == 3 and shares["Faculty"].participants == 1
    assert shares["Undergraduate"].participant_share == pytest.approx(0.75)
    assert shares["Faculty"].registered_share == pytest.approx(0.25)  # staff are not patrons


def test_time_to_first_answer_and_the_promise(march):
    answer = metrics.responsiveness(MARCH, NOW)
    assert answer.answered == 2
    assert answer.median_days == pytest.approx(6.0)  # 2 and 10 days
    assert answer.p90_days == pytest.approx(10.0)
    assert (answer.promised, answer.kept, answer.kept_share) == (2, 1, 0.5)


def test_the_clock_decides_what_is_due(march):
    early = metrics.responsiveness(MARCH, at(11))  # B not due yet on 11 March
    assert (early.promised, early.kept) == (1, 1)


def test_decision_rates(march):
    decided = metrics.decisions(MARCH)
    assert (decided.decided, decided.accepted, decided.declined) == (2, 1, 1)
    assert decided.acceptance == 0.5 and decided.completion == 0.0


def test_volunteer_hours_and_ratings(march):
    given = metrics.contribution(MARCH)
    assert given.volunteer_hours == 5.5 and given.volunteers == 2
    assert (given.outcomes, given.ratings, given.rating_average) == (1, 2, 4.5)


def test_patron_started_against_staff_initiated(march):
    split = {i.label: i for i in metrics.initiative(MARCH)}
    assert (split["Proposals"].by_patrons, split["Proposals"].by_staff) == (2, 1)
    assert (split["Supports"].by_patrons, split["Supports"].by_staff) == (3, 1)
    assert split["Volunteer places"].patron_share == 1.0


def test_submissions_and_supports_by_category(march):
    c = db.session.scalars(select(Proposal).where(Proposal.title == "Idea 20 Mar quiet seats")).one()
    first, second = db.session.scalars(select(Category.id).order_by(Category.id).limit(2))
    moderation.classify(c, by=march["staff"], category_id=second, branch_id=c.branch_id)
    db.session.commit()
    rows = {row.name: (row.submissions, row.supports) for row in metrics.by_category(MARCH)}
    names = {id_: name for id_, name in db.session.execute(select(Category.id, Category.name_en))}
    # A and B in the first; A's three March supports (B's came in February), C's one.
    assert rows.pop(names[first]) == (2, 3) and rows.pop(names[second]) == (1, 1)
    assert set(rows.values()) == {(0, 0)}
    other_branch = metrics.Period(MARCH.start, MARCH.end, branch_id=c.branch_id + 1)
    assert {row.supports for row in metrics.by_category(other_branch)} == {0}


def test_branch_filter_narrows_every_figure(march):
    other = metrics.Period(MARCH.start, MARCH.end, branch_id=2)
    assert sum(metrics.activity(other).submissions) == 0
    assert sum(metrics.activity(other).supports) == 0
    own = metrics.Period(MARCH.start, MARCH.end, branch_id=1)
    assert (sum(metrics.activity(own).submissions), sum(metrics.activity(own).supports)) == (3, 4)
    assert metrics.decisions(other).decided == 0


def test_repeated_ideas_group_similar_titles(march, make_proposal):
    make_proposal(title="Printing credits for postgraduates")
    clusters = metrics.repeated_ideas(MARCH)
    assert len(clusters) == 1 and len(clusters[0].proposals) == 3  # the three “quiet seats”


def test_dashboard_page_and_csv_are_staff_only(client, login, march):
    login(march["u1"])
    assert client.get("/staff/dashboard").status_code == 403
    client.post("/auth/logout")
    login(march["staff"])
    page = client.get("/staff/dashboard?from=2026-03-01&to=2026-03-31")
    assert page.status_code == 200 and "<svg" in page.text and "<table" in page.text
    csv = client.get("/staff/dashboard/service.csv?from=2026-03-01&to=2026-03-31")
    assert csv.data.startswith("\ufeff".encode()) and b"Answered within the promise,50%" in csv.data
    assert client.get("/staff/dashboard/nope.csv").status_code == 404
    assert client.get("/staff/dashboard?from=garbage&to=2999-99-99&branch=x").status_code == 200


def test_period_edges(march):
    assert MARCH.days == 31 and MARCH.until - MARCH.since == timedelta(days=31)


def test_the_chinese_dashboard_reads_in_whole_chinese_phrases(client, login, march):
    """Chart labels, the "What" column and the repeated ideas, each one sentence in Chinese."""
    login(march["staff"])
    chinese = client.get("/staff/dashboard?from=2026-03-01&to=2026-03-31",
                         headers={"Accept-Language": "zh-CN"}).text
    legend = chinese[chinese.index('class="chart-legend"'):]
    assert "占参与者比例" in legend and "占注册读者比例" in legend  # the comparison's two bars
    assert 'class="chart-label">本科生</text>' in chinese
    assert "taking part" not in chinese and "registered" not in chinese
    assert '<th scope="col">统计项</th>' in chinese  # "What" here is not the audit log's 操作
    assert re.search(r"3 条类似建议，共 \d+ 次支持：", chinese)
    assert re.search(r"</a>（(征集支持中|审议中|已采纳|未采纳)）</li>", chinese)
    english = client.get("/staff/dashboard?from=2026-03-01&to=2026-03-31").text
    assert 'class="chart-label">Undergraduate</text>' in english
    assert '<th scope="col">What</th>' in english
    assert re.search(r"3 similar proposals, \d+ supports?:", english)

"""CSV exports: staff only, UTF-8 with a BOM, safe in a spreadsheet, streamed in chunks."""
import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert

from app import csvstream
from app.extensions import db
from app.projects import services as projects
from app.proposals.models import Proposal, Status, Support
from tests.api.conftest import SECRET_NAME, every_email

URLS = ["/staff/exports", "/staff/exports/proposals.csv", "/staff/exports/supports-per-day.csv",
        "/staff/exports/outcomes.csv", "/staff/exports/volunteer-hours.csv"]


@pytest.fixture
def as_staff(client, login, staff):
    login(staff)
    return client


def table(client, name) -> list[dict]:
    response = client.get(f"/staff/exports/{name}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.is_streamed
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="commons-{name}-')
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("role, expected", [(None, 302), ("patron", 403), ("staff", 200),
                                            ("admin", 200)])
def test_exports_are_for_staff_only(client, login, make_user, role, expected):
    if role:
        login(make_user(role=role))
    for url in URLS:
        response = client.get(url)
        response.close()  # a streamed body holds its request context until read or closed
        assert response.status_code == expected, url
        if expected == 302:
            assert response.location.startswith("/auth/login")


def test_the_page_lists_every_download_and_the_nav_links_it(as_staff):
    page = as_staff.get("/staff/exports").text
    for url in URLS[1:]:
        assert f'href="{url}"' in page
    assert 'href="/staff/exports"' in as_staff.get("/proposals").text


def test_patrons_see_no_link_to_exports(client, login, make_user):
    login(make_user())
    assert 'href="/staff/exports"' not in client.get("/proposals").text


def test_unknown_export_is_404(as_staff):
    assert as_staff.get("/staff/exports/passwords.csv").status_code == 404


def test_proposals_round_trip_with_chinese_text_and_no_hidden_name(as_staff, world):
    rows = table(as_staff, "proposals")
    by_id = {int(row["id"]): row for row in rows}
    assert len(rows) == 9  # every proposal in every status, for staff
    anonymous = by_id[world["anonymous"].id]
    assert anonymous["title"] == "座位不够 quiet seats wanted"
    assert anonymous["author_name"] == "" and anonymous["name_hidden"] == "True"
    assert anonymous["author_patron_type"] == "postgraduate"
    assert by_id[world["open"].id]["author_name"] == "Ada Reader"
    assert by_id[world["hidden"].id]["hidden_by_flags"] == "True"
    assert by_id[world["private"][next(iter(world["private"]))].id]["status"] == "submitted"
    assert by_id[world["open"].id]["comments"] == "1"


def test_no_export_holds_an_email_or_a_hidden_name(as_staff, world):
    emails = every_email()
    for name in ("proposals", "supports-per-day", "outcomes", "volunteer-hours"):
        raw = as_staff.get(f"/staff/exports/{name}.csv").data
        assert b"@example.edu" not in raw and not [e for e in emails if e in raw], name
        assert SECRET_NAME.encode() not in raw, name


def test_cells_that_a_spreadsheet_would_run_are_escaped(as_staff, make_proposal, make_user):
    risky = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3", "@SUM(A1)",
             "＝HYPERLINK(\"http://evil.example\")", "＋1+2", "－3", "＠SUM(A1)"]
    made = [make_proposal(make_user(name=f"=cmd|' /C calc'!A{n}"), title=title)
            for n, title in enumerate(risky)]
    rows = {int(r["id"]): r for r in table(as_staff, "proposals")}
    for proposal, title in zip(made, risky, strict=False):
        assert rows[proposal.id]["title"] == "'" + title
        assert rows[proposal.id]["author_name"].startswith("'=cmd")
        assert rows[proposal.id]["supports"] == "0"  # numbers stay numbers


def test_cell_escaping_leaves_numbers_and_plain_text_alone():
    assert csvstream.cell(-5) == -5 and csvstream.cell(Decimal("-1.5")) == Decimal("-1.5")
    assert csvstream.cell("tea - with milk") == "tea - with milk"
    assert csvstream.cell("\tx") == "'\tx" and csvstream.cell("\rx") == "'\rx"
    assert csvstream.cell(None) == ""
    assert csvstream.cell("tea ＝ milk") == "tea ＝ milk" and csvstream.cell("（＝）") == "（＝）"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_a_cell_starting_like_a_formula_is_text(start):
    assert csvstream.cell(f"{start}1+1") == f"'{start}1+1"



def test_a_moment_is_on_the_librarys_clock_and_its_column_says_so(
        as_staff, make_proposal):
    """16:05 UTC on 7 December is 00:05 on the 8th in the library; no seconds."""
    assert csvstream.cell(datetime(2026, 12, 7, 16, 5, 42, 123)) == "2026-12-08 00:05"
    proposal = make_proposal()
    proposal.created_at = datetime(2026, 12, 7, 16, 5, 42)
    db.session.commit()
    (row,) = table(as_staff, "proposals")
    assert row["created_at (Asia/Shanghai)"] == "2026-12-08 00:05"
    assert "id" in row and "title" in row  # other columns keep their names


def test_supports_per_day(as_staff, make_user, make_proposal):
    first, second = make_proposal(), make_proposal()
    for proposal, day, hour in [(first, 1, 9), (first, 1, 17), (first, 2, 8), (second, 2, 10)]:
        db.session.add(Support(user_id=make_user().id, proposal_id=proposal.id,
                               created_at=datetime(2026, 11, day, hour)))
    db.session.commit()
    rows = [(r["date"], int(r["proposal_id"]), int(r["supports"]))
            for r in table(as_staff, "supports-per-day")]
    # 17:00 UTC on 1 November is 01:00 on the 2nd in the library (Asia/Shanghai).
    assert rows == [("2026-11-01", first.id, 1), ("2026-11-02", first.id, 2),
                    ("2026-11-02", second.id, 1)]


def test_outcomes_have_one_row_per_indicator(as_staff, make_outcome):
    outcome = make_outcome(title="自习室座位", indicators=[
        ("Quiet seats", Decimal("180"), Decimal("300"), "seats"),
        ("周末开放时间", Decimal("8"), Decimal("12.5"), "小时")])
    rows = table(as_staff, "outcomes")
    assert [(r["indicator"], r["before"], r["after"], r["unit"]) for r in rows] == [
        ("Quiet seats", "180.00", "300.00", "seats"), ("周末开放时间", "8.00", "12.50", "小时")]
    assert {r["title"] for r in rows} == {"自习室座位"}
    assert {int(r["outcome_id"]) for r in rows} == {outcome.id}


def test_volunteer_hours(as_staff, make_user, make_proposal, staff):
    project = projects.start(make_proposal(status=Status.ACCEPTED), by=staff, goal="Lend laptops.",
                             volunteer_tasks="Hand them out.", places=1,
                             starts_on=date(2026, 12, 1))
    member, waiting = make_user(name="李明"), make_user(name="Bo Waits")
    projects.join(project, member)
    projects.join(project, waiting)
    projects.record_hours(projects.volunteers(project)[0], by=staff, hours=Decimal("3.5"))
    db.session.commit()
    rows = [(r["volunteer"], r["hours"], r["state"]) for r in table(as_staff, "volunteer-hours")]
    assert rows == [("李明", "3.5", "member"), ("Bo Waits", "0.0", "waiting")]


def test_a_large_export_is_streamed_in_many_chunks(as_staff, make_user, places):
    categories, branches = places
    author = make_user()
    db.session.execute(insert(Proposal), [
        {"title": f"Idea {n} 图书馆", "problem": "p", "suggestion": "s", "author_id": author.id,
         "category_id": categories[0].id, "branch_id": branches[0].id, "status": "open"}
        for n in range(1000)])
    db.session.commit()
    response = as_staff.get("/staff/exports/proposals.csv")
    assert response.is_streamed
    chunks = [chunk for chunk in response.response if chunk]
    response.close()
    assert len(chunks) >= 1000 // csvstream.CHUNK_ROWS
    assert max(map(len, chunks)) < 64 * 1024  # each chunk a few hundred rows, not the file
    text = b"".join(chunks).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1001

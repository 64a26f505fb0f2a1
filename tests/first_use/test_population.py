"""Issue 21, item 7 (feature row 33): participation against the real population. Admins enter
each patron type's population per term; the dashboard counts patrons only on both sides and
leaves closed accounts out of the registered."""
import re

import pytest

from app.extensions import db
from app.insight import metrics
from app.insight.models import Population
from app.insight.periods import default_period
from app.proposals import services as proposals
from app.terms import Term
from app.timeutil import utcnow


@pytest.fixture
def data_set(make_user, make_proposal):
    """Built by hand, today:
    - undergraduates: A proposes, B supports; C registered but silent; D's account is closed;
    - a faculty member F comments;
    - a member of library staff S (patron type "staff") supports and an admin comments:
      neither counts, on either side.
    Taking part: 2 undergraduates, 1 faculty member. Registered now: 3 undergraduates (D's
    account is closed), 1 faculty member."""
    a, b, _c, d = (make_user(patron_type="undergraduate") for _ in range(4))
    faculty = make_user(patron_type="faculty")
    staff = make_user(role="staff", patron_type="staff")
    admin = make_user(role="admin", patron_type="staff")
    idea = make_proposal(author=a)
    proposals.support(idea, b)
    proposals.support(idea, staff)
    proposals.add_comment(idea, author=faculty, body="Yes, please.")
    proposals.add_comment(idea, author=admin, body="We are looking into it.")
    d.deleted_at = utcnow()
    db.session.commit()
    return {"admin": admin, "staff": staff, "patron": b}


def shares(population=None):
    return {s.label: s for s in metrics.by_patron_type(default_period(), population)}


def test_without_population_participants_are_compared_with_registered_patrons(data_set):
    by_type = shares()
    assert by_type["Undergraduate"].participants == 2
    assert by_type["Faculty"].participants == 1
    assert by_type["University staff"].participants == 0  # library staff are not patrons
    assert by_type["Undergraduate"].participant_share == pytest.approx(2 / 3)
    assert by_type["Undergraduate"].registered == 3  # the closed account is left out
    assert by_type["Faculty"].registered == 1
    assert by_type["University staff"].registered == 0  # the staff and admin accounts
    assert by_type["Undergraduate"].registered_share == pytest.approx(3 / 4)


def test_with_population_participants_are_compared_with_it(data_set):
    by_type = shares({"undergraduate": 1000, "faculty": 200, "postgraduate": 800})
    assert by_type["Undergraduate"].participants == 2
    assert by_type["Undergraduate"].registered == 1000
    assert by_type["Undergraduate"].registered_share == pytest.approx(1000 / 2000)
    assert by_type["Faculty"].registered_share == pytest.approx(200 / 2000)
    assert by_type["Postgraduate"].participants == 0


def test_the_dashboard_says_what_it_compares_with(client, login, data_set):
    term = Term.current()
    login(data_set["admin"])
    page = client.get("/staff/dashboard").text
    assert f"No population is entered for {term.label}" in page
    assert "Who takes part, against who is registered" in page

    form = client.get("/admin/population").text
    assert term.label in form and 'name="undergraduate"' in form
    response = client.post(f"/admin/population?term={term.code}", data={
        "term": term.code, "undergraduate": "1000", "faculty": "200", "postgraduate": "800"})
    assert response.status_code == 303
    assert metrics.population_of(term.code) == {"undergraduate": 1000, "faculty": 200,
                                                "postgraduate": 800}
    page = client.get("/staff/dashboard").text
    assert f"Who takes part, against the population of {term.label}" in page
    table = page[page.index('id="section-patron_types"'):]
    assert re.search(r'<th scope="row">Undergraduate</th><td>2</td><td>67%</td>'
                     r'<td>1000</td><td>50%</td>', table)
    chinese = client.get("/staff/dashboard", headers={"Accept-Language": "zh-CN"}).text
    assert "人数" in chinese

    # An empty field clears a type's figure; with none left the dashboard says so again.
    emptied = {kind: "" for kind in ("undergraduate", "postgraduate", "faculty", "staff",
                                     "alumnus", "other")}  # as a browser sends empty fields
    client.post(f"/admin/population?term={term.code}", data={"term": term.code} | emptied)
    assert db.session.query(Population).count() == 0
    assert "No population is entered" in client.get("/staff/dashboard").text


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 403), ("admin", 200)])
def test_only_administrators_enter_the_population(client, login, data_set, role, expected):
    login(data_set[role])
    assert client.get("/admin/population").status_code == expected
    term = Term.current().code
    posted = client.post("/admin/population", data={"term": term, "faculty": "5"})
    assert posted.status_code == (303 if role == "admin" else 403)
    assert db.session.query(Population).count() == (1 if role == "admin" else 0)


def test_a_bad_number_is_refused_beside_its_field_and_kept(client, login, data_set):
    login(data_set["admin"])
    term = Term.current().code
    response = client.post("/admin/population", data={"term": term, "faculty": "-4",
                                                      "undergraduate": "many"})
    assert response.status_code == 422
    assert 'id="faculty-error"' in response.text and 'id="undergraduate-error"' in response.text
    assert 'value="-4"' in response.text and 'value="many"' in response.text
    assert db.session.query(Population).count() == 0

"""The dashboard's CSV downloads escape what a spreadsheet would run, as the exports do: the
names of categories and branches in them are typed by administrators."""
import csv
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.proposals.models import Category

RISKY = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(A1)", "\tx",
         "＝HYPERLINK(\"http://evil.example\")", "＋1", "－1", "＠SUM(A1)"]


@pytest.fixture
def risky_categories(app):
    """The seeded categories renamed for one test (they are kept between tests)."""
    categories = db.session.scalars(select(Category).order_by(Category.id)).all()[:len(RISKY)]
    was = [(category, category.name_en) for category in categories]
    for category, name in zip(categories, RISKY, strict=False):
        category.name_en = name
    db.session.commit()
    yield categories
    for category, name in was:
        category.name_en = name
    db.session.commit()


def test_names_a_spreadsheet_would_run_are_escaped_in_the_dashboard_csv(
        client, login, make_user, make_proposal, risky_categories):
    for category in risky_categories:
        make_proposal(category_id=category.id)
    login(make_user(role="staff"))

    response = client.get("/staff/dashboard/categories.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    names = {row[0]: row[1:] for row in rows[1:]}
    assert len(risky_categories) == len(RISKY)
    for name in RISKY:
        assert names["'" + name] == ["1", "0"]  # the name as text; the numbers stay numbers

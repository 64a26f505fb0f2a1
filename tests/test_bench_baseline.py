"""The benchmark's instruments exist only when the bench server switches them on."""
from app import create_app


def test_off_by_default(client):
    response = client.get("/bench/baseline")
    assert response.status_code == 404
    assert "X-SQL-Count" not in client.get("/proposals").headers


def test_the_baseline_page_and_the_statement_count(migrated_app):
    app = create_app({"ENV_NAME": "testing", "BENCH_BASELINE": True, "SQL_COUNT_HEADER": True,
                      "SQLALCHEMY_DATABASE_URI": migrated_app.config["SQLALCHEMY_DATABASE_URI"]})
    client = app.test_client()
    response = client.get("/bench/baseline")
    assert response.status_code == 200 and b"<p>1</p>" in response.data
    assert response.headers["X-SQL-Count"] in {"1", "2"}  # SQLite also counts its BEGIN
    listing = client.get("/proposals")
    assert int(listing.headers["X-SQL-Count"]) >= 3  # the page, categories, branches
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()

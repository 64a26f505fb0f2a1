"""Single queries timed in process against a generated database: what a first view of a search
or of a dashboard period nobody asked for costs, without the server and the page copies.

    python -m bench.queries --size L --db postgres

Searches: the list's first page for each term (two Chinese characters, one pair found in no
proposal, longer terms), median of 5 after one run. Dashboard: every figure of a period ending
today and its repeated ideas, worked out afresh, for each length (per day, week and month),
median of 3 after one run.
"""
import argparse
import secrets
import statistics
import sys
import time
from datetime import timedelta

from bench.generate import SIZES, database_url

TERMS = ["座位", "空调", "开放", "借阅", "火锅", "自习室", "quiet", "opening hours"]
PERIODS = [30, 90, 366, 3 * 366]


def timed(work, rounds: int) -> float:
    """Median milliseconds of `rounds` runs, after one run that warms the caches."""
    work()
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="M", type=str.upper)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args(argv)

    from flask_login import AnonymousUserMixin

    from app import create_app
    from app.extensions import db
    from app.insight import metrics, snapshots
    from app.proposals import queries
    from app.timeutil import utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.db, args.size),
                      "SECRET_KEY": secrets.token_urlsafe(48), "ENV_NAME": "production"})
    print(f"| {args.db} {args.size} | ms (median) |\n| --- | ---: |")
    with app.test_request_context("/"):
        visitor = AnonymousUserMixin()
        for term in TERMS:
            def search(term=term):
                queries.page_of(queries.Filters(q=term), visitor, 20)
                db.session.rollback()
            print(f"| search “{term}” | {timed(search, 5):,.1f} |", flush=True)
        today = utcnow().date()
        for days in PERIODS:
            period = metrics.Period(today - timedelta(days=days - 1), today)

            def figures(period=period):  # what the page works out when nothing is kept
                snapshots.compute(period)
                metrics.repeated_ideas(period)
                db.session.rollback()
            unit = metrics.unit_of(period)
            print(f"| dashboard, {days} days ({unit} by {unit}) | {timed(figures, 3):,.0f} |",
                  flush=True)
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Single queries timed in process against a generated database: what a first view of a search,
of a dashboard period nobody asked for, or of any public page costs, without the server and the
page copies.

    python -m bench.queries --size L --db postgres [--parts pages,searches,dashboard]

Pages: each public page a visitor reads, rendered afresh through the test client (no copies, as
after any write), median of 5 after one run, with its SQL statements. Searches: the list's first page for each term (two Chinese characters, one pair found in no
proposal, longer terms), median of 5 after one run. Dashboard: every figure of a period ending
today and its repeated ideas, worked out afresh, for each length (per day, week and month),
median of 3 after one run. Similar: the similar-proposals hint (`search.similar` with the
glossary) for ten English and ten Chinese titles a patron might type, median of 5 after one run.
`--database-url` points at a copy of the bench database instead of the size's own.
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
PAGES = ["/proposals", "/proposals?sort=newest", "/proposals/{popular}", "/projects",
         "/projects?page=10", "/outcomes", "/outcomes?page=10", "/feeds/outcomes.atom",
         "/api/v1/proposals", "/api/v1/proposals?sort=supported", "/api/v1/outcomes",
         "/api/v1/projects", "/feeds/categories/{category}.atom"]
STAFF_PAGES = ["/staff/moderation", "/staff/moderation?section=overdue&page=50"]
SIMILAR_TITLES = [
    "More seats with power sockets", "Longer opening hours at weekends",
    "The air conditioning in the study room is too cold", "Quiet zone for exam revision",
    "Cheaper printing and scanning", "Lockers for personal belongings",
    "More copies of course textbooks", "Drinking water near the reading room",
    "Better lighting on the second floor", "Self-service book return machine",
    "座位旁边要有插座", "周末延长开放时间", "自习室空调太冷", "考试周需要安静的学习区",
    "打印和扫描太贵", "增加储物柜", "课程教材副本太少", "阅览室附近需要饮水机",
    "二楼灯光太暗", "自助还书机",
]
PARTS = ("pages", "searches", "dashboard", "similar")


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
    parser.add_argument("--database-url", help="instead of the size's own bench database")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help=f"comma-separated, of: {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))

    from flask_login import AnonymousUserMixin

    from app import create_app
    from app.extensions import db
    from app.insight import metrics, snapshots
    from app.proposals import glossary, queries, search
    from app.timeutil import utcnow

    url = args.database_url or database_url(args.db, args.size)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": secrets.token_urlsafe(48), "ENV_NAME": "production",
                      "PAGE_CACHE_SECONDS": 0})
    print(f"| {args.db} {args.size} | ms (median) |\n| --- | ---: |")
    if "pages" in parts:
        pages(app)
    with app.test_request_context("/"):
        visitor = AnonymousUserMixin()
        for term in TERMS if "searches" in parts else ():
            def search(term=term):
                queries.page_of(queries.Filters(q=term), visitor, 20)
                db.session.rollback()
            print(f"| search “{term}” | {timed(search, 5):,.1f} |", flush=True)
        for title in SIMILAR_TITLES if "similar" in parts else ():
            def alike(title=title):  # as the hint asks while typing, and the new-proposal POST
                search.similar(title, glossary=glossary.pairs())
                db.session.rollback()
            print(f"| similar “{title}” | {timed(alike, 5):,.1f} |", flush=True)
        today = utcnow().date()
        for days in PERIODS if "dashboard" in parts else ():
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


def pages(app) -> None:
    """Each page as a visitor gets it when no copy is kept, then the staff's pages as a member
    of staff gets them, and the statements each sends."""
    from sqlalchemy import event, func, select

    from app.auth.models import User
    from app.extensions import db
    from app.proposals.models import Category, Proposal

    client, sent = app.test_client(), []
    with app.app_context():
        popular = db.session.scalar(select(Proposal.id).where(
            Proposal.support_count == select(func.max(Proposal.support_count)).scalar_subquery()))
        category = db.session.scalar(select(Category.slug).order_by(Category.id))
        staff = db.session.scalar(select(User).where(User.role == "staff").limit(1))
        staff_session = f"{staff.id}:{staff.session_nonce}"
        event.listen(db.engine, "before_cursor_execute", lambda *row: sent.append(row[2]))
    for address in [*PAGES, *STAFF_PAGES]:
        address = address.format(popular=popular, category=category)
        if address in STAFF_PAGES:
            with client.session_transaction() as session:
                session["_user_id"] = staff_session

        def get(address=address):
            sent.clear()
            if client.get(address).status_code != 200:
                raise SystemExit(f"{address} did not answer 200")
        ms = timed(get, 5)
        statements = sum(1 for statement in sent if not statement.startswith("BEGIN"))
        print(f"| page {address} ({statements} statements) | {ms:,.1f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())

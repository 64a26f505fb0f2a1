"""Where a signed-in patron's request spends its CPU: pyinstrument, in process, through Flask's
test client, against a database `bench.generate` made (issue 27, item 1).

    python -m bench.profile --size M --db postgres [--only list,search_zh] [--requests 100]

For each page: CPU milliseconds per request (median of the measured requests; the baseline, one
trivial query and a tiny template signed in, measured in the same run), then the share of
the time spent in a few named parts, then pyinstrument's tree of the calls that took at least 2 %.
The page copies visitors get are off here, as for a signed-in patron; the data is never changed
(the support click is made twice on the same proposal, so it adds and takes back).
"""
import argparse
import random
import statistics
import time
from urllib.parse import quote

from bench.generate import SIZES, database_url
from bench.run import AGENT, SEARCH_EN, SEARCH_ZH

PAGES = {
    "baseline": lambda ids: "/bench/baseline",  # SELECT 1 and a tiny template: the floor
    "list": lambda ids: "/proposals?sort=trending",
    # The same list with the signed-in copy of its rows off (app/proposals/listcopy.py): the
    # page as it was before that copy, measured in the same run.
    "list_uncopied": lambda ids: "/proposals?sort=trending",
    "detail": lambda ids: f"/proposals/{random.choice(ids)}",
    "search_en": lambda ids: f"/proposals?q={quote(random.choice(SEARCH_EN))}",
    "search_zh": lambda ids: f"/proposals?q={quote(random.choice(SEARCH_ZH))}",
    "toggle": lambda ids: f"/proposals/{random.choice(ids)}/support",
}
# The parts a signed-in request is made of: the first frame on a stack that belongs to one
# (by its file, and function where given) counts, with what it calls, in that part. The rate
# limiter's decorator (`__inner`) wraps the whole view, so it is passed through.
WRAPPERS = {"__inner"}
PARTS = {
    "templates (Jinja, with what they call)": ("flask/templating.py", "render_template"),
    "database (SQLAlchemy: statements, rows to objects)": ("/sqlalchemy/", None),
    "loading the patron (load_user)": ("app/__init__.py", "load_user"),
    "CSRF token": ("flask_wtf/csrf.py", None),
    "rate limits (flask-limiter, not the view it wraps)": ("/flask_limiter/", None),
    "Babel (locale, translations, dates)": ("babel/", None),
}


def sessions(app, count: int) -> list[tuple[str, str]]:
    """(cookie, CSRF token) of `count` patrons, minted with the app's secret as bench.run does."""
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        users = list(db.session.scalars(db.select(User).where(User.role == "patron")
                                        .order_by(User.id).limit(count)))
        db.session.expunge_all()
    serializer = app.session_interface.get_signing_serializer(app)
    minted = []
    for user in users:
        with app.test_request_context("/", headers={"User-Agent": AGENT},
                                      environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            login_user(user)
            token = generate_csrf()  # first: it puts its secret in the session
            minted.append((serializer.dumps(dict(session)), token))
    return minted


def open_ids(app) -> list[int]:
    from app.extensions import db

    with app.app_context():
        return list(db.session.scalars(db.text(
            "SELECT id FROM proposal WHERE hidden_at IS NULL AND status IN ('open', "
            "'under_review') ORDER BY id LIMIT 500")))


def request_once(app, page: str, path: str, cookie: str, token: str) -> int:
    client = app.test_client()
    client.set_cookie("session", cookie)
    if page == "toggle":
        headers = {"User-Agent": AGENT, "HX-Request": "true", "X-CSRFToken": token}
        return client.post(path, headers=headers, data={"csrf_token": token}).status_code
    return client.get(path, headers={"User-Agent": AGENT}).status_code


def shares(session) -> dict[str, float]:
    """Seconds under the first frame of each part (a part inside another counts in the outer)."""
    found = dict.fromkeys(PARTS, 0.0)

    def walk(frame, inside: str | None) -> None:
        part = inside or next((name for name, (path, function) in PARTS.items()
                               if path in (frame.file_path or "")
                               and function in (None, frame.function)
                               and frame.function not in WRAPPERS), None)
        if part and not inside:
            found[part] += frame.time
        for child in frame.children:
            walk(child, part)

    root = session.root_frame()
    if root is not None:
        walk(root, None)
    return found


def profile(app, page: str, requests: int, patrons, ids) -> str:
    def one() -> float:
        cookie, token = random.choice(patrons)
        path = PAGES[page](ids)
        started = time.process_time()
        status = request_once(app, page, path, cookie, token)
        if page == "toggle":  # and back: the data stays as generated
            request_once(app, page, path, cookie, token)
        if status >= 400:
            raise SystemExit(f"{page}: {path} answered {status}")
        return (time.process_time() - started) * 1000 / (2 if page == "toggle" else 1)

    copies = app.config["PAGE_CACHE_SECONDS"]
    if page.endswith("_uncopied"):
        app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        return _measure(page, requests, one)
    finally:
        app.config["PAGE_CACHE_SECONDS"] = copies


def _measure(page: str, requests: int, one) -> str:
    from pyinstrument import Profiler

    for _ in range(5):  # templates compiled, caches filled
        one()
    cpu = statistics.median(one() for _ in range(requests))  # without the profiler's own cost
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(requests):
        one()
    profiler.stop()
    total = profiler.last_session.duration or 1
    lines = [f"## {page}: {cpu:.1f} ms of CPU a request (median of {requests})", ""]
    for name, seconds in shares(profiler.last_session).items():
        lines.append(f"- {name}: {seconds / total:.0%}")
    lines += ["", "```", profiler.output_text(unicode=False, color=False, time="percent_of_total",
                                              show_all=False).strip(), "```", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=SIZES, default="M", type=str.upper)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--only", default=",".join(PAGES))
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)

    from app import create_app

    random.seed(2026)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url(args.db, args.size),
                      "SECRET_KEY": "bench-profile-" + "x" * 32, "ENV_NAME": "production",
                      "PAGE_CACHE_FOLDER": "", "BENCH_BASELINE": True})
    patrons, ids = sessions(app, 50), open_ids(app)
    pages = args.only.split(",")
    for number, page in enumerate(pages, 1):
        print(profile(app, page, args.requests, patrons, ids), flush=True)
        print(f"profiled {number} of {len(pages)} pages", flush=True)
    print(f"profiled {len(pages)} signed-in pages at {args.size} on {args.db}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

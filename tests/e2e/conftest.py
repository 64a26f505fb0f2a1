"""Browser-test fixtures: the real app, CSRF on, served over HTTP from a temporary SQLite file,
driven by Debian's Chromium through pytest-playwright.

Run with `make e2e`. TEST_DATABASE_URL is ignored here: the database is always a SQLite file.
"""
import logging
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from app import create_app, jobs
from app.auth import services as accounts
from app.extensions import db
from app.proposals import services as proposals
from app.proposals.models import Branch, Category
from tests.e2e.nu_checker import NuChecker

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PASSWORD = "correct horse battery"
SCREENSHOTS = Path(__file__).parent / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

# The proposal the search journey looks for, and one it must not show.
CHINESE_TITLE = "图书馆三楼自习室座位不够用"
CHINESE_TERM = "自习室座位"
OTHER_TITLE = "Longer opening hours for the science library"


@dataclass(frozen=True)
class Account:
    email: str
    display_name: str
    password: str = PASSWORD


@dataclass(frozen=True)
class Site:
    url: str
    staff: Account
    patrons: tuple[Account, ...]
    app: Flask = field(repr=False, compare=False)

    def add_account(self, name: str, patron_type: str = "undergraduate",
                    role: str = "patron") -> Account:
        """A fresh account, for a test that must not share notifications or supports."""
        with self.app.app_context():
            account = _add_account(role, name, patron_type)
            db.session.commit()
            db.session.remove()
        return account


def _add_account(role: str, name: str, patron_type: str) -> Account:
    account = Account(email=f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.edu",
                      display_name=name)
    accounts.register(email=account.email, display_name=account.display_name,
                      password=account.password, patron_type=patron_type, role=role)
    return account


def _seed(app) -> tuple[Account, tuple[Account, ...]]:
    with app.app_context():
        upgrade()
        staff = _add_account("staff", "Staff Member", "staff")
        patrons = (_add_account("patron", "Wang Fang", "undergraduate"),
                   _add_account("patron", "Alex Reader", "postgraduate"))
        db.session.commit()
        author = accounts.find_by_email(patrons[1].email)
        moderator = accounts.find_by_email(staff.email)
        category_id = db.session.query(Category.id).order_by(Category.id).first()[0]
        branch_id = db.session.query(Branch.id).order_by(Branch.id).first()[0]
        for title, problem in (
            (CHINESE_TITLE, "期末考试周的时候，三楼自习室总是没有空座位，很多同学只能离开。"),
            (OTHER_TITLE, "The science library closes at eight, too early during exams."),
        ):
            proposal = proposals.create(
                author=author, title=title, problem=problem,
                suggestion="Please look into it and tell us what is possible.",
                category_id=category_id, branch_id=branch_id,
            )
            if not proposal.is_public:  # pre-moderation: a member of staff publishes it
                from app.proposals import lifecycle
                lifecycle.transition(proposal, lifecycle.Action.PUBLISH, by=moderator)
        db.session.commit()
        db.session.remove()
    return staff, patrons


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    database = tmp_path_factory.mktemp("e2e-db") / "commons.sqlite3"
    app = create_app({
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "WTF_CSRF_ENABLED": True,  # as in production
        "MEDIA_FOLDER": str(tmp_path_factory.mktemp("e2e-media")),
        # The journeys share this site and each adds proposals: the list's first page holds them
        # all, so that no journey's proposals push another's seeded ones onto page two.
        "PROPOSALS_PER_PAGE": 60,
    })
    jobs.init_app(app)  # HUEY_IMMEDIATE: what a request queues runs at once, in this process
    staff, patrons = _seed(app)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no per-request lines
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield Site(url=f"http://127.0.0.1:{server.server_port}", staff=staff, patrons=patrons, app=app)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def html_checker() -> NuChecker:
    """The Nu Html Checker, started once per run (a JVM takes seconds to start)."""
    checker = NuChecker()
    yield checker
    checker.close()


@pytest.fixture(scope="session")
def base_url(site: Site) -> str:
    """pytest-playwright gives every context this base URL, so `page.goto("/proposals")` works."""
    return site.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def javascript(request) -> bool:
    return request.param


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def page(new_context, javascript: bool, viewport: str):
    """A fresh browser context per test, with or without JavaScript, at phone or desktop size."""
    context = new_context(java_script_enabled=javascript, viewport=VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    """Emptied once per run, so only this run's screenshots are there to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture
def shot(request, screenshots_dir: Path, javascript: bool, viewport: str):
    """shot(page, "step") saves tests/e2e/screenshots/<test>-<nn>-<step>-<js-mode>-<size>.png."""
    test = request.node.originalname.removeprefix("test_").replace("_", "-")
    counter = iter(range(1, 100))

    def take(page, step: str) -> None:
        mode = "js-on" if javascript else "js-off"
        name = f"{test}-{next(counter):02d}-{step}-{mode}-{viewport}.png"
        page.screenshot(path=str(screenshots_dir / name), full_page=True)

    return take


# --- Pages for every step of a proposal's life, seeded once for the accessibility checks ------

@dataclass(frozen=True)
class Story:
    """Ids of seeded pages. `patron` (an account of its own) supports `review` and `completed` (not
    yet rated, so the rating form shows), volunteers on `project`, and has unread notifications."""
    review: int  # a proposal under review: feasibility note, comments, an official response
    submitted: int  # waiting in the moderation queue
    accepted: int  # accepted, waiting for staff to start its project
    project: int  # a project under way, with milestones, an update and volunteers
    project_proposal: int
    completed: int  # a completed project with an outcome, indicators and a rating
    completed_proposal: int
    patron: Account
    reset_token: str  # a password-reset link's token, for an account no test signs in with
    call: int  # a call for ideas collecting ideas now, with a proposal made in it
    past_call: int  # a call at its results, with its closing summary
    workshop: int  # an upcoming workshop `patron` registered for, with a question
    past_workshop: int  # a workshop that took place: attendance and minutes
    withdrawn: int  # published, then withdrawn by its author with a reason
    changes: int  # staff asked `patron`, its author, for changes
    own: int  # open, by `patron`: the withdraw form is theirs


@pytest.fixture(scope="session")
def story(site: Site) -> Story:
    from app.auth import tokens
    from app.moderation import services as moderation
    from app.projects import services as projects
    from app.proposals import lifecycle

    patron_account = site.add_account("Pat Patron", "postgraduate")
    rater_account = site.add_account("Rita Rater", "faculty")
    forgetful = site.add_account("Fay Forgetful", "alumnus")
    with site.app.app_context():
        staff = accounts.find_by_email(site.staff.email)
        patron = accounts.find_by_email(patron_account.email)
        author = accounts.find_by_email(site.patrons[1].email)
        rater = accounts.find_by_email(rater_account.email)
        category_id = db.session.query(Category.id).order_by(Category.id.desc()).first()[0]
        branch_id = db.session.query(Branch.id).order_by(Branch.id.desc()).first()[0]

        def proposal(title, *steps, supporters=()):
            item = proposals.create(
                author=author, title=title, category_id=category_id, branch_id=branch_id,
                problem="Students queue at the **only** self-service machine at lunchtime.",
                suggestion="- Add a second machine\n- Show the queue length online",
            )
            for step, note in steps:
                if step is lifecycle.Action.REVIEW:
                    for supporter in supporters:
                        proposals.support(item, supporter)
                lifecycle.transition(item, step, by=staff, note=note)
            return item

        publish, review = (lifecycle.Action.PUBLISH, ""), (lifecycle.Action.REVIEW, "")
        accept = (lifecycle.Action.ACCEPT, "We will try it for one term and report back.")

        under_review = proposal("A second self-service machine for the Law Library",
                                publish, review, supporters=(patron,))
        moderation.set_feasibility(under_review, by=staff,
                                  note="A machine costs about **12,000 yuan**; space is there.")
        proposals.add_comment(under_review, author=rater, body="Yes please, the queue is long.")
        proposals.add_comment(under_review, author=staff, official=True,
                              body="We are pricing machines and will answer by the due date.")
        flagged = proposals.add_comment(under_review, author=author, body="Buy my used printer!")
        moderation.flag(flagged, by=patron, reason="spam", note="An advert.")

        _add_photo(under_review, author, "The queue at the self-service machine at noon")
        waiting = proposal("Lockers for laptops near the Main Library entrance")
        _add_photo(waiting, author, "The entrance hall, with nowhere to leave a laptop")
        accepted = proposal("Longer loans for exchange students", publish, review, accept)

        running = proposal("Board games corner in the Xiang'an Campus Library",
                           publish, review, accept, supporters=(patron,))
        project = projects.start(
            running, by=staff, goal="Open a board games corner with twenty games by spring.",
            volunteer_tasks="Choose the games, write the rules cards, host the first evenings.",
            places=5, starts_on=date.today(), ends_on=date.today() + timedelta(days=90),
            milestones=[("Survey which games patrons want", date.today() + timedelta(days=14)),
                        ("Open the corner", None)])
        projects.post_update(project, by=staff, body="The survey is open until Friday.")
        projects.join(project, patron)
        projects.join(project, rater)

        finished = proposal("More quiet seats in the Main Library", publish, review, accept,
                            supporters=(patron, rater))
        done = projects.start(
            finished, by=staff, goal="Turn the old catalogue hall into a quiet reading room.",
            volunteer_tasks="Test the seating plans and count the seats in use at exam time.",
            places=3, starts_on=date.today() - timedelta(days=60))
        projects.join(done, author)
        projects.complete(done, by=staff, summary="The old catalogue hall is now a quiet room.",
                          indicators=[("Quiet seats", Decimal(180), Decimal(300), "seats"),
                                      ("Weekend opening", Decimal(8), Decimal(12), "hours")],
                          evidence="https://library.example.edu/quiet-room")
        projects.rate(done.outcome, by=rater, stars=4, comment="Much better during exams.")
        open_call = _call(staff, "Ideas for the new learning commons", "新学习共享空间征集",
                          days_ago=2)
        past_call = _call(staff, "Quiet zones in the Main Library", "总馆的安静区", days_ago=35)
        in_call = proposals.create(
            author=author, title="Bookable group rooms on floor 3", category_id=category_id,
            branch_id=branch_id, call=open_call,
            problem="Groups meet in the stairwell because there is nowhere to talk.",
            suggestion="Four glass rooms with whiteboards, bookable online.")
        lifecycle.transition(in_call, lifecycle.Action.PUBLISH, by=staff)
        workshop, past_workshop = _workshops(staff, patron, rater, branch_id, project.id)
        gone = proposal("Print newspapers on Sundays", publish)
        proposals.withdraw(gone, by=author, reason="not_needed",
                           details="The e-paper subscription covers it now.")

        def patrons_own(title):
            return proposals.create(
                author=patron, title=title, category_id=category_id, branch_id=branch_id,
                problem="The group rooms cannot be booked more than a day ahead.",
                suggestion="Open bookings a week ahead, for two hours a group at most.")

        changes = patrons_own("Book group rooms a week ahead")
        lifecycle.transition(changes, lifecycle.Action.REQUEST_CHANGES, by=staff,
                             note="Please say which branch's group rooms you mean.")
        own = patrons_own("Book the seminar rooms online")
        lifecycle.transition(own, lifecycle.Action.PUBLISH, by=staff)
        db.session.commit()
        made = Story(withdrawn=gone.id, changes=changes.id, own=own.id,
                     review=under_review.id, submitted=waiting.id, accepted=accepted.id,
                     project=project.id, project_proposal=running.id, completed=done.id,
                     completed_proposal=finished.id, patron=patron_account,
                     reset_token=tokens.reset_token(accounts.find_by_email(forgetful.email)),
                     call=open_call.id, past_call=past_call.id,
                     workshop=workshop.id, past_workshop=past_workshop.id)
        assert tokens.user_for_reset(made.reset_token) is not None  # the page shows its form
        db.session.remove()
    return made


def _call(staff, title: str, title_zh: str, days_ago: int):
    """A call whose four phases last ten days each, opened `days_ago` days ago."""
    from app.calls import services as calls

    start = datetime.now().replace(second=0, microsecond=0) - timedelta(days=days_ago)
    moments = {}
    for phase in ("collecting", "supporting", "reviewing", "results"):
        moments[f"{phase}_starts_at"], start = start, start + timedelta(days=10)
        moments[f"{phase}_ends_at"] = start
    return calls.create(by=staff, title_en=title, title_zh=title_zh,
                        description_en="What should the library do? **Tell us.**",
                        description_zh="图书馆应该怎么做？**请告诉我们。**",
                        summary_en="Floors 4 and 5 become silent zones.",
                        summary_zh="四楼和五楼将成为静音区。", branch_id=None, category_id=None,
                        **moments)


def _workshops(staff, patron, rater, branch_id, project_id):
    """An upcoming workshop (for a project, with a question) and one that took place."""
    from app.timeutil import utcnow
    from app.workshops import services as workshops

    start = (utcnow() + timedelta(days=5)).replace(second=0, microsecond=0)

    def plan(title, starts, **fields):
        return workshops.Plan(title=title, description="Sketch the **new** makerspace.",
                              starts_at=starts, ends_at=starts + timedelta(hours=2), places=10,
                              opens_at=utcnow() - timedelta(days=1), closes_at=starts,
                              branch_id=branch_id, room="Room 301", **fields)

    upcoming = workshops.schedule(plan("Design sprint for the makerspace", start,
                                       project_id=project_id,
                                       question="Any accessibility needs?"), by=staff)
    workshops.register(upcoming, patron, answer="A table at wheelchair height")
    past = workshops.schedule(plan("Walk-through of the quiet floor", start), by=staff)
    for person in (patron, rater):
        workshops.register(past, person)
    workshops.mark_attendance(workshops.seat_of(past, patron)[0], by=staff, attended=True)
    past.starts_at, past.ends_at = start - timedelta(days=20), start - timedelta(days=20, hours=-2)
    past.opens_at, past.closes_at = start - timedelta(days=30), start - timedelta(days=20)
    workshops.publish_minutes(past, by=staff, minutes="We agreed on **three** zones.")
    if upcoming.project.milestones:  # what came out of it, on its page and the project's
        workshops.link(past, by=staff, milestone_id=upcoming.project.milestones[0].id)
    return upcoming, past


def _add_photo(item, owner, description: str) -> None:
    """A photo on a seeded proposal, stored as a patron's upload is: the pages with photos are
    checked too."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from app.media import services as media

    data = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 90, 160)).save(data, "JPEG")
    data.seek(0)
    photos = media.take(media.PhotoChoice(files=[FileStorage(data, "photo.jpg")],
                                          descriptions=[description]), owner=owner)
    media.attach(photos, item.id)


# --- Helpers shared by the journeys ---------------------------------------------------------

SENT = re.compile(r"/proposals/\d+$")  # a proposal's own page

def sign_in(page: Page, account: Account, path: str = "/auth/login") -> None:
    """Sign in through the form (from `path`, a sign-in page, possibly with ?next=)."""
    page.goto(path)
    page.get_by_label("E-mail address").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(account_menu(page)).to_be_visible()


def send_proposal(page: Page, button: str = "Send for review") -> None:
    """Send the new-proposal form and wait for the proposal's page. The site may first show the
    proposals like it (without JavaScript, or before the hint came): then "Submit mine anyway"."""
    page.get_by_role("button", name=button).click()
    anyway = page.get_by_role("button", name="Submit mine anyway")
    deadline = time.monotonic() + 10
    while not SENT.search(page.url) and time.monotonic() < deadline:
        if anyway.count():
            anyway.click()
        page.wait_for_timeout(100)
    expect(page).to_have_url(SENT)


def account_menu(page: Page):
    """The signed-in header's menu (account, language, sign out): its summary."""
    return page.get_by_role("navigation", name="Main").locator("details.account-menu > summary")


def shoot_both(page: Page, path: Path) -> None:
    """A full-page screenshot at phone and at desktop width (path gets -phone/-desktop)."""
    original = page.viewport_size
    for size, box in VIEWPORTS.items():
        page.set_viewport_size(box)
        page.screenshot(path=str(path.with_name(f"{path.stem}-{size}.png")), full_page=True)
    if original:
        page.set_viewport_size(original)

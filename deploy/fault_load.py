"""The fault test's patrons and their load (deploy/fault_test.py): each signs in through the real
form on nginx, keeps its own cookies and CSRF token, and reads pages and clicks support and
withdraw. Every answer is recorded with its time, so that each fault window can be counted."""
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster  # noqa: E402 - deploy/ is not a package

BASE = f"http://{cluster.LISTEN}"
PATRONS = int(os.environ.get("FAULT_PATRONS", "200"))
PASSWORD = "fault-test-patron-2026"  # noqa: S105 - test accounts on the local cluster only
EMAIL = "fault-patron-{:03d}@fault.example"
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
PRESSED = re.compile(r'aria-pressed="(true|false)"')


@dataclass
class Patron:
    email: str
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    supports: dict[int, bool | None] = field(default_factory=dict)  # None: the outcome unknown

    def keep(self, set_cookies: list[str]) -> None:
        """Cookies as a browser keeps them (the Secure flag aside: the cluster is plain HTTP)."""
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def send(method: str, url: str, patron: Patron | None = None, form: dict | None = None,
         headers: dict | None = None, timeout: float = 40) -> tuple[int, str]:
    """One request, redirects not followed; (status, body), status 0 when nothing answered."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    sent = dict(headers or {})
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    if patron and patron.cookies:
        sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in patron.cookies.items())
    try:
        connection.request(method, parts.path + (f"?{parts.query}" if parts.query else ""),
                           body, sent)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        if patron:
            patron.keep(response.headers.get_all("Set-Cookie") or [])
        return response.status, text
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        connection.close()


def token_from(page: str) -> str:
    found = CSRF.search(page)
    return found.group(1) if found else ""


# --- the patrons --------------------------------------------------------------------------------

def create_patrons() -> list[str]:
    """The accounts, made once in the cluster's database through the app's own models."""
    os.environ.update(cluster.host_env())
    sys.path.insert(0, str(cluster.ROOT))
    from app import create_app
    from app.auth.models import User
    from app.auth.passwords import hash_password
    from app.extensions import db
    from app.timeutil import utcnow

    emails = [EMAIL.format(number) for number in range(1, PATRONS + 1)]
    app = create_app()
    with app.app_context():
        known = set(db.session.scalars(db.select(User.email).where(User.email.in_(emails))))
        password_hash = hash_password(PASSWORD) if len(known) < len(emails) else ""
        for number, email in enumerate(emails, 1):
            if email not in known:
                db.session.add(User(email=email, display_name=f"Fault patron {number}",
                                    patron_type="undergraduate", password_hash=password_hash,
                                    email_frequency="none", email_verified_at=utcnow()))
        db.session.commit()
        db.engine.dispose()
    return emails


def sign_in(email: str) -> Patron | None:
    """Through the form on nginx: the page's token, the POST, then a fresh token (signing in
    starts a new session)."""
    patron = Patron(email)
    status, page = send("GET", f"{BASE}/auth/login", patron)
    if status != 200:
        return None
    status, _ = send("POST", f"{BASE}/auth/login", patron, form={
        "csrf_token": token_from(page), "email": email, "password": PASSWORD})
    if status != 303:
        return None
    status, page = send("GET", f"{BASE}/proposals", patron)
    patron.token = token_from(page)
    return patron if status == 200 and patron.token else None


def sign_in_all(emails: list[str], threads: int = 8) -> list[Patron]:
    signed: list[Patron] = []
    pending = list(emails)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not pending:
                    return
                email = pending.pop()
            patron = sign_in(email)
            with lock:
                if patron:
                    signed.append(patron)
    workers = [threading.Thread(target=work) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return signed


def supportable(patron: Patron, proposal_ids: list[int], wanted: int) -> list[int]:
    """Proposals whose page offers the support button to a patron."""
    found = []
    for proposal_id in proposal_ids:
        status, page = send("GET", f"{BASE}/proposals/{proposal_id}", patron)
        if status == 200 and f'action="/proposals/{proposal_id}/support"' in page:
            found.append(proposal_id)
        if len(found) == wanted:
            break
    return found


# --- the load -----------------------------------------------------------------------------------

@dataclass
class Click:
    email: str
    proposal_id: int
    want: str  # support or withdraw
    status: int
    answered: bool | None  # the state the answer showed (aria-pressed), None without one


class Load:
    """CLIENTS threads share the patrons (one request at a time per patron, as a browser) until
    stop() or the bounds; half the requests read a page, half click support or withdraw."""

    def __init__(self, patrons: list[Patron], proposal_ids: list[int], clients: int = 8,
                 most: int = 20000, pause: float = 0.05):
        self.idle = list(patrons)
        self.proposal_ids = proposal_ids
        self.most, self.pause = most, pause
        self.results: list[tuple[float, int, str]] = []  # (time, status, kind)
        self.clicks: list[Click] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.random = random.Random(26)  # noqa: S311 - a load pattern, not a secret
        self.threads = [threading.Thread(target=self.client, daemon=True) for _ in range(clients)]

    def start(self) -> None:
        self.started = time.monotonic()
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def take(self) -> tuple[Patron, bool, int] | None:
        with self.lock:
            if self.stopping.is_set() or len(self.results) >= self.most or not self.idle:
                return None
            patron = self.idle.pop(self.random.randrange(len(self.idle)))
            return patron, self.random.random() < 0.5, self.random.choice(self.proposal_ids)

    def client(self) -> None:
        while (turn := self.take()) is not None:
            patron, click, proposal_id = turn
            if click:
                status, kind = self.click(patron, proposal_id), "click"
            else:
                path = self.random.choice(["/proposals", f"/proposals/{proposal_id}"])
                status, kind = send("GET", BASE + path, patron)[0], "page"
            with self.lock:
                self.results.append((time.monotonic(), status, kind))
                self.idle.append(patron)
            time.sleep(self.pause)

    def click(self, patron: Patron, proposal_id: int) -> int:
        want = "withdraw" if patron.supports.get(proposal_id) else "support"
        status, body = send("POST", f"{BASE}/proposals/{proposal_id}/support", patron,
                            form={"csrf_token": patron.token, "want": want},
                            headers={"HX-Request": "true"})
        pressed = PRESSED.search(body) if status == 200 else None
        if 200 <= status < 300:
            patron.supports[proposal_id] = want == "support"
        elif status >= 500 or status == 0:
            patron.supports[proposal_id] = None  # done or not: only the database knows
        with self.lock:
            self.clicks.append(Click(patron.email, proposal_id, want, status,
                                     pressed.group(1) == "true" if pressed else None))
        return status

    def count(self) -> int:
        with self.lock:
            return len(self.results)

"""Starts and stops the real CAS server of the tests (django-cas-server, tests/sso/cas_django/)
on a free loopback port, and plays a person at its login form."""
import json
import subprocess  # nosec B404 - starts the tests' own CAS server
import sys
import tempfile
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.sso.provider import free_port

ROOT = Path(__file__).resolve().parents[2]
USERNAME, PASSWORD = "lihua", "campus password 2026"  # tests/sso/cas_django/settings.py
RELEASED = ["displayName", "mail", "type", "memberOf"]  # to Commons; never telephoneNumber
# The services the CAS server knows, first match wins (django-cas-server's ServicePattern):
# Commons' callback on any loopback port (5000 is PUBLIC_URL of the tests; the single-logout
# test serves Commons on a free port), with single logout; and another site of the university.
COMMONS = r"^http://127\.0\.0\.1:\d+/auth/sso/cas/callback(\?.*)?$"
OTHER_SERVICE = "http://127.0.0.1:5000/other-site/after-login"
SERVICES = [
    {"name": "Commons", "pattern": COMMONS, "attributes": RELEASED, "single_log_out": True},
    {"name": "Another site", "pattern": r"^http://127\.0\.0\.1:\d+/other-site/.*$",
     "attributes": ["displayName"]},
]


@contextmanager
def running(services: list[dict] = SERVICES):
    """Yields the CAS server's base URL (…/cas) while it runs."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cas-server-") as folder:
        log = Path(folder, "server.log")
        with log.open("w") as errors:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments  # nosec B603
                [sys.executable, "-m", "tests.sso.cas_django.serve", str(port),
                 json.dumps(services)], cwd=ROOT, env={"CAS_TEST_DB": folder},
                stdout=subprocess.PIPE, stderr=errors, text=True)
        try:
            line = process.stdout.readline()  # "ready", or nothing when it exits
            if not line.startswith("ready"):
                raise RuntimeError(f"the CAS server did not start (exit {process.poll()}): "
                                   f"{log.read_text()[-2000:]}")
            url = f"http://127.0.0.1:{port}/cas"
            _wait_for(url)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for(url: str) -> None:
    for _attempt in range(50):
        try:
            requests.get(f"{url}/login", timeout=2).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("the CAS server does not answer")


class _Form(HTMLParser):
    """The login page's form: its action and every input's value (the hidden ones too)."""

    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attributes.get("action") or ""
        elif tag == "input" and attributes.get("name") and attributes.get("type") != "checkbox":
            self.fields[attributes["name"]] = attributes.get("value") or ""


def sign_in_at_cas(login_url: str, returns_to: str, *, username: str = USERNAME,
                   password: str = PASSWORD, browser: requests.Session | None = None) -> str:
    """Opens the CAS login page, posts its form (hidden fields, CSRF token and login ticket
    included) with the credentials, and follows the server until it sends the browser back to
    the address of `returns_to` (the service URL, its query aside); that address, with its
    `ticket`, is returned."""
    browser = browser or requests.Session()
    page = browser.get(login_url, timeout=10)
    page.raise_for_status()
    form = _Form()
    form.feed(page.text)
    if form.action is None:
        raise AssertionError(f"no login form at the CAS server: {page.text[:500]}")
    answer = browser.post(urljoin(page.url, form.action), allow_redirects=False, timeout=10,
                          data=form.fields | {"username": username, "password": password},
                          headers={"Referer": page.url})
    for _step in range(5):
        if not answer.is_redirect:
            raise AssertionError(f"the CAS server did not send the browser back: "
                                 f"{answer.status_code} {answer.text[:500]}")
        url = urljoin(answer.url, answer.headers["Location"])
        if url.split("?")[0] == returns_to.split("?")[0]:
            return url
        answer = browser.get(url, allow_redirects=False, timeout=10)
    raise AssertionError("the CAS server never sent the browser back")

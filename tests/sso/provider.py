"""Starts and stops the real OpenID provider of the tests (oidc_provider.mjs, npm's
oidc-provider) on a free loopback port, and plays a person at its sign-in page."""
import json
import re
import socket
import subprocess  # nosec B404 - starts the test's own Node script
import time
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
ROOT = SCRIPT.parents[2]
CLIENT_ID, CLIENT_SECRET = "commons-test", "commons-test-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running(redirect_uris: list[str], post_logout_redirect_uris: list[str]):
    """Yields the issuer URL while the provider runs."""
    port = free_port()
    client = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
              "redirect_uris": redirect_uris,
              "post_logout_redirect_uris": post_logout_redirect_uris}
    process = subprocess.Popen(  # noqa: S603 - fixed arguments  # nosec B603
        ["node", str(SCRIPT), str(port), json.dumps(client)], cwd=ROOT,  # noqa: S607
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # stderr: its warnings
    try:
        line = process.stdout.readline()  # "ready …", or nothing when it exits
        if not line.startswith("ready"):
            raise RuntimeError(f"the OpenID provider did not start (exit {process.poll()})")
        issuer = f"http://127.0.0.1:{port}"
        _wait_for(issuer)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for(issuer: str) -> None:
    for _attempt in range(50):
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).raise_for_status()
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("the OpenID provider does not answer")


def sign_in_at_provider(authorization_url: str, returns_to: str, *, login: str = "lihua",
                        browser: requests.Session | None = None) -> str:
    """Follows the provider's pages as a person would (its sign-in form, any password) until it
    sends the browser back to `returns_to`; that address, with its query, is returned."""
    browser = browser or requests.Session()
    url, method, data = authorization_url, "GET", None
    for _step in range(12):
        answer = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if answer.is_redirect:
            url = urljoin(url, answer.headers["Location"])
            if url.startswith(returns_to):
                return url
            method, data = "GET", None
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"', answer.text)
        if form is None:
            raise AssertionError(f"unexpected page from the provider: {answer.text[:500]}")
        url, method = urljoin(url, unescape(form.group(1))), "POST"
        if 'name="login"' in answer.text:
            data = {"prompt": "login", "login": login, "password": "any password"}
        else:
            data = {"prompt": "consent"}
    raise AssertionError("the provider never sent the browser back")

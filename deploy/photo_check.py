"""With `make cluster` up: a photo uploaded through one host is served by every other host.

    python deploy/photo_check.py        # make cluster-photos

A member of staff (created for the check) signs in on the first host and proposes with a photo
there; each of the other hosts then serves the proposal page and the photo (by a redirect to the
shared S3 storage), the same bytes from every one.
"""
import io
import re
import secrets
import subprocess
import urllib.error
import urllib.request
from http.cookies import SimpleCookie

from cluster import BIN, PORTS, ROOT, host_env, say
from PIL import Image


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Browser:
    """Cookies by hand: the production session cookie is Secure, and these hosts speak HTTP."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def open(self, url: str, data: bytes | None = None, content_type: str | None = None):
        request = urllib.request.Request(url, data=data)  # noqa: S310 - the local hosts
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            response = OPENER.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers), response.read()


def token(page: bytes) -> str:
    found = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"|'
                      rb'name="csrf_token" value="([^"]+)"', page)
    return (found.group(1) or found.group(2)).decode()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                  f"{value}\r\n".encode())
    for name, (filename, data) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                  f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode())
        out.write(data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def main() -> None:
    email, password = f"photo-check-{secrets.token_hex(4)}@example.edu", secrets.token_urlsafe(16)
    subprocess.run([str(BIN / "flask"), "--app", "wsgi", "create-user", email, "--role", "staff",
                    "--password-stdin"], input=password, text=True, check=True, cwd=ROOT,
                   env=host_env(), capture_output=True)
    first, *others = (f"http://127.0.0.1:{port}" for port in PORTS)
    browser = Browser()
    _status, _headers, page = browser.open(f"{first}/auth/login")
    body = f"csrf_token={token(page)}&email={email}&password={password}".encode()
    status, _headers, _page = browser.open(f"{first}/auth/login", body,
                                           "application/x-www-form-urlencoded")
    assert status == 303, f"sign-in answered {status}"
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(photo, "JPEG")
    _status, _headers, form = browser.open(f"{first}/proposals/new")
    data, content_type = multipart({
        "csrf_token": token(form), "title": "A photo seen by every host",
        "problem": "Checking that photos uploaded to one host reach the others.",
        "suggestion": "Keep photos in storage that every host shares.",
        "category_id": "1", "branch_id": "1", "photo_alt": "A green test picture",
    }, {"photos": ("check.jpg", photo.getvalue())})
    status, headers, _page = browser.open(f"{first}/proposals/new", data, content_type)
    assert status == 303, f"proposing with a photo answered {status}"
    proposal = re.sub(r"^https?://[^/]+", "", headers["Location"])
    say(f"{first}: proposed {proposal} with a photo")
    seen = set()
    for host in others:
        status, _headers, page = browser.open(f"{host}{proposal}")
        assert status == 200 and b'alt="A green test picture"' in page, f"{host}: {status}"
        src = re.search(rb'<img src="([^"]+)" alt="A green test picture"', page).group(1).decode()
        status, headers, _body = browser.open(f"{host}{src}")
        assert status == 302, f"{host}{src} answered {status}"
        with urllib.request.urlopen(headers["Location"], timeout=20) as stored:  # noqa: S310
            seen.add(stored.read())
        say(f"{host}: the page shows the photo and {src} is served from the shared storage")
    assert len(seen) == 1, "the hosts served different files"
    say("photos: every host serves the photo uploaded through one")


if __name__ == "__main__":
    main()

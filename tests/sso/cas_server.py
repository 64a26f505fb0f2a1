"""A loopback HTTP server answering `/cas/p3/serviceValidate` with the RECORDED answers of the
CAS 3.0 specification (tests/sso/recorded/): not a CAS server, a replay of what one says. The
real CAS server of the tests is django-cas-server (tests/sso/cas_real.py).

It has issued one ticket, for one service: that ticket for that service gets the recorded
success; the same ticket for another service gets INVALID_SERVICE; any other ticket gets
INVALID_TICKET. Every validation asked is kept in `asked`."""
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).with_name("recorded")


def recorded(name: str, **values) -> str:
    text = (RECORDED / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


class Replay:
    def __init__(self):
        self.issued: dict[str, str] = {}  # ticket -> service
        self.asked: list[dict] = []

    def answer(self, path: str, query: dict) -> tuple[int, str]:
        if path != "/cas/p3/serviceValidate":
            return 404, ""
        self.asked.append(query)
        ticket, service = query.get("ticket", ""), query.get("service", "")
        if ticket not in self.issued:
            return 200, recorded("invalid_ticket.xml", ticket=ticket)
        if self.issued[ticket] != service:
            return 200, recorded("invalid_service.xml", ticket=ticket)
        return 200, recorded("success.xml")


@contextmanager
def running():
    replay = Replay()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            status, body = replay.answer(parts.path, query)
            self.send_response(status)
            self.send_header("Content-Type", "application/xml; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    replay.url = f"http://127.0.0.1:{server.server_port}/cas"
    try:
        yield replay
    finally:
        server.shutdown()
        server.server_close()

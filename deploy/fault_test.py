"""Fault test for the cluster (make cluster, then make cluster-fault); not part of the test suite.

A bounded load of GET requests goes through nginx (127.0.0.1:8080) while one app host is killed
(SIGKILL to its gunicorn master and workers, as when a machine dies) and another is stopped with
SIGTERM (gunicorn's graceful shutdown: a request it is serving when the signal comes is still
answered). Both are started again before the load ends. Requests must keep succeeding through the
remaining hosts (nginx: proxy_next_upstream error timeout http_502). Prints one summary line;
exits 1 if any request failed or the in-flight request was not answered.
"""
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster  # noqa: E402 - deploy/ is not a package

BASE = f"http://{cluster.LISTEN}"
TOTAL = int(os.environ.get("FAULT_REQUESTS", "3000"))  # bounded: this many requests at most
DEADLINE = float(os.environ.get("FAULT_SECONDS", "120"))  # and this long at most
CLIENTS = 6
PAUSE = 0.01  # between one client's requests: a steady load, not a flood
KILLED, TERMINATED = cluster.PORTS[0], cluster.PORTS[1]


class Load:
    def __init__(self, paths: list[str]):
        self.paths = paths
        self.issued = 0
        self.results: list[tuple[float, int, str]] = []  # (time, status, path)
        self.lock = threading.Lock()
        self.started = time.monotonic()

    def next_path(self) -> str | None:
        with self.lock:
            if self.issued >= TOTAL or time.monotonic() - self.started > DEADLINE:
                return None
            self.issued += 1
            return self.paths[self.issued % len(self.paths)]

    def client(self) -> None:
        while (path := self.next_path()) is not None:
            try:
                with urllib.request.urlopen(BASE + path, timeout=40) as response:  # noqa: S310
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0  # no answer at all
            with self.lock:
                self.results.append((time.monotonic(), status, path))
            time.sleep(PAUSE)

    @property
    def done(self) -> int:
        with self.lock:
            return len(self.results)


def wait_for(load: Load, fraction: float) -> None:
    while load.done < TOTAL * fraction and time.monotonic() - load.started < DEADLINE:
        time.sleep(0.05)


def master_of(port: int) -> int:
    pid = cluster.pid_of(f"web-{port}", "gunicorn")
    if pid is None:
        sys.exit(f"fault test: web-{port} is not running; start the cluster (make cluster)")
    return pid


def sigterm_with_a_request_in_flight(port: int) -> tuple[int, float]:
    """Send half a request straight to the host, SIGTERM its master, send the rest: a graceful
    shutdown answers it. Returns (status of that request, seconds the host took to exit)."""
    master = master_of(port)
    with socket.create_connection(("127.0.0.1", port), timeout=40) as connection:
        connection.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        time.sleep(0.5)  # a worker has accepted the connection and is reading the request
        signalled = time.monotonic()
        os.kill(master, signal.SIGTERM)
        time.sleep(1.0)  # the host is stopping while the request is still coming in
        connection.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    cluster.wait_gone(master, 40)
    return (int(match.group(1)) if match else 0), time.monotonic() - signalled


def upstreams_since(offset: int) -> tuple[Counter, int]:
    """From nginx's access log: requests each host answered, and requests retried elsewhere."""
    served, retried = Counter(), 0
    with open(cluster.RUN / "nginx.access.log", "rb") as log:
        log.seek(offset)
        for line in log.read().decode(errors="replace").splitlines():
            found = re.search(r"upstream=(\S+(?:, \S+)*) upstream_status", line)
            if not found or found.group(1) == "-":
                continue
            tried = found.group(1).split(", ")
            served[tried[-1].rsplit(":", 1)[-1]] += 1
            retried += len(tried) > 1
    return served, retried


def main() -> int:
    if len(sys.argv) > 1:
        print(__doc__.strip())
        return 2
    # Stopped half-way (Ctrl-C, SIGTERM), it still starts the hosts it took down (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if cluster.get(f"{BASE}/health")[0] != 200:
        sys.exit("fault test: nothing answers on http://127.0.0.1:8080; run `make cluster` first")
    _, body = cluster.get(f"{BASE}/api/v1/proposals?limit=1")
    first = json.loads(body)["items"][0]["id"]
    paths = ["/health", "/proposals", f"/proposals/{first}", "/api/v1/proposals?limit=5",
             "/proposals?sort=newest"]
    log_offset = (cluster.RUN / "nginx.access.log").stat().st_size
    master_of(KILLED), master_of(TERMINATED)

    load = Load(paths)
    clients = [threading.Thread(target=load.client, daemon=True) for _ in range(CLIENTS)]
    for thread in clients:
        thread.start()
    events = []
    try:
        wait_for(load, 0.2)
        cluster.kill_host(master_of(KILLED), signal.SIGKILL)
        events.append(f"{KILLED} SIGKILLed at #{load.done}")
        wait_for(load, 0.35)
        at = load.done
        in_flight, exited_after = sigterm_with_a_request_in_flight(TERMINATED)
        events.append(f"{TERMINATED} SIGTERMed at #{at} (request in flight answered "
                      f"{in_flight}, host exited {exited_after:.1f}s after the signal)")
        wait_for(load, 0.6)
        at = load.done
    finally:
        for port in (KILLED, TERMINATED):
            cluster.start_web(port)
    restarted_offset = (cluster.RUN / "nginx.access.log").stat().st_size
    events.append(f"both restarted at #{at}")
    for thread in clients:
        thread.join()

    failures = Counter(status for _, status, _ in load.results if status != 200)
    elapsed = load.results[-1][0] - load.started if load.results else 0
    served, retried = upstreams_since(log_offset)
    after_restart, _ = upstreams_since(restarted_offset)
    print(f"fault test: {len(load.results)} requests through nginx in {elapsed:.1f}s, "
          f"{sum(failures.values())} failed{f' {dict(failures)}' if failures else ''}; "
          f"{'; '.join(events)}; served by "
          f"{', '.join(f'{port}: {served[str(port)]}' for port in cluster.PORTS)}; "
          f"{retried} retried on another host; after the restart "
          f"{', '.join(f'{port}: {after_restart[str(port)]}' for port in cluster.PORTS)}")
    return 1 if failures or in_flight != 200 else 0


if __name__ == "__main__":
    sys.exit(main())

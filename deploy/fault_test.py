"""Fault test for the cluster (make cluster, then make cluster-fault); not part of the test suite.

About 200 signed-in patrons (FAULT_PATRONS) read pages and click support and withdraw through
nginx (127.0.0.1:8080), a steady, bounded load, while one component after another fails:

1. one app host is SIGKILLed (master and workers, as when a machine dies) and started again;
2. another gets SIGTERM with a request half-sent to it (a graceful stop answers it), and starts;
3. Redis is stopped for 10 seconds and started again (empty: it keeps nothing on disk);
4. PostgreSQL restarts (pg_ctlcluster … restart), the hosts are left running;
5. the job worker is stopped with messages in the outbox, more are queued, and it starts again.

It prints, per fault, the requests sent in its window and the 5xx answers (how many, for how
long); then the clicks acknowledged against the support rows, the sign-in limit tried on two
hosts in turn, and the outbox messages queued against those in the mail files. Exits 1 on a lost
or doubled support, a stored count that differs from its rows, a duplicate or missing message,
a 5xx outside the fault windows, a sign-in limit that did not hold, or a request in flight at
SIGTERM not answered 200; the last line gives those numbers.
"""
import os
import re
import signal
import socket
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster  # noqa: E402 - deploy/ is not a package
import fault_checks as checks  # noqa: E402
import fault_load  # noqa: E402

SECONDS = float(os.environ.get("FAULT_SECONDS", "300"))  # the load stops after this at most
MOST = int(os.environ.get("FAULT_REQUESTS", "30000"))  # or after this many requests
QUIET = 8.0  # seconds of plain load before the first fault and between two
SETTLE = 3.0  # a window ends this long after the component is back
OUTBOX = 50  # messages queued before the worker stops, and as many while it is down
KILLED, GRACEFUL = cluster.PORTS[0], cluster.PORTS[1]
IN_FLIGHT: list[int] = []  # what the request sent to the host stopped gracefully got


def say(message: str) -> None:
    print(f"fault test: {message}", flush=True)


# --- the faults: each returns when the component is back ----------------------------------------

def kill_app_host() -> str:
    master = cluster.pid_of(f"web-{KILLED}", "gunicorn")
    if master is None:
        sys.exit(f"fault test: web-{KILLED} is not running; start the cluster (make cluster)")
    cluster.kill_host(master, signal.SIGKILL)
    cluster.wait_gone(master, 10)
    time.sleep(2)  # down a moment, as a machine that reboots
    cluster.start_web(KILLED)
    return f"SIGKILL web-{KILLED} (pid {master}), started again"


def stop_app_host_gracefully() -> str:
    """Half a request straight to the host, SIGTERM to its master, then the rest: gunicorn's
    graceful shutdown still answers it (the deployment's way of restarting a host)."""
    master = cluster.pid_of(f"web-{GRACEFUL}", "gunicorn")
    if master is None:
        sys.exit(f"fault test: web-{GRACEFUL} is not running; start the cluster (make cluster)")
    with socket.create_connection(("127.0.0.1", GRACEFUL), timeout=40) as connection:
        connection.sendall(f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{GRACEFUL}\r\n".encode())
        time.sleep(0.5)  # a worker has accepted the connection and is reading the request
        os.kill(master, signal.SIGTERM)
        time.sleep(1.0)  # the host is stopping while the request is still coming in
        connection.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    cluster.wait_gone(master, 40)
    cluster.start_web(GRACEFUL)
    found = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
    IN_FLIGHT.append(int(found.group(1)) if found else 0)
    return f"SIGTERM web-{GRACEFUL}, the request in flight answered {IN_FLIGHT[-1]}, started again"


def stop_redis() -> str:
    cluster.stop_pid("redis", "redis-server", signal.SIGTERM, 10)
    time.sleep(10)
    cluster.start_redis()
    return f"Redis on {cluster.REDIS_PORT} stopped 10 s, started again"


def restart_postgres() -> str:
    began = time.monotonic()
    cluster.pg_ctl("restart")
    while not cluster.pg_ready():
        time.sleep(0.1)
    return (f"pg_ctlcluster {cluster.PG_VERSION} {cluster.PG_CLUSTER} restart "
            f"({time.monotonic() - began:.1f} s)")


def make_stop_worker(run: str, queued: list[int]) -> Callable[[], str]:
    def stop_worker() -> str:
        queued.extend(checks.queue_messages(run, "before", OUTBOX))
        cluster.stop_pid("worker", "huey_consumer", signal.SIGINT, 40)
        queued.extend(checks.queue_messages(run, "while-down", OUTBOX))
        time.sleep(3)
        cluster.start_worker()
        return f"worker stopped with {OUTBOX} + {OUTBOX} messages queued, started again"
    return stop_worker


# --- the run ------------------------------------------------------------------------------------

def prepare() -> tuple[list[fault_load.Patron], list[int]]:
    for name, expected in [(f"web-{port}", "gunicorn") for port in cluster.PORTS] + [
            ("worker", "huey_consumer"), ("redis", "redis-server"), ("nginx", "nginx")]:
        if cluster.pid_of(name, expected) is None:
            sys.exit(f"fault test: {name} is not running; start the cluster (make cluster)")
    emails = fault_load.create_patrons()
    began = time.monotonic()
    patrons = fault_load.sign_in_all(emails)
    say(f"{len(patrons)} of {len(emails)} patrons signed in through the form on nginx in "
        f"{time.monotonic() - began:.0f} s")
    if len(patrons) < len(emails):
        sys.exit("fault test: some patrons could not sign in (see run/web-*.log)")
    _, listing = fault_load.send("GET", f"{fault_load.BASE}/api/v1/proposals?limit=50")
    ids = [int(found) for found in re.findall(r'"id": ?(\d+)', listing)]
    proposals = fault_load.supportable(patrons[0], ids, 12)
    if not proposals:
        sys.exit("fault test: no proposal takes supports (load the demo data: make cluster)")
    checks.load_state(patrons)
    return patrons, proposals


def run_faults(load: fault_load.Load, faults: list[tuple[str, Callable[[], str]]],
               ) -> list[tuple[str, str, float, float]]:
    """Each fault in turn, with quiet load around it; (name, what happened, start, end)."""
    windows = []
    time.sleep(QUIET)
    for name, fault in faults:
        if time.monotonic() - load.started > SECONDS:
            say(f"out of time before {name}")
            break
        start = time.monotonic()
        done = fault()
        end = time.monotonic() + SETTLE
        windows.append((name, done, start, end))
        time.sleep(QUIET)
    return windows


def report_windows(load: fault_load.Load, windows) -> int:
    """Per window: requests, 5xx and for how long; returns the 5xx outside every window."""
    for name, done, start, end in windows:
        inside = [(moment, status) for moment, status, _ in load.results if start <= moment <= end]
        errors = [(moment, status) for moment, status in inside if status >= 500 or status == 0]
        span = (f" {dict(Counter(status for _, status in errors))} over "
                f"{errors[-1][0] - errors[0][0]:.1f} s" if errors else "")
        say(f"{name}: {done}; {len(inside)} requests in {end - start:.1f} s, "
            f"{len(errors)} 5xx{span}")
    outside = [moment for moment, status, _ in load.results
               if (status >= 500 or status == 0)
               and not any(start <= moment <= end for _, _, start, end in windows)]
    return len(outside)


def main() -> int:
    if len(sys.argv) > 1:
        print(__doc__.strip())
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if cluster.get(f"{fault_load.BASE}/health")[0] != 200:
        sys.exit("fault test: nothing answers on http://127.0.0.1:8080; run `make cluster` first")
    run = time.strftime("%Y%m%d%H%M%S")
    patrons, proposals = prepare()
    queued: list[int] = []
    faults = [("app host", kill_app_host), ("graceful stop", stop_app_host_gracefully),
              ("Redis", stop_redis),
              ("PostgreSQL", restart_postgres), ("worker", make_stop_worker(run, queued))]
    load = fault_load.Load(patrons, proposals, most=MOST)
    load.start()
    try:
        windows = run_faults(load, faults)
    finally:
        load.stop()
        for port in (KILLED, GRACEFUL):  # whatever was stopped is started again
            cluster.start_web(port)
        cluster.start_redis()
        cluster.start_worker()
    elapsed = load.results[-1][0] - load.started if load.results else 0
    say(f"{len(load.results)} requests by {len(patrons)} patrons in {elapsed:.0f} s "
        f"({sum(kind == 'click' for _, _, kind in load.results)} clicks) on "
        f"{len(proposals)} proposals")
    outside = report_windows(load, windows)
    supports = checks.check_supports(load.clicks)
    say(f"support clicks: {supports['acknowledged']} of {supports['clicks']} acknowledged "
        f"({supports['supports']} support, {supports['withdrawals']} withdraw) on "
        f"{supports['pairs']} patron-proposal pairs, {supports['rows']} support rows now; "
        f"{supports['lost']} lost, {supports['doubled']} doubled, {supports['uncertain']} pairs "
        f"whose last click got a 5xx, {supports['counts_off']} stored counts off their rows, "
        f"{supports['answer_disagrees']} answers that showed another state")
    limit = checks.sign_in_limit(run)
    say(f"sign-in limit of {limit['allowed']} per minute for one account, alternating hosts "
        f"{cluster.PORTS[0]}/{cluster.PORTS[1]}: answers {limit['statuses']}: "
        f"{'held' if limit['held'] else 'NOT held'}")
    outbox = checks.check_outbox(queued)
    say(f"outbox: {outbox['queued']} queued, {outbox['delivered']} delivered, "
        f"{outbox['missing']} missing, {outbox['duplicates']} duplicated (mail files)")
    failed = (supports["lost"] or supports["doubled"] or supports["counts_off"]
              or outbox["duplicates"] or outbox["missing"] or outside or not limit["held"]
              or len(windows) < len(faults) or IN_FLIGHT != [200])
    say(f"{'FAILED' if failed else 'passed'}: {supports['lost']} supports lost, "
        f"{supports['doubled']} doubled, {supports['counts_off']} counts off; "
        f"{outbox['duplicates']} duplicate e-mails, {outbox['missing']} missing of "
        f"{outbox['queued']}; sign-in limit {'held' if limit['held'] else 'NOT held'} across "
        f"hosts; request in flight at SIGTERM answered {IN_FLIGHT[-1] if IN_FLIGHT else '-'}; "
        f"5xx {' + '.join(str(count) for count in window_errors(load, windows))} in the "
        f"{len(windows)} fault windows, {outside} outside")
    return 1 if failed else 0


def window_errors(load: fault_load.Load, windows) -> list[int]:
    return [sum(1 for moment, status, _ in load.results
                if start <= moment <= end and (status >= 500 or status == 0))
            for _, _, start, end in windows]


if __name__ == "__main__":
    sys.exit(main())

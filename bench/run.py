"""Load run: the app under gunicorn against a generated database, driven by wrk.

    python -m bench.run --sizes S,M --dbs sqlite,postgres --record   # what `make bench` runs

For each database and size: generate the data (bench/generate.py), mint signed-in sessions with
the server's secret, start gunicorn on 127.0.0.1 (2 gthread workers x 2 threads), and run every
scenario with wrk for a bounded time. Prints a Markdown table per run, checks the targets, and
writes everything under bench/results/ (git-ignored); --record also puts the tables in
bench/RESULTS.md between its markers.
"""
import argparse
import json
import os
import platform
import random
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import bindparam, create_engine, text

from bench import checks
from bench.generate import ROOT, SIZES, database_url, manifest_path

RESULTS = ROOT / "bench" / "results"
RECORD = ROOT / "bench" / "RESULTS.md"
LUA = ROOT / "bench" / "wrk.lua"
AGENT = "commons-bench/1 (wrk)"  # the same User-Agent as wrk.lua: Flask-Login's session check
WORKERS, THREADS = 2, 2
CONNECTIONS = 8  # wrk's keep-alive connections per scenario (2 for the dashboards)
# A gthread worker accepts every connection it can: all 8 kept-alive ones often landed on one
# worker and the rates of a run halved at random. At most 5 each shares them out (4/4 or 5/3).
PER_WORKER = CONNECTIONS // WORKERS + 1
PUBLIC = ("open", "under_review", "accepted", "in_progress", "completed", "declined", "merged")
SEARCH_EN = ["quiet", "printer", "Wi-Fi", "opening hours", "textbook", "power sockets",
             "wheelchair", "exam weeks"]
SEARCH_ZH = ["座位", "自习室", "打印", "开放时间", "无线网络", "电源插座", "空调", "教材"]


@dataclass
class Scenario:
    name: str
    group: str  # what the targets compare: baseline, list, detail, search, toggle, dashboard
    paths: str  # a key of Context.paths
    sessions: str | None = None  # "patrons" or "staff"
    post: bool = False
    connections: int = CONNECTIONS


SCENARIOS = [
    Scenario("baseline (SELECT 1 + tiny template)", "baseline", "baseline"),
    Scenario("list: trending", "list", "list_trending"),
    Scenario("list: most supported", "list", "list_supported"),
    Scenario("list: newest", "list", "list_newest"),
    Scenario("list: recently active", "list", "list_active"),
    Scenario("list: newest, random page of the 50 offered", "extra", "list_deep"),
    Scenario("search: English terms", "search", "search_en"),
    Scenario("search: Chinese terms", "search", "search_zh"),
    Scenario("detail page, any of 5,000", "detail", "detail"),
    Scenario("detail page, views follow supports", "detail", "detail_popular"),
    # Signed-in readers get no visitor's copy (app/pagecache.py): every page is rendered.
    Scenario("list: trending, signed in", "extra", "list_trending", sessions="patrons"),
    Scenario("detail page, signed in", "extra", "detail", sessions="patrons"),
    Scenario("support toggle (htmx POST)", "toggle", "toggle", sessions="patrons", post=True),
    Scenario("baseline again (after the rest)", "baseline", "baseline"),
    # Last: a request wrk gives up on keeps a server thread busy until it ends.
    Scenario("staff dashboard (90 days)", "dashboard", "dashboard", sessions="staff",
             connections=2),
    Scenario("staff dashboard, uncached (30 days to 3 years, to a random recent day)",
             "dashboard-cold", "dashboard_cold", sessions="staff", connections=2),
]


@dataclass
class Context:
    """The files wrk reads for one database and size."""
    folder: Path
    paths: dict[str, Path] = field(default_factory=dict)
    sessions: dict[str, Path] = field(default_factory=dict)

    def write(self, kind: str, name: str, lines: list[str]) -> None:
        target = self.folder / f"{kind}-{name}.txt"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        getattr(self, kind)[name] = target


def prepare(url: str, secret: str, folder: Path, seed: int) -> Context:
    """Paths to request, and sessions minted with the server's secret (no Argon2 per patron)."""
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from app import create_app
    from app.auth.models import User
    from app.extensions import db
    from app.proposals.queries import MAX_PAGE

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    context = Context(folder)
    engine = create_engine(url)
    with engine.connect() as connection:
        popular = list(connection.execute(text(
            "SELECT id, support_count FROM proposal WHERE hidden_at IS NULL AND status IN :s "
            "ORDER BY id").bindparams(bindparam("s", expanding=True)), {"s": list(PUBLIC)}))
        public = [i for i, _ in popular]
        open_ids = [i for (i,) in connection.execute(text(
            "SELECT id FROM proposal WHERE hidden_at IS NULL "
            "AND status IN ('open', 'under_review') ORDER BY id"))]
        patrons = [i for (i,) in connection.execute(text(
            "SELECT id FROM \"user\" WHERE role = 'patron' ORDER BY id"))]
        staff = [i for (i,) in connection.execute(text(
            "SELECT id FROM \"user\" WHERE role IN ('staff', 'admin') ORDER BY id LIMIT 2"))]
    engine.dispose()

    context.write("paths", "baseline", ["/bench/baseline"])
    for sort in ("trending", "supported", "newest", "active"):
        context.write("paths", f"list_{sort}", [f"/proposals?sort={sort}"])
    pages = min(max(1, len(public) // 20), MAX_PAGE)  # the list offers no page beyond
    context.write("paths", "list_deep", [f"/proposals?sort=newest&page={rng.randint(1, pages)}"
                                         for _ in range(2000)])
    context.write("paths", "search_en", [f"/proposals?q={quote(t)}" for t in SEARCH_EN])
    context.write("paths", "search_zh", [f"/proposals?q={quote(t)}" for t in SEARCH_ZH])
    context.write("paths", "detail", [f"/proposals/{i}" for i in
                                      rng.sample(public, min(5000, len(public)))])
    # Readers go where the supporters go: a proposal is viewed in proportion to its supports.
    context.write("paths", "detail_popular", [f"/proposals/{i}" for i in rng.choices(
        public, weights=[count + 1 for _, count in popular], k=5000)])
    context.write("paths", "dashboard", ["/staff/dashboard"])
    # The figures are cached per period: each of these ends on another day, so each misses. They
    # last from a month to the three years the dashboard offers, counted per day, week or month.
    today = datetime.now(timezone.utc).date()
    context.write("paths", "dashboard_cold", [
        f"/staff/dashboard?from={today - timedelta(days=back + rng.randint(30, 3 * 366) - 1)}"
        f"&to={today - timedelta(days=back)}" for back in rng.sample(range(1, 121), 120)])
    context.write("paths", "toggle", [f"/proposals/{i}/support" for i in open_ids])

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                      "ENV_NAME": "production"})
    serializer = app.session_interface.get_signing_serializer(app)
    for name, ids in (("patrons", rng.sample(patrons, min(1000, len(patrons)))),
                      ("staff", staff)):
        with app.app_context():
            users = list(db.session.scalars(db.select(User).where(User.id.in_(ids))))
            db.session.remove()
        lines = []
        for user in users:
            # Each in its own app context: generate_csrf caches its token in `g`.
            # The address and agent wrk will come with: Flask-Login's session identifier.
            with app.test_request_context("/", headers={"User-Agent": AGENT},
                                          environ_base={"REMOTE_ADDR": "127.0.0.1"}):
                login_user(user)
                token = generate_csrf()
                lines.append(f"{serializer.dumps(dict(session))}\t{token}")
        context.write("sessions", name, lines)
    with app.app_context():
        db.engine.dispose()
    return context


def cpu_per_request(url: str, secret: str, context: Context, seed: int) -> dict[str, float]:
    """Median CPU milliseconds per request of each scenario, in this process with Flask's test
    client: much steadier than wall-clock figures on a machine shared with other work. On SQLite
    it includes the database's work (same process); on PostgreSQL only the app's side."""
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                      "ENV_NAME": "production", "BENCH_BASELINE": True, "PAGE_CACHE_FOLDER": ""})
    rng = random.Random(seed)
    found = {}
    for measuring in (False, True):  # a first pass compiles templates and fills caches
        for scenario in SCENARIOS:
            few = scenario.group.startswith("dashboard")
            rounds = (2 if few else 25) if measuring else (1 if few else 3)
            found[scenario.name] = _cpu_median(app, context, scenario, rounds, rng)
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    return found


def _cpu_median(app, context: Context, scenario: Scenario, rounds: int, rng) -> float:
    paths = context.paths[scenario.paths].read_text(encoding="utf-8").splitlines()
    sessions = (context.sessions[scenario.sessions].read_text().splitlines()
                if scenario.sessions else [])
    samples = []
    for _ in range(rounds):
        client = app.test_client()
        headers = {"User-Agent": AGENT}
        data = None
        if sessions:
            cookie, token = rng.choice(sessions).split("\t")
            client.set_cookie("session", cookie)
            if scenario.post:
                headers |= {"HX-Request": "true", "X-CSRFToken": token}
                data = {"csrf_token": token}
        path = rng.choice(paths)
        started = time.process_time()
        client.open(path, method="POST" if scenario.post else "GET", headers=headers,
                    data=data)
        samples.append((time.process_time() - started) * 1000)
    return sorted(samples)[len(samples) // 2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving wsgi:app with the bench instruments on; stopped by its own pid."""

    def __init__(self, url: str, secret: str, port: int, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.pages = tempfile.mkdtemp(prefix="commons-bench-pages-")  # no copies from a past run
        env = os.environ | {
            "DATABASE_URL": url, "SECRET_KEY": secret, "COMMONS_ENV": "production",
            "COMMONS_BENCH_BASELINE": "1", "COMMONS_SQL_COUNT": "1",
            "PAGE_CACHE_FOLDER": self.pages,
        }
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(WORKERS),
             "--worker-class", "gthread", "--threads", str(THREADS),
             "--worker-connections", str(PER_WORKER),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in 60 s: see {log}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.pages, ignore_errors=True)


def settle(base: str, limit: float = 120) -> None:
    """Wait until requests a scenario left running (wrk gave up on them) have finished: the next
    scenario must not queue behind them. Idle means /health answers fast twice in a row."""
    deadline, quick = time.monotonic() + limit, 0
    while quick < 2 and time.monotonic() < deadline:
        started = time.monotonic()
        probe(base, "/health", timeout=limit)
        quick = quick + 1 if time.monotonic() - started < 0.2 else 0


def prime(base: str, path: str, session_line: str, attempts: int = 6) -> float:
    """Fill the workers' cache of the dashboard figures before measuring the cached page: ask
    four at a time (a worker has two threads) until a whole round comes back quickly. Returns
    the slowest answer's seconds."""
    from concurrent.futures import ThreadPoolExecutor

    def timed(_):
        started = time.monotonic()
        probe(base, path, session_line, timeout=900)
        return time.monotonic() - started

    slowest = 0.0
    with ThreadPoolExecutor(4) as pool:
        for _ in range(attempts):
            took = max(pool.map(timed, range(4)))
            slowest = max(slowest, took)
            if took < 1:
                break
    return slowest


def probe(base: str, path: str, session_line: str | None = None, post: bool = False,
          timeout: float = 30):
    """One request outside wrk: a signed-in scenario must really be signed in."""
    headers = {"User-Agent": AGENT}
    data = None
    if session_line:
        cookie, token = session_line.split("\t")
        headers["Cookie"] = f"session={cookie}"
        if post:
            headers |= {"HX-Request": "true", "X-CSRFToken": token,
                        "Content-Type": "application/x-www-form-urlencoded"}
            data = f"csrf_token={token}".encode()
    request = urllib.request.Request(base + path, data=data, headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(base: str, scenario: Scenario, context: Context, seconds: int, seed: int) -> dict:
    command = ["wrk", "-t1", f"-c{scenario.connections}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(LUA), base, "--", str(context.paths[scenario.paths]),
               str(context.sessions[scenario.sessions]) if scenario.sessions else "-",
               "post" if scenario.post else "get", str(seed)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    return json.loads(line)


def summarise(raw: dict) -> dict:
    seconds = raw["duration_us"] / 1e6
    statuses = raw["statuses"]
    socket_errors = sum(v for k, v in raw["errors"].items() if k != "status")
    sql = raw["sql"]
    return {
        "requests": raw["requests"], "rps": raw["requests"] / seconds,
        "p50_ms": raw["latency_us"]["p50"] / 1000, "p95_ms": raw["latency_us"]["p95"] / 1000,
        "p99_ms": raw["latency_us"]["p99"] / 1000,
        # No answer at all within the run counts as one error, not as a clean zero.
        "errors": socket_errors + raw["requests"] - statuses["2xx"] if raw["requests"] else
        max(1, socket_errors),
        "statuses": statuses,
        "sql_avg": sql["sum"] / sql["responses"] if sql["responses"] else None,
        "sql_min": sql["min"] if sql["responses"] else None,
        "sql_max": sql["max"] if sql["responses"] else None,
    }


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def run_one(backend: str, size: str, args) -> dict:
    url = database_url(backend, size)
    if not args.reuse or not manifest_path(backend, size).exists():
        subprocess.run([sys.executable, "-m", "bench.generate", "--size", size, "--db", backend,
                        "--seed", str(args.seed)], cwd=ROOT, check=True)
    manifest = json.loads(manifest_path(backend, size).read_text())
    secret = secrets.token_urlsafe(48)
    context = prepare(url, secret, RESULTS / "tmp" / f"{backend}-{size.lower()}", args.seed)
    cpu = cpu_per_request(url, secret, context, args.seed)
    seconds = args.duration or {"S": 4, "M": 8}.get(size, 10)  # make bench within 10 minutes
    port = args.port or free_port()
    log = RESULTS / f"gunicorn-{backend}-{size.lower()}.log"
    print(f"\n== {backend} {size}: gunicorn {WORKERS} gthread workers x {THREADS} threads on "
          f"127.0.0.1:{port}, {seconds} s per scenario", flush=True)
    server = Server(url, secret, port, log)
    results = []
    toggle_check = None
    try:
        staff_line = context.sessions["staff"].read_text().splitlines()[0]
        patron_line = context.sessions["patrons"].read_text().splitlines()[0]
        some_open = context.paths["toggle"].read_text().splitlines()[0]
        for path, line, post in (("/staff/dashboard", staff_line, False),
                                 (some_open, patron_line, True)):
            status = probe(server.base, path, line, post)
            if status != 200:
                raise RuntimeError(f"minted session refused: {path} answered {status}")
        for scenario in SCENARIOS:
            if args.only and not any(word in scenario.name for word in args.only.split(",")):
                continue
            settle(server.base)
            cold = None
            if scenario.group == "dashboard":
                cold = prime(server.base, "/staff/dashboard", staff_line)
            elif args.warmup:
                wrk(server.base, scenario, context, args.warmup, args.seed + 1)
            load = loadavg()
            row = summarise(wrk(server.base, scenario, context, seconds, args.seed))
            row |= {"name": scenario.name, "group": scenario.group,
                    "connections": scenario.connections, "load_before": load,
                    "cpu_ms": cpu.get(scenario.name), "primed_cold_s": cold}
            results.append(row)
            print(f"  {scenario.name:<38} {row['rps']:8.1f} rps  p50 {row['p50_ms']:7.1f}  "
                  f"p95 {row['p95_ms']:7.1f}  p99 {row['p99_ms']:7.1f} ms  "
                  f"errors {row['errors']}  SQL {row['sql_avg'] or 0:.1f}  load {load:.1f}",
                  flush=True)
            if scenario.group == "toggle":
                engine = create_engine(url)
                with engine.connect() as connection:
                    toggle_check = checks.supports_exact(connection)
                engine.dispose()
                toggle_check["supports_before"] = manifest["rows"]["support"]
                print(f"  after the toggles: {toggle_check['support_count_mismatches']} "
                      f"proposals whose support_count differs from their Support rows, "
                      f"{toggle_check['tally_mismatches']} rows of the dashboard's tally, "
                      f"{toggle_check['participant_mismatches']} of its participant counts "
                      f"({toggle_check['supports_before']:,} -> {toggle_check['supports']:,} "
                      f"supports)", flush=True)
    finally:
        server.stop()
    return {"backend": backend, "size": size, "rows": manifest["rows"],
            "generated_seconds": manifest["seconds"], "seconds_per_scenario": seconds,
            "scenarios": results, "toggle_check": toggle_check}


# --- reporting -----------------------------------------------------------------------------

def machine() -> dict:
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    info = {"nproc": os.cpu_count(), "memory_gib": round(int(memory) / 2**20, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "cpu": next((line.split(":", 1)[1].strip() for line in
                         Path("/proc/cpuinfo").read_text().splitlines()
                         if line.startswith("model name")), platform.machine())}
    try:
        engine = create_engine(database_url("postgres", "S").rsplit("/", 1)[0] + "/postgres")
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar_one()
        engine.dispose()
    except Exception:  # noqa: BLE001 - a machine without PostgreSQL still reports SQLite
        info["postgresql"] = "unavailable"
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    info["wrk"] = (wrk_version.stdout or wrk_version.stderr).split("[")[0].strip()
    gunicorn = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "--version"],
                              capture_output=True, text=True)
    info["gunicorn"] = gunicorn.stdout.strip()
    return info


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def baseline_rps(run: dict) -> float | None:
    """The mean of the baseline runs (first and last): the machine's load drifts meanwhile."""
    found = [s["rps"] for s in run["scenarios"] if s["group"] == "baseline"]
    return sum(found) / len(found) if found else None


def baseline_cpu(run: dict) -> float | None:
    found = [s["cpu_ms"] for s in run["scenarios"] if s["group"] == "baseline" and s["cpu_ms"]]
    return sum(found) / len(found) if found else None


def table(run: dict) -> str:
    rows = run["rows"]
    baseline = baseline_rps(run)
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[run["backend"]]
    lines = [
        f"#### {title}, size {run['size']} ({rows['proposal']:,} proposals, "
        f"{rows['support']:,} supports, {rows['user']:,} users; "
        f"{run['seconds_per_scenario']} s per scenario)", "",
        "| scenario | conns | req/s | × baseline | p50 ms | p95 ms | p99 ms | errors | SQL/req "
        "| CPU ms/req | baseline CPU ÷ CPU |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    cpu_floor = baseline_cpu(run)
    for s in run["scenarios"]:
        ratio = f"{s['rps'] / baseline:.0%}" if baseline else "—"
        sql = "—" if s["sql_avg"] is None else (
            f"{s['sql_avg']:.1f}" + (f" ({s['sql_min']}–{s['sql_max']})"
                                     if s["sql_min"] != s["sql_max"] else ""))
        cpu = s.get("cpu_ms")
        cpu_ratio = f"{cpu_floor / cpu:.0%}" if cpu and cpu_floor else "—"
        lines.append(f"| {s['name']} | {s['connections']} | {s['rps']:,.1f} | {ratio} | "
                     f"{_ms(s['p50_ms'])} | {_ms(s['p95_ms'])} | {_ms(s['p99_ms'])} | "
                     f"{s['errors']} | {sql} | {'—' if cpu is None else _ms(cpu)} | "
                     f"{cpu_ratio} |")
    for s in run["scenarios"]:
        if s.get("primed_cold_s") is not None:
            lines += ["", f"“{s['name']}” is measured after its figures were cached (the "
                          f"slowest answer while filling the cache took "
                          f"{s['primed_cold_s']:.1f} s); the uncached cost is the next row."]
    check = run.get("toggle_check")
    if check:
        verdict = "exact" if _exact(check) else "WRONG"
        lines += ["", f"After the support toggles: {verdict} — "
                      f"{check['support_count_mismatches']} of {check['proposals']:,} proposals "
                      f"show a support_count different from their Support rows, and "
                      f"{check.get('tally_mismatches', 'n/a')} rows of the dashboard's support "
                      f"tally differ from them, and "
                      f"{check.get('participant_mismatches', 'n/a')} of its counts of people per "
                      f"day, week and month from its participation rows "
                      f"({check['supports_before']:,} → {check['supports']:,} supports)."]
    return "\n".join(lines)


def _exact(check: dict) -> bool:
    """No shown count, and no row of the dashboard's tally, differs from the Support rows, nor
    a count of people from the participation rows (runs recorded before the tally or the
    counts existed checked less)."""
    return (check.get("support_count_mismatches") == 0 and check.get("tally_mismatches", 0) == 0
            and check.get("participant_mismatches", 0) == 0)


def _find(runs, backend, size, group=None, name=None):
    run = next((r for r in runs if r["backend"] == backend and r["size"] == size), None)
    if run is None:
        return None, []
    return run, [s for s in run["scenarios"] if (group is None or s["group"] == group)
                 and (name is None or s["name"] == name)]


def targets(runs: list[dict]) -> list[str]:
    """Each target as a line: PASS/FAIL and the figures behind it. Not a test: a report."""
    lines = []
    for backend in dict.fromkeys(r["backend"] for r in runs):
        title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[backend]
        run, base = _find(runs, backend, "M", "baseline")
        if run and base:
            floor = baseline_rps(run)
            for group, share in (("list", 0.5), ("detail", 0.5), ("search", 0.5),
                                 ("toggle", 0.3)):
                for s in _find(runs, backend, "M", group)[1]:
                    ok = s["rps"] >= share * floor
                    extra = ""
                    if group == "toggle":
                        check = run["toggle_check"] or {}
                        exact = _exact(check)
                        ok = ok and exact and s["errors"] == 0
                        extra = f", counts {'exact' if exact else 'WRONG'}, errors {s['errors']}"
                    cpu, cpu_floor = s.get("cpu_ms"), baseline_cpu(run)
                    if cpu and cpu_floor:
                        extra += f"; by CPU per request {cpu_floor / cpu:.0%} of baseline"
                    lines.append(f"- {'PASS' if ok else 'FAIL'} {title} M {s['name']}: "
                                 f"{s['rps']:,.0f} req/s = {s['rps'] / floor:.0%} of baseline "
                                 f"(target ≥ {share:.0%}){extra}")
        small, _ = _find(runs, backend, "S")
        large, _ = _find(runs, backend, "L")
        if small and large:
            # Signed-in readers get no copies: their pages show what rendering costs at each size.
            rendered = [s for s in _find(runs, backend, "L", "extra")[1] if "signed in" in s["name"]]
            for s in (_find(runs, backend, "L", "list")[1]
                      + _find(runs, backend, "L", "detail")[1] + rendered):
                ref = _find(runs, backend, "S", s["group"], s["name"])[1]
                if ref and ref[0]["p95_ms"]:
                    ratio = s["p95_ms"] / ref[0]["p95_ms"]
                    lines.append(f"- {'PASS' if ratio <= 1.5 else 'FAIL'} {title} "
                                 f"{s['name']} p95 L/S: {s['p95_ms']:.1f} / "
                                 f"{ref[0]['p95_ms']:.1f} ms = {ratio:.2f}× (target ≤ 1.5×)")
        if large:
            for s in (_find(runs, backend, "L", "dashboard")[1]
                      + _find(runs, backend, "L", "dashboard-cold")[1]):
                answered = s["requests"] > 0
                ok = answered and s["p95_ms"] < 1000
                said = f"p95 {s['p95_ms']:,.0f} ms" if answered else "no answer within the run"
                lines.append(f"- {'PASS' if ok else 'FAIL'} {title} L {s['name']}: {said} "
                             f"(target < 1,000 ms)")
        sizes = [r for r in runs if r["backend"] == backend]
        if len(sizes) > 1:
            copy = next(((x["sql_min"], x["sql_max"]) for x in sizes[0]["scenarios"]
                         if x["group"] == "baseline"), None)  # a copy sends what it sends
            for s in sizes[0]["scenarios"]:
                if s["group"] in ("baseline", "toggle", "dashboard"):
                    continue  # a click's statements depend on what it changes; a cache hit's too
                ranges = {r["size"]: next(((x["sql_min"], x["sql_max"]) for x in r["scenarios"]
                                           if x["name"] == s["name"]), (None, None))
                          for r in sizes}
                # A size whose every answer was a visitor's copy shows nothing of the page's own.
                known = [r for r in ranges.values() if None not in r]
                shown = ", ".join(f"{k} " + ("no answer" if None in v else
                                             f"{v[0]}" if v[0] == v[1] else f"{v[0]}–{v[1]}")
                                  for k, v in ranges.items())
                if len(known) == len(ranges) > 1 and sum(r != copy for r in known) == 1:
                    lines.append(f"- n/a {title} SQL statements per request, {s['name']}: "
                                 f"{shown} (one size answered only from copies)")
                    continue
                # The most a request sends, constant up to one conditional load (a merged
                # proposal's target); fewer is a cache hit or an empty result.
                ok = len(known) == len(ranges) and (
                    max(r[1] for r in known) - min(r[1] for r in known) <= 1)
                lines.append(f"- {'PASS' if ok else 'FAIL'} {title} SQL statements per "
                             f"request, {s['name']}: {shown} (target: the same at every size)")
    return lines


def report(runs: list[dict], info: dict, command: str, measured: str | None = None) -> str:
    parts = [
        f"Measured {measured or 'on ' + datetime.now(timezone.utc).strftime('%Y-%m-%d')} UTC "
        f"with `{command}`.", "",
        f"Machine: {info['nproc']} cores ({info['cpu']}), {info['memory_gib']} GiB memory; "
        f"Python {info['python']}, SQLite {info['sqlite']}, PostgreSQL {info['postgresql']}, "
        f"{info['gunicorn']} ({WORKERS} gthread workers × {THREADS} threads, at most "
        f"{PER_WORKER} connections each), {info['wrk']} "
        f"(1 thread). Load average before each scenario is in the JSON beside the tables.", "",
    ]
    for run in runs:
        parts += [table(run), ""]
    parts += ["#### Targets", "", *targets(runs), ""]
    return "\n".join(parts)


def record(markdown: str, label: str) -> None:
    start, end = f"<!-- bench:{label}:start -->", f"<!-- bench:{label}:end -->"
    current = RECORD.read_text(encoding="utf-8") if RECORD.exists() else "# Benchmark results\n"
    block = f"{start}\n{markdown}\n{end}"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        current = before + block + rest.split(end, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    RECORD.write_text(current, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M", type=str.upper)
    parser.add_argument("--dbs", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=0,
                        help="seconds per scenario (default 4 at S, 8 at M, 10 at L)")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per scenario")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reuse", action="store_true",
                        help="use an existing generated database instead of a fresh one")
    parser.add_argument("--only", default="", help="comma-separated words: only scenarios "
                                                   "whose name contains one")
    parser.add_argument("--record", action="store_true",
                        help="also write the tables into bench/RESULTS.md")
    parser.add_argument("--from-json", type=Path,
                        help="rebuild the report of an earlier run from its JSON under "
                             "bench/results/ (no load run)")
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        markdown = report(saved["runs"], saved["machine"], saved.get("command", "bench.run"),
                          saved.get("measured"))
        print(markdown)
        if args.record:
            record(markdown, args.from_json.stem.split("-", 1)[1])
        return 0
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `apt-get install -y wrk` (make bench does it)")
    sizes = [s for s in args.sizes.split(",") if s]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        sys.exit(f"unknown size(s) {unknown}: choose from {', '.join(SIZES)}")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    info = machine()
    runs = []
    for backend in [d for d in args.dbs.split(",") if d]:
        for size in sizes:
            runs.append(run_one(backend, size, args))
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    measured = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    markdown = report(runs, info, command.strip(), measured)
    backends = [d for d in args.dbs.split(",") if d]
    label = "+".join(sizes) + (
        "" if backends == ["sqlite", "postgres"] else "-" + "+".join(backends))
    (RESULTS / f"{stamp}-{label}.md").write_text(markdown, encoding="utf-8")
    (RESULTS / f"{stamp}-{label}.json").write_text(
        json.dumps({"machine": info, "runs": runs, "command": command.strip(),
                    "measured": measured}, indent=2), encoding="utf-8")
    print("\n" + markdown)
    if args.record:
        record(markdown, label)
        print(f"recorded in {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Several hosts on one machine: PostgreSQL, Redis, an S3 API for photos, three app hosts under
gunicorn, one job worker and nginx in front (deploy/README.md).

    python deploy/cluster.py start     # make cluster
    python deploy/cluster.py stop      # make cluster-stop: only what start started
    python deploy/cluster.py status

Every process it starts writes its pid (and logs) under run/; stop ends those pids only.
"""
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "run"
BIN = ROOT / ".venv" / "bin"
PORTS = (5101, 5102, 5103)
LISTEN = "127.0.0.1:8080"
# PostgreSQL and Redis of the cluster's own, so that the fault test may stop and restart them
# without touching the machine's shared ones (5432, 6379) that other work depends on.
PG_HOST = "127.0.0.1"
PG_PORT = int(os.environ.get("CLUSTER_PG_PORT", "5440"))
PG_VERSION = os.environ.get("CLUSTER_PG_VERSION") or (
    sorted(os.listdir("/etc/postgresql"))[-1] if Path("/etc/postgresql").is_dir() else "15")
PG_CLUSTER = os.environ.get("CLUSTER_PG_NAME", "commons-cluster")  # pg_lsclusters shows it
DATABASE = os.environ.get("CLUSTER_DATABASE", "commons_cluster")
DATABASE_URL = f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{DATABASE}"
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "6390"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
WEB_WORKERS, POOL_SIZE, MAX_OVERFLOW, JOB_THREADS = 2, 2, 1, 2  # per host / process
# Photos in S3-compatible storage every host sees: CLUSTER_S3_ENDPOINT names a running one (the
# university's MinIO, say); else moto's S3 server is started here (in memory: files last as long
# as it runs).
S3_PORT = 9100
S3_ENDPOINT = os.environ.get("CLUSTER_S3_ENDPOINT", f"http://127.0.0.1:{S3_PORT}")
S3_BUCKET = os.environ.get("CLUSTER_S3_BUCKET", "commons-cluster-media")
S3_KEYS = {"MEDIA_S3_ACCESS_KEY": os.environ.get("CLUSTER_S3_ACCESS_KEY", "cluster"),
           "MEDIA_S3_SECRET_KEY": os.environ.get("CLUSTER_S3_SECRET_KEY", "cluster-secret")}


def say(message: str) -> None:
    print(f"cluster: {message}", flush=True)


# --- the environment every host shares ---------------------------------------------------------

def secret_key() -> str:
    """One SECRET_KEY for every host: a session signed by one must be read by the others."""
    path = RUN / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def host_env() -> dict[str, str]:
    return os.environ | {
        "COMMONS_ENV": "production",
        "SECRET_KEY": secret_key(),
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,  # /health, and the job queue (RedisHuey)
        "RATELIMIT_STORAGE_URI": REDIS_URL,  # every host counts in one place
        "PROXY_FIX": "1",  # one nginx in front
        "STATIC_MANIFEST": str(ROOT / "static" / "build" / "manifest.json"),
        "MAIL_BACKEND": "file",  # e-mails land in instance/mail/ instead of an SMTP server
        "PUBLIC_URL": f"http://{LISTEN}",
        "WEB_CONCURRENCY": str(WEB_WORKERS),
        "DB_POOL_SIZE": str(POOL_SIZE),
        "DB_MAX_OVERFLOW": str(MAX_OVERFLOW),
        "MEDIA_STORAGE": "s3",  # every host sees every photo
        "MEDIA_S3_ENDPOINT": S3_ENDPOINT,
        "MEDIA_S3_BUCKET": S3_BUCKET,
        **S3_KEYS,
    }


# --- pids ----------------------------------------------------------------------------------------

def pid_of(name: str, expected: str) -> int | None:
    """The live process run/<name>.pid names, if its command line is what we started."""
    path = RUN / f"{name}.pid"
    try:
        pid = int(path.read_text().split()[0])
        command = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ")
    except (OSError, ValueError, IndexError):
        return None
    return pid if expected.encode() in command else None


def wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        _reap(pid)
        time.sleep(0.1)
    return False


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def stop_pid(name: str, expected: str, sig: int, grace: float) -> None:
    pid = pid_of(name, expected)
    if pid is None:
        (RUN / f"{name}.pid").unlink(missing_ok=True)
        return
    say(f"stopping {name} (pid {pid}, {signal.Signals(sig).name})")
    os.kill(pid, sig)
    if not wait_gone(pid, grace):
        say(f"{name} still running after {grace:.0f}s: SIGKILL")
        kill_host(pid, signal.SIGKILL)
        wait_gone(pid, 5)
    (RUN / f"{name}.pid").unlink(missing_ok=True)


def kill_host(pid: int, sig: int) -> None:
    """The process and its children, as when a machine dies: the whole process group when it has
    one of its own (nginx, the worker; gunicorn --daemon's group is its first fork's, which has
    exited), else the process alone."""
    try:
        group = os.getpgid(pid)
        if group not in (os.getpgrp(), 0, 1):
            os.killpg(group, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - local
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def wait_healthy(url: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(url)[0] == 200:
            return True
        time.sleep(0.2)
    return False


# --- PostgreSQL and Redis: the running ones, or started here -----------------------------------

def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, **kwargs)


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", PG_HOST, "-p", str(PG_PORT), "-q"]).returncode == 0


def pg_ctl(action: str) -> None:
    """pg_ctlcluster on the cluster's own PostgreSQL (start, stop, restart)."""
    run(["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, PG_CLUSTER, action])


def ensure_postgres() -> None:
    """The cluster's own PostgreSQL: created once (pg_createcluster, local connections trusted,
    listening on 127.0.0.1 only) and kept for the next start; started if it is down."""
    if not Path(f"/etc/postgresql/{PG_VERSION}/{PG_CLUSTER}").is_dir():
        say(f"creating PostgreSQL cluster {PG_VERSION}/{PG_CLUSTER} on port {PG_PORT}")
        run(["pg_createcluster", PG_VERSION, PG_CLUSTER, "--port", PG_PORT, "--",
             "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], stdout=subprocess.DEVNULL)
    if pg_ready():
        say(f"PostgreSQL {PG_VERSION}/{PG_CLUSTER} is running on port {PG_PORT}")
        return
    say(f"starting PostgreSQL {PG_VERSION}/{PG_CLUSTER} on port {PG_PORT}")
    pg_ctl("start")
    for _ in range(30):
        if pg_ready():
            return
        time.sleep(1)
    sys.exit("cluster: PostgreSQL did not start")


def redis_ping() -> bool:
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(REDIS_PORT), "ping"],
                          capture_output=True, text=True)
    return ping.stdout.strip() == "PONG"


def start_redis() -> None:
    """A Redis of the cluster's own: nothing kept on disk (the queue and the counters are
    rebuilt), pid and log under run/."""
    if pid_of("redis", "redis-server"):
        say("Redis is running")
        return
    say(f"starting Redis on port {REDIS_PORT}")
    run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", REDIS_PORT,
         "--save", "", "--appendonly", "no", "--dir", RUN,
         "--pidfile", RUN / "redis.pid", "--logfile", RUN / "redis.log"])
    for _ in range(50):
        if pid_of("redis", "redis-server") and redis_ping():
            return
        time.sleep(0.1)
    sys.exit("cluster: Redis did not start (see run/redis.log)")


def ensure_s3() -> None:
    if get(S3_ENDPOINT)[0]:
        say(f"S3 answers at {S3_ENDPOINT}: using it")
    else:
        say(f"S3 is down: starting moto's S3 server on {S3_ENDPOINT}")
        with open(RUN / "s3.log", "ab") as output:
            process = subprocess.Popen(
                [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(S3_PORT)], cwd=RUN,
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True)
        (RUN / "s3.pid").write_text(f"{process.pid}\n")
        deadline = time.monotonic() + 20
        while not get(S3_ENDPOINT)[0]:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("cluster: the S3 server did not start (see run/s3.log)")
            time.sleep(0.2)
    import boto3

    client = boto3.client("s3", endpoint_url=S3_ENDPOINT, region_name="us-east-1",
                          aws_access_key_id=S3_KEYS["MEDIA_S3_ACCESS_KEY"],
                          aws_secret_access_key=S3_KEYS["MEDIA_S3_SECRET_KEY"])
    if S3_BUCKET not in {bucket["Name"] for bucket in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=S3_BUCKET)
        say(f"created the bucket {S3_BUCKET}")


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user="postgres", dbname="postgres",
                         autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (DATABASE,)).fetchone():
            say(f"database {DATABASE} exists")
        else:
            say(f"creating database {DATABASE}")
            connection.execute(f"CREATE DATABASE {DATABASE} TEMPLATE template0 ENCODING 'UTF8' "
                               "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'")
        allowed = int(connection.execute("SHOW max_connections").fetchone()[0])
        reserved = int(connection.execute("SHOW superuser_reserved_connections").fetchone()[0])
    per_process = POOL_SIZE + MAX_OVERFLOW
    budget = WEB_WORKERS * per_process * len(PORTS) + per_process + 1  # hosts, worker, upgrade
    if budget >= allowed - reserved:
        sys.exit(f"cluster: {budget} connections at most, PostgreSQL allows {allowed - reserved}")
    say(f"connections: at most {budget} of PostgreSQL's {allowed - reserved}")


def flask(*arguments: str) -> None:
    run([BIN / "flask", "--app", "wsgi", *arguments], cwd=ROOT, env=host_env())


# --- the hosts ---------------------------------------------------------------------------------

def start_web(port: int) -> None:
    name = f"web-{port}"
    if pid_of(name, "gunicorn"):
        say(f"{name} is running")
        return
    (RUN / f"{name}.pid").unlink(missing_ok=True)
    run([BIN / "gunicorn", "-c", ROOT / "deploy" / "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--daemon", "--pid", RUN / f"{name}.pid",
         "--error-logfile", RUN / f"{name}.log", "--access-logfile", RUN / f"{name}.access.log",
         "--name", f"commons-{port}", "wsgi:app"], cwd=ROOT, env=host_env())
    if not wait_healthy(f"http://127.0.0.1:{port}/health"):
        sys.exit(f"cluster: {name} did not answer /health (see run/{name}.log)")
    say(f"{name} serves http://127.0.0.1:{port} (pid {pid_of(name, 'gunicorn')})")


def start_worker() -> None:
    if pid_of("worker", "huey_consumer"):
        say("worker is running")
        return
    with open(RUN / "worker.out", "ab") as output:
        process = subprocess.Popen(
            [str(BIN / "huey_consumer"), "worker.huey", "--workers", str(JOB_THREADS),
             "--worker-type", "thread", "--flush-locks", "--logfile", str(RUN / "worker.log")],
            cwd=ROOT, env=host_env(), stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True)
    (RUN / "worker.pid").write_text(f"{process.pid}\n")
    time.sleep(2)
    if process.poll() is not None:
        sys.exit("cluster: the job worker stopped at once (see run/worker.out)")
    say(f"worker runs the jobs from Redis (pid {process.pid}, log run/worker.log)")


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if found:
        return found
    say("nginx is missing: installing Debian's package")
    run(["apt-get", "install", "-y", "-q", "nginx"], env=os.environ | {
        "DEBIAN_FRONTEND": "noninteractive"})
    return "/usr/sbin/nginx"


def render_nginx_conf() -> Path:
    as_root = os.geteuid() == 0
    temporary = RUN / "nginx-tmp"
    for part in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temporary / part).mkdir(parents=True, exist_ok=True)
        if as_root:  # nginx's workers run as www-data and write request bodies there
            shutil.chown(temporary / part, "www-data", "www-data")
    upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;"
                          for port in PORTS)
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    for key, value in {"@ROOT@": str(ROOT), "@RUN@": str(RUN), "@LISTEN@": LISTEN,
                       "@UPSTREAMS@": upstreams,
                       "@USER_LINE@": "user www-data;" if as_root else ""}.items():
        text = text.replace(key, value)
    target = ROOT / "deploy" / "nginx.conf"
    target.write_text(text)
    return target


def start_nginx() -> None:
    if pid_of("nginx", "nginx"):
        say("nginx is running")
        return
    binary = nginx_binary()
    conf = render_nginx_conf()
    error_log = str(RUN / "nginx.error.log")
    run([binary, "-t", "-q", "-c", conf, "-e", error_log])
    run([binary, "-c", conf, "-e", error_log])
    if not wait_healthy(f"http://{LISTEN}/health", 10):
        sys.exit("cluster: nginx does not answer (see run/nginx.error.log)")
    say(f"nginx balances http://{LISTEN} over {', '.join(map(str, PORTS))} (config {conf})")


def start() -> None:
    RUN.mkdir(exist_ok=True)
    ensure_postgres()
    start_redis()
    ensure_s3()
    ensure_database()
    say("migrating once, before any host starts")
    flask("db", "upgrade")
    flask("seed-demo", "--if-empty")
    run([BIN / "python", "-m", "app.assets"], cwd=ROOT)
    for port in PORTS:
        start_web(port)
    start_worker()
    start_nginx()
    status, body = get(f"http://{LISTEN}/health")
    say(f"up: http://{LISTEN}/health -> {status} {body.decode().strip()}")


def stop() -> None:
    if not RUN.is_dir():
        say("nothing to stop")
        return
    stop_pid("nginx", "nginx", signal.SIGQUIT, 15)  # first: no new request reaches a host
    for port in PORTS:
        stop_pid(f"web-{port}", "gunicorn", signal.SIGTERM, 40)  # graceful_timeout + a margin
    stop_pid("worker", "huey_consumer", signal.SIGINT, 40)  # huey: SIGINT lets jobs finish
    stop_pid("redis", "redis-server", signal.SIGTERM, 10)
    if (RUN / "s3.pid").exists():
        stop_pid("s3", "moto_server", signal.SIGTERM, 10)
    if pg_ready():  # the cluster's own; its files stay for the next start (pg_dropcluster)
        say(f"stopping PostgreSQL {PG_VERSION}/{PG_CLUSTER}")
        pg_ctl("stop")
    say("stopped")


def status() -> None:
    names = ["nginx", *(f"web-{port}" for port in PORTS), "worker", "redis", "s3"]
    expected = {"nginx": "nginx", "worker": "huey_consumer", "redis": "redis-server",
                "s3": "moto_server"}
    for name in names:
        pid = pid_of(name, expected.get(name, "gunicorn"))
        if pid or name != "s3":
            print(f"{name:10} {'pid ' + str(pid) if pid else 'not running'}")
    print(f"{'postgresql':10} {PG_VERSION}/{PG_CLUSTER} port {PG_PORT} "
          f"{'ready' if pg_ready() else 'not running'}")
    code, body = get(f"http://{LISTEN}/health")
    print(f"{'health':10} {code or 'no answer'} {body.decode().strip()}")
    manifest = ROOT / "static" / "build" / "manifest.json"
    if manifest.exists():
        print(f"{'static':10} {len(json.loads(manifest.read_text()))} fingerprinted files")


if __name__ == "__main__":
    commands = {"start": start, "stop": stop, "status": status}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(commands)}")
    commands[sys.argv[1]]()

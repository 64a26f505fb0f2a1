"""Gunicorn settings for one app host. deploy/cluster.py adds --bind, --pid, --daemon and the
log files per host; on a real machine pass the same with systemd or your supervisor.

Connections: each worker has its own pool of DB_POOL_SIZE + DB_MAX_OVERFLOW connections, so a
deployment opens at most workers x (pool + overflow) x hosts, plus the job worker's; keep that
below PostgreSQL's max_connections minus its reserved ones (cluster.py checks it).
"""
import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
worker_class = "sync"  # one request per worker at a time; nginx in front buffers slow clients
timeout = 30  # a worker silent this long is killed and replaced
# SIGTERM: the master stops accepting at once, the workers finish the requests they are
# serving, for up to graceful_timeout seconds, then exit (SIGKILL after that).
graceful_timeout = 30
keepalive = 2
preload_app = False  # each worker imports the app after the fork: no connection is shared
max_requests, max_requests_jitter = 5000, 500  # recycle workers now and then
control_socket_disable = True  # gunicorn 25+ opens one per user by default; hosts would share it
forwarded_allow_ips = "127.0.0.1"  # nginx; the app reads X-Forwarded-* through ProxyFix

os.environ.setdefault("DB_POOL_SIZE", "2")  # read by app/config.py in each worker
os.environ.setdefault("DB_MAX_OVERFLOW", "1")

# Access lines name the request (its id, as the app's log lines and its 500 page do) and its
# path without the query string or a reset or verification token (app/serving.py).
logger_class = "app.serving.AccessLogger"
access_log_format = ('%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms %({x-request-id}o)s '
                     '"%(a)s"')
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")


def on_starting(server):
    """Production with several workers needs rate limits counted in one place (Redis)."""
    from app.serving import limits_shared

    refusal = limits_shared(dict(os.environ), server.cfg.workers)
    if refusal:
        raise SystemExit(f"Commons will not start: {refusal}")


def post_fork(server, worker):
    """Should preload_app be switched on, the master's pooled connections must not be used by
    the children: drop them (without closing the master's sockets) in each worker."""
    if server.cfg.preload_app:
        from app.extensions import db
        from wsgi import app

        with app.app_context():
            db.engine.dispose(close=False)

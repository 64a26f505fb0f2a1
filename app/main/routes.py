from flask import Blueprint, jsonify, redirect, render_template, url_for

from app import health as checks
from app.main.figures import home_figures

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """How it works, for first-timers, with the promise's live numbers."""
    return render_template("main/home.html", figures=home_figures())


@bp.get("/favicon.ico")
def favicon():
    """Asked for by browsers and crawlers that do not read the page's <link rel="icon">. Not a
    permanent redirect: in production the icon's address carries its content's fingerprint."""
    return redirect(url_for("static", filename="favicon.svg"))


@bp.get("/health")
def health():
    """For load balancers: 503 only when the database is down; without Redis the site works."""
    database = checks.database()
    status = "ok" if database == "ok" else "degraded"
    return (jsonify(status=status, database=database, redis=checks.redis_state()),
            200 if status == "ok" else 503)

from flask import Blueprint, jsonify, redirect, url_for
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    return redirect(url_for("proposals.index"))


@bp.get("/health")
def health():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        db.session.rollback()
        database = "unavailable"
    status = "ok" if database == "ok" else "degraded"
    return jsonify(status=status, database=database), 200 if status == "ok" else 503

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from app.proposals import routes  # noqa: E402,F401

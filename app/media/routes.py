"""Files by their number: a patron's own pending uploads shown back in the form they were held
for, and the photos and documents of project updates and outcomes. Who may see one is asked of
services.visible, as every route that serves a file does."""
from flask import Blueprint, abort
from flask_login import current_user

from app.extensions import db
from app.media import services
from app.media.models import MediaFile
from app.media.serving import send

bp = Blueprint("media", __name__, url_prefix="/uploads")


@bp.get("/<int:file_id>", defaults={"thumb": False}, endpoint="file")
@bp.get("/<int:file_id>/thumb", defaults={"thumb": True}, endpoint="thumb")
def file(file_id: int, thumb: bool):
    found = db.get_or_404(MediaFile, file_id)
    if not services.visible(found, current_user):
        abort(404)  # not there for this person: neither its carrier's nor its own rule allows
    return send(found, thumb=thumb, public=services.visible(found, None))

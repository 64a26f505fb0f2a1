"""A patron's own pending uploads, shown back in the form they were held for."""
from flask import Blueprint, abort
from flask_login import current_user, login_required

from app.extensions import db
from app.media.models import MediaFile
from app.media.serving import send

bp = Blueprint("media", __name__, url_prefix="/uploads")


@bp.get("/<int:photo_id>/thumb")
@login_required
def pending_thumb(photo_id: int):
    photo = db.get_or_404(MediaFile, photo_id)
    if photo.owner_id != current_user.id or not photo.is_pending:
        abort(404)  # someone else's, or attached: served with its proposal's rules
    return send(photo, thumb=True, public=False)

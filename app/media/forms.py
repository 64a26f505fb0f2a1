"""Files posted with a form, read and held the same way by every form that takes them: the
`photos` input with a `photo_alt` description for each, an optional `document` with its
`document_title`, and the files shown back (`shown`) with those still ticked (`keep`) and their
descriptions (`alt-<id>`) or titles (`title-<id>`)."""
from flask import request
from flask_login import current_user
from flask_wtf import FlaskForm

from app.forms import an_id, committing
from app.media import services
from app.media.models import MediaFile


def posted_choice(*, documents: bool) -> services.PhotoChoice:
    kept = {int(value) for value in request.form.getlist("keep") if an_id(value)}
    return services.PhotoChoice(
        files=request.files.getlist("photos"), descriptions=request.form.getlist("photo_alt"),
        shown=[int(value) for value in request.form.getlist("shown") if an_id(value)],
        kept={file_id: request.form.get(f"alt-{file_id}", request.form.get(f"title-{file_id}"))
              for file_id in kept},
        document=request.files.get("document") if documents else None,
        document_title=request.form.get("document_title", ""))


def hold(form: FlaskForm, *, held_for: str, proposal_id: int | None = None,
         documents: bool = False) -> list[MediaFile] | None:
    """The files the form carries, held (committed) before the rest is judged, so that a form
    refused for another reason still has them; None when they were refused, or not posted.
    Documents only where the form takes them (an outcome's)."""
    if not form.is_submitted() or "csrf_token" in form.errors:
        return None
    with committing(form) as holding:
        files = services.take(posted_choice(documents=documents), owner=current_user,
                              proposal_id=proposal_id, held_for=held_for)
    return files if holding.committed else None

"""Photos held, checked, stored, attached and hidden. Flush, never commit: the view's one
transaction keeps the rows; the stored files follow it (written before, deleted if it rolls
back; files of removed rows deleted only once it commits)."""
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import zip_longest

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from app import events
from app.domain import Refused
from app.extensions import db
from app.media import policies, safety, storage
from app.media.models import IMAGE, PDF, MediaFile
from app.timeutil import utcnow

PENDING_FOR = timedelta(days=1)
STORED, DISCARDED = "media_stored", "media_discarded"


@dataclass
class PhotoChoice:
    """What a form said about photos: new files with their descriptions, and which of the
    photos it showed (held from a refused try, or on the proposal) are kept, described so."""
    files: list[FileStorage] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    shown: list[int] = field(default_factory=list)
    kept: dict[int, str | None] = field(default_factory=dict)  # None: description as it was


def held(owner, proposal_id: int | None = None) -> list[MediaFile]:
    """The owner's pending uploads and, when editing, the proposal's photos."""
    if owner is None or not getattr(owner, "is_authenticated", False):
        return []
    mine = ((MediaFile.owner_id == owner.id) & MediaFile.proposal_id.is_(None)
            & MediaFile.outcome_id.is_(None))
    where = or_(mine, MediaFile.proposal_id == proposal_id) if proposal_id else mine
    return list(db.session.scalars(select(MediaFile).where(where, MediaFile.kind == IMAGE)
                                   .order_by(MediaFile.position, MediaFile.id)))


def of_proposal(proposal_id: int) -> list[MediaFile]:
    return list(db.session.scalars(select(MediaFile).where(
        MediaFile.proposal_id == proposal_id).order_by(MediaFile.position, MediaFile.id)))


def read(photo: MediaFile) -> bytes | None:
    """The photo's display file, as stored."""
    return storage.current().read(photo.key)


def public_of_proposal(proposal_id: int) -> list[MediaFile]:
    """For the API, asked only about public proposals: the photos staff did not hide."""
    return [photo for photo in of_proposal(proposal_id) if photo.hidden_at is None]


def take(choice: PhotoChoice, *, owner, proposal_id: int | None = None) -> list[MediaFile]:
    """The photos after this form: unticked ones removed, ticked ones described anew, new files
    checked, re-encoded and stored as pending uploads. Every new file is checked before any is
    stored, so a refusal (about the `photos` field) stores nothing."""
    photos = {photo.id: photo for photo in held(owner, proposal_id)}
    for photo_id in choice.shown:
        if photo_id in photos and photo_id not in choice.kept:
            remove(photos.pop(photo_id))
    for photo_id, description in choice.kept.items():
        if photo_id in photos and description is not None:
            photos[photo_id].alt_text = description.strip()[:300]
    new = [file for file in choice.files if file and file.filename]
    most = current_app.config["MEDIA_MAX_PHOTOS"]
    if new and len(photos) + len(new) > most:  # a merge may have carried more: they stay
        raise Refused(ngettext("A proposal carries at most %(num)d photo.",
                               "A proposal carries at most %(num)d photos.", most),
                      field="photos")
    made = [(_checked(file), description) for file, description in
            zip_longest(new, choice.descriptions[:len(new)], fillvalue="")]
    stored = [_store(image, description, owner) for image, description in made]
    db.session.flush()
    return [*photos.values(), *stored]


def _checked(file: FileStorage) -> safety.SafeImage:
    limit = current_app.config["MEDIA_MAX_BYTES"]
    return safety.safe_image(
        file.stream.read(limit + 1), (file.filename or "")[:80], max_bytes=limit,
        max_pixels=current_app.config["MEDIA_MAX_PIXELS"],
        max_side=current_app.config["MEDIA_MAX_SIDE"])


def _store(image: safety.SafeImage, description: str, owner) -> MediaFile:
    files = storage.current()
    key, thumb_key = storage.new_key(), storage.new_key()
    db.session.info.setdefault(STORED, []).extend((key, thumb_key))
    files.put(key, image.display.data, image.content_type)
    files.put(thumb_key, image.thumb.data, image.content_type)
    photo = MediaFile(
        owner_id=owner.id, kind=IMAGE, key=key, thumb_key=thumb_key,
        content_type=image.content_type, byte_size=len(image.display.data),
        width=image.display.width, height=image.display.height,
        thumb_width=image.thumb.width, thumb_height=image.thumb.height,
        alt_text=(description or "").strip()[:300], created_at=utcnow())
    db.session.add(photo)
    return photo


def refuse_undescribed(photos: list[MediaFile]) -> None:
    """Every photo says what it shows, for people who cannot see it."""
    missing = [number for number, photo in enumerate(photos, 1) if not photo.alt_text]
    if missing:
        raise Refused(ngettext(
            "Describe photo %(numbers)s for people who cannot see it.",
            "Describe photos %(numbers)s for people who cannot see them.", len(missing),
            numbers=", ".join(map(str, missing))), field="photos")


def attach(photos: list[MediaFile], proposal_id: int) -> None:
    for position, photo in enumerate(photos):
        photo.proposal_id, photo.position = proposal_id, position
    db.session.flush()


def attach_document(file: FileStorage, *, title: str, owner, outcome_id: int) -> MediaFile:
    """A PDF as evidence for an outcome, with the title readers see. Checked before it is
    stored; a refusal is about the `document` field."""
    if not (title or "").strip():
        raise Refused(_("Give the document a title, for example “Survey results, May”."),
                      field="document_title")
    limit = current_app.config["MEDIA_MAX_BYTES"]
    data = safety.safe_pdf(file.stream.read(limit + 1), (file.filename or "")[:80],
                           max_bytes=limit)
    key = storage.new_key()
    db.session.info.setdefault(STORED, []).append(key)
    storage.current().put(key, data, "application/pdf")
    document = MediaFile(owner_id=owner.id, outcome_id=outcome_id, kind=PDF, key=key,
                         content_type="application/pdf", byte_size=len(data),
                         title=title.strip()[:200], created_at=utcnow())
    db.session.add(document)
    db.session.flush()
    return document


def documents_of_outcomes(outcome_ids: list[int]) -> dict[int, list[MediaFile]]:
    found: dict[int, list[MediaFile]] = {}
    if outcome_ids:
        for document in db.session.scalars(select(MediaFile).where(
                MediaFile.outcome_id.in_(outcome_ids)).order_by(MediaFile.id)):
            found.setdefault(document.outcome_id, []).append(document)
    return found


def carry_over(source_id: int, target_id: int) -> list[tuple[int, int]]:
    """A merged proposal's photos go with its supports, after the target's own; returns each
    moved photo with the position it had, for an undo."""
    after = len(of_proposal(target_id))
    moved = []
    for position, photo in enumerate(of_proposal(source_id), after):
        moved.append((photo.id, photo.position))
        photo.proposal_id, photo.position = target_id, position
    db.session.flush()
    return moved


def carry_back(target_id: int, source_id: int, photos: list[tuple[int, int]]) -> None:
    """An undone merge takes back the photos it carried that are still on the target, to the
    places they had; the target's own close up after them."""
    places = dict(photos)
    for photo in of_proposal(target_id):
        if photo.id in places:
            photo.proposal_id, photo.position = source_id, places[photo.id]
    for position, photo in enumerate(of_proposal(target_id)):
        photo.position = position
    db.session.flush()


def remove(photo: MediaFile) -> None:
    db.session.info.setdefault(DISCARDED, []).extend(photo.keys())
    db.session.delete(photo)


def remove_all_of(owner) -> None:
    """A closed account's photos, pending or on their proposals: rows now, files on commit."""
    for photo in db.session.scalars(select(MediaFile).where(MediaFile.owner_id == owner.id)):
        remove(photo)
    db.session.flush()


def hide(photo: MediaFile, *, by, hidden: bool) -> None:
    if not policies.can_hide(by, photo):
        raise Refused(_("Only library staff can hide or restore photos."))
    photo.hidden_at = utcnow() if hidden else None
    db.session.flush()
    events.photo_hidden.send(photo, by=by, hidden=hidden)


def forget_stale_pending(now=None) -> int:
    """Pending uploads nobody used within a day: rows and files go."""
    stale = db.session.scalars(select(MediaFile).where(
        MediaFile.proposal_id.is_(None), MediaFile.outcome_id.is_(None),
        MediaFile.created_at < (now or utcnow()) - PENDING_FOR))
    removed = 0
    for photo in stale:
        remove(photo)
        removed += 1
    db.session.flush()
    return removed


@event.listens_for(Session, "after_commit")
def _delete_discarded(session: Session) -> None:
    session.info.pop(STORED, None)
    _delete(session.info.pop(DISCARDED, ()))


@event.listens_for(Session, "after_soft_rollback")
def _delete_orphans(session: Session, previous_transaction) -> None:
    """Files written for rows that will never be: the transaction rolled back."""
    session.info.pop(DISCARDED, None)
    _delete(session.info.pop(STORED, ()))


def _delete(keys) -> None:
    if not keys:
        return
    files = storage.current()
    for key in keys:
        try:
            files.delete(key)
        except Exception:  # a file left behind costs space, not correctness
            current_app.logger.warning("could not delete media file %s", key, exc_info=True)

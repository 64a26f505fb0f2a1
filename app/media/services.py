"""Photos and documents held, checked, stored, attached, hidden, and who may see them. Flush,
never commit: the view's one transaction keeps the rows; the stored files follow it (written
before, deleted if it rolls back; files of removed rows deleted only once it commits). A file
whose transaction never ended at all (the process killed between) is swept by the hourly task:
stored keys that no row names, older than a day."""
from collections.abc import Callable
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
from app.auth.policies import is_signed_in
from app.domain import Refused
from app.extensions import db
from app.media import policies, safety, storage
from app.media.models import IMAGE, PDF, MediaFile
from app.timeutil import utcnow

PENDING_FOR = timedelta(days=1)
STORED, DISCARDED = "media_stored", "media_discarded"
MAX_DOCUMENTS = 4  # an outcome's PDFs

# Who may see what carries a file: "proposal", "update", "outcome" -> rule(viewer, id). The
# features that carry files register their rule (media may not import them: they import media).
_carrier_rules: dict[str, Callable[[object, int], bool]] = {}


def carrier_rule(kind: str):
    def register(rule: Callable[[object, int], bool]):
        _carrier_rules[kind] = rule
        return rule
    return register


def visible(file: MediaFile, viewer) -> bool:
    """Who may see this file, asked by every route that serves one: a pending upload only its
    owner; an attached file whoever may see what carries it, unless staff hid it (then staff and
    its owner, policies.can_view). `viewer` None is a visitor."""
    carrier = file.carrier
    if carrier is None:
        return is_signed_in(viewer) and viewer.id == file.owner_id
    rule = _carrier_rules.get(carrier[0])
    return bool(rule and rule(viewer, carrier[1])) and policies.can_view(viewer, file)


@dataclass
class PhotoChoice:
    """What a form said about files: new photos with their descriptions, a new document with
    its title, and which of the files it showed (held from a refused try, or on the proposal)
    are kept, described (a photo) or titled (a document) so."""
    files: list[FileStorage] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    shown: list[int] = field(default_factory=list)
    kept: dict[int, str | None] = field(default_factory=dict)  # None: description as it was
    document: FileStorage | None = None
    document_title: str = ""


def held(owner, proposal_id: int | None = None, *, held_for: str = "",
         kinds: tuple[str, ...] = (IMAGE,)) -> list[MediaFile]:
    """The owner's pending uploads held for this form and, when editing, the proposal's
    photos."""
    if not is_signed_in(owner):
        return []
    mine = ((MediaFile.owner_id == owner.id) & _pending() & (MediaFile.held_for == held_for))
    where = or_(mine, MediaFile.proposal_id == proposal_id) if proposal_id else mine
    return list(db.session.scalars(select(MediaFile).where(where, MediaFile.kind.in_(kinds))
                                   .order_by(MediaFile.position, MediaFile.id)))


def _pending():
    return (MediaFile.proposal_id.is_(None) & MediaFile.outcome_id.is_(None)
            & MediaFile.update_id.is_(None))


def of_proposal(proposal_id: int) -> list[MediaFile]:
    return list(db.session.scalars(select(MediaFile).where(
        MediaFile.proposal_id == proposal_id).order_by(MediaFile.position, MediaFile.id)))


def read(photo: MediaFile) -> bytes | None:
    """The photo's display file, as stored."""
    return storage.current().read(photo.key)


def public_of_proposal(proposal_id: int) -> list[MediaFile]:
    """For the API, asked only about public proposals: the photos staff did not hide."""
    return [photo for photo in of_proposal(proposal_id) if photo.hidden_at is None]


def take(choice: PhotoChoice, *, owner, proposal_id: int | None = None,
         held_for: str = "") -> list[MediaFile]:
    """The files after this form: unticked ones removed, ticked ones described anew, new files
    checked (photos re-encoded) and stored as pending uploads held for this form. Every new file
    is checked before any is stored, so a refusal (about the `photos` or `document` field)
    stores nothing. Photos first, then documents."""
    files = {file.id: file for file in held(owner, proposal_id, held_for=held_for,
                                            kinds=(IMAGE, PDF))}
    for file_id in choice.shown:
        if file_id in files and file_id not in choice.kept:
            remove(files.pop(file_id))
    for file_id, about in choice.kept.items():
        if file_id in files and about is not None:
            _describe(files[file_id], about)
    new = [file for file in choice.files if file and file.filename]
    photos = [file for file in files.values() if file.is_image]
    most = current_app.config["MEDIA_MAX_PHOTOS"]
    if new and len(photos) + len(new) > most:  # a merge may have carried more: they stay
        raise Refused(ngettext("A proposal carries at most %(num)d photo.",
                               "A proposal carries at most %(num)d photos.", most)
                      if not held_for else
                      ngettext("Add at most %(num)d photo.", "Add at most %(num)d photos.", most),
                      field="photos")
    document = choice.document if choice.document and choice.document.filename else None
    if document and len(files) - len(photos) >= MAX_DOCUMENTS:
        raise Refused(ngettext("Add at most %(num)d document.", "Add at most %(num)d documents.",
                               MAX_DOCUMENTS), field="document")
    made = [(_checked(file), description) for file, description in
            zip_longest(new, choice.descriptions[:len(new)], fillvalue="")]
    pdf = _checked_pdf(document) if document else None
    stored = [_store(image, description, owner, held_for) for image, description in made]
    if pdf is not None:
        stored.append(_store_pdf(pdf, choice.document_title, owner, held_for))
    db.session.flush()
    return sorted([*files.values(), *stored], key=lambda file: not file.is_image)


def _describe(file: MediaFile, about: str) -> None:
    if file.is_image:
        file.alt_text = about.strip()[:300]
    else:
        file.title = about.strip()[:200]


def _checked(file: FileStorage) -> safety.SafeImage:
    limit = current_app.config["MEDIA_MAX_BYTES"]
    return safety.safe_image(
        file.stream.read(limit + 1), (file.filename or "")[:80], max_bytes=limit,
        max_pixels=current_app.config["MEDIA_MAX_PIXELS"],
        max_side=current_app.config["MEDIA_MAX_SIDE"])


def _checked_pdf(file: FileStorage) -> bytes:
    limit = current_app.config["MEDIA_MAX_BYTES"]
    return safety.safe_pdf(file.stream.read(limit + 1), (file.filename or "")[:80],
                           max_bytes=limit)


def _store(image: safety.SafeImage, description: str, owner, held_for: str = "") -> MediaFile:
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
        alt_text=(description or "").strip()[:300], held_for=held_for, created_at=utcnow())
    db.session.add(photo)
    return photo


def _store_pdf(data: bytes, title: str, owner, held_for: str) -> MediaFile:
    key = storage.new_key()
    db.session.info.setdefault(STORED, []).append(key)
    storage.current().put(key, data, "application/pdf")
    document = MediaFile(owner_id=owner.id, kind=PDF, key=key, content_type="application/pdf",
                         byte_size=len(data), title=(title or "").strip()[:200],
                         held_for=held_for, created_at=utcnow())
    db.session.add(document)
    return document


def refuse_undescribed(files: list[MediaFile]) -> None:
    """Every photo says what it shows, for people who cannot see it; every document has the
    title readers choose it by."""
    photos = [file for file in files if file.is_image]
    missing = [number for number, photo in enumerate(photos, 1) if not photo.alt_text]
    if missing:
        raise Refused(ngettext(
            "Describe photo %(numbers)s for people who cannot see it.",
            "Describe photos %(numbers)s for people who cannot see them.", len(missing),
            numbers=", ".join(map(str, missing))), field="photos")
    if any(not file.title for file in files if not file.is_image):
        raise Refused(_("Give the document a title, for example “Survey results, May”."),
                      field="document_title")


def attach(files: list[MediaFile], proposal_id: int | None = None, *,
           update_id: int | None = None, outcome_id: int | None = None) -> None:
    """The held files now belong to what the accepted form made."""
    for position, file in enumerate(files):
        file.proposal_id, file.update_id, file.outcome_id = proposal_id, update_id, outcome_id
        file.position, file.held_for = position, ""
    db.session.flush()


def carried_by(kind: str, carrier_ids: list[int]) -> dict[int, list[MediaFile]]:
    """The files of these updates or outcomes, by their id, in their order."""
    column = {"update": MediaFile.update_id, "outcome": MediaFile.outcome_id}[kind]
    found: dict[int, list[MediaFile]] = {}
    if carrier_ids:
        for file in db.session.scalars(select(MediaFile).where(column.in_(carrier_ids))
                                       .order_by(MediaFile.position, MediaFile.id)):
            found.setdefault(getattr(file, column.key), []).append(file)
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
    """A closed account's photos, pending or on their proposals: rows now, files on commit.
    What staff put on a project update or an outcome stays with it."""
    for photo in db.session.scalars(select(MediaFile).where(
            MediaFile.owner_id == owner.id, MediaFile.update_id.is_(None),
            MediaFile.outcome_id.is_(None))):
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
        _pending(), MediaFile.created_at < (now or utcnow()) - PENDING_FOR))
    removed = 0
    for photo in stale:
        remove(photo)
        removed += 1
    db.session.flush()
    return removed


def sweep_unreferenced(now=None) -> int:
    """Stored files no row names, written over a day ago: their transaction never committed nor
    rolled back (the process was killed in between). A day, so that no form still being sent
    loses the file it has just written."""
    before = (now or utcnow()) - PENDING_FOR
    files = storage.current()
    swept = 0
    for batch in _batches((key for key, written in files.listing() if written < before), 500):
        named = set(db.session.scalars(select(MediaFile.key).where(MediaFile.key.in_(batch))))
        named |= set(db.session.scalars(select(MediaFile.thumb_key)
                                        .where(MediaFile.thumb_key.in_(batch))))
        for key in batch:
            if key not in named:
                files.delete(key)
                swept += 1
    return swept


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


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

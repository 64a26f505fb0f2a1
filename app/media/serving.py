"""Handing a file out, once the caller has checked who may see it: by the app (local storage)
or by a redirect to a short-lived signed URL (S3). The type is the stored one, never guessed;
images open inline, PDFs download."""
from flask import Response, abort, redirect

from app.media import storage
from app.media.models import MediaFile

FOREVER = "public, max-age=31536000, immutable"  # a key names one content for good
PRIVATELY = "private, max-age=3600"
NOSNIFF = {"X-Content-Type-Options": "nosniff"}


def send(photo: MediaFile, *, thumb: bool = False, public: bool) -> Response:
    key = photo.thumb_key if thumb and photo.thumb_key else photo.key
    disposition = (f'inline; filename="photo-{photo.id}.webp"' if photo.is_image
                   else f'attachment; filename="document-{photo.id}.pdf"')
    cache = FOREVER if public else PRIVATELY
    files = storage.current()
    url = files.signed_url(key, content_type=photo.content_type, disposition=disposition,
                           cache_control=cache)
    if url is not None:
        response = redirect(url, code=302)
        # The redirect only as long as the signature lasts, and only for this person.
        response.headers["Cache-Control"] = "private, max-age=60"
        return response
    data = files.read(key)
    if data is None:
        abort(404)
    return Response(data, content_type=photo.content_type, headers={
        **NOSNIFF, "Content-Disposition": disposition, "Cache-Control": cache,
        "Content-Security-Policy": "default-src 'none'; sandbox"})

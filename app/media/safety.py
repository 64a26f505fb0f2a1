"""What an uploaded file really is, read from its bytes, never from its name or declared type;
images re-encoded so that nothing of the original reaches a browser (no EXIF: no GPS position,
no camera serial; the orientation applied), PDFs checked as PDFs. Anything else is refused."""
import io
import re
import warnings
from dataclasses import dataclass

from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from app.domain import Refused

try:  # HEIC, as iPhones take them: only when the maintained plugin is installed
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - installed with the project
    HEIC = False

DISPLAY_SIDE, THUMB_SIDE = 1600, 480
OUTPUT_TYPE, OUTPUT_FORMAT = "image/webp", "WEBP"
# Markup inside an image is a polyglot: a file that is also a page or a script somewhere.
MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|\?php)",
                    re.IGNORECASE)
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)


@dataclass(frozen=True)
class Encoded:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class SafeImage:
    display: Encoded
    thumb: Encoded
    content_type: str = OUTPUT_TYPE


def _format_of(data: bytes) -> str | None:
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heim", b"heis", b"mif1",
                                               b"msf1", b"hevc"):
        return "HEIF"
    return None


def refuse_unless_small(data: bytes, limit: int, name: str, field: str = "photos") -> None:
    if len(data) > limit:
        raise Refused(_("“%(name)s” is larger than %(size)d MB.", name=name,
                        size=max(1, limit // (1024 * 1024))), field=field)


def safe_image(data: bytes, name: str, *, max_bytes: int, max_pixels: int,
               max_side: int) -> SafeImage:
    """The photo re-encoded for display and as a thumbnail; a Refused (about the `photos`
    field) for anything that is not a JPEG, PNG, WebP or HEIC photo of a sensible size."""
    refuse_unless_small(data, max_bytes, name)
    kind = _format_of(data)
    if kind == "HEIF" and not HEIC:
        raise Refused(_("“%(name)s” is a HEIC photo, which this library cannot read yet. "
                        "Please save it as JPEG and choose it again.", name=name), field="photos")
    if kind is None or MARKUP.search(data):
        raise Refused(_("“%(name)s” is not a JPEG, PNG, WebP or HEIC photo.", name=name),
                      field="photos")
    try:
        picture = _decoded(data, kind, name, max_pixels=max_pixels, max_side=max_side)
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise Refused(_("“%(name)s” could not be read as a photo. It may be damaged.", name=name),
                      field="photos") from None
    return SafeImage(display=_encoded(picture, DISPLAY_SIDE), thumb=_encoded(picture, THUMB_SIDE))


def _decoded(data: bytes, kind: str, name: str, *, max_pixels: int, max_side: int) -> Image.Image:
    with Image.open(io.BytesIO(data), formats=[kind]) as probe:  # reads the header only
        width, height = probe.size
        if width > max_side or height > max_side or width * height > max_pixels:
            raise Refused(_("“%(name)s” is too large a picture (%(width)d × %(height)d pixels).",
                            name=name, width=width, height=height), field="photos")
        probe.verify()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        picture = Image.open(io.BytesIO(data), formats=[kind])
        picture.load()
    upright = ImageOps.exif_transpose(picture)  # the orientation applied, then dropped
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    return upright.convert("RGBA" if has_alpha else "RGB")


def _encoded(picture: Image.Image, side: int) -> Encoded:
    copy = picture.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    copy.save(out, OUTPUT_FORMAT, quality=82, method=4)  # no exif=, no icc: nothing carried over
    return Encoded(out.getvalue(), copy.width, copy.height)


def safe_pdf(data: bytes, name: str, *, max_bytes: int) -> bytes:
    """A PDF by its content (a header and an end-of-file marker); served only as a download."""
    refuse_unless_small(data, max_bytes, name, field="document")
    if not re.match(rb"%PDF-[12]\.\d", data[:8]) or b"%%EOF" not in data[-2048:]:
        raise Refused(_("“%(name)s” is not a PDF document.", name=name), field="document")
    return data

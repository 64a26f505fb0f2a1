"""Photos made in the tests, and the two storages every photo test runs against: the local
folder, and a real S3 API server (moto in server mode) on a loopback port, not a patched boto3."""
import io
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import ExifTags, Image
from pillow_heif import register_heif_opener
from werkzeug.datastructures import Headers

from app.extensions import db
from app.media.models import MediaFile

register_heif_opener()  # to make HEIC photos as an iPhone would
BUCKET = "commons-test-media"
S3_KEYS = {"MEDIA_S3_ACCESS_KEY": "testing-key", "MEDIA_S3_SECRET_KEY": "testing-secret"}


@pytest.fixture(scope="session")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id=S3_KEYS["MEDIA_S3_ACCESS_KEY"],
                 aws_secret_access_key=S3_KEYS["MEDIA_S3_SECRET_KEY"]).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@dataclass
class Stored:
    """What the storage in use holds: counted the way that storage can be asked."""
    kind: str
    app: object
    endpoint: str | None = None

    def count(self) -> int:
        if self.kind == "local":
            return sum(1 for path in Path(self.app.config["MEDIA_FOLDER"]).rglob("*")
                       if path.is_file())
        client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                              aws_access_key_id=S3_KEYS["MEDIA_S3_ACCESS_KEY"],
                              aws_secret_access_key=S3_KEYS["MEDIA_S3_SECRET_KEY"])
        return client.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)


def empty_local(folder: str) -> None:
    for path in Path(folder).rglob("*"):
        if path.is_file():
            path.unlink()


@pytest.fixture(params=["local", "s3"])
def stored(request, app):
    """Every test using it runs twice: local folder, then S3. Starts empty."""
    kind = request.param
    saved = dict(app.config)
    endpoint = None
    if kind == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        app.config.update(MEDIA_STORAGE="s3", MEDIA_S3_BUCKET=BUCKET, MEDIA_S3_ENDPOINT=endpoint,
                          **S3_KEYS)
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id=S3_KEYS["MEDIA_S3_ACCESS_KEY"],
                              aws_secret_access_key=S3_KEYS["MEDIA_S3_SECRET_KEY"])
        for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    else:
        empty_local(app.config["MEDIA_FOLDER"])
    yield Stored(kind, app, endpoint)
    app.config.clear()
    app.config.update(saved)


@dataclass
class Served:
    status: int
    headers: Headers  # names in any case
    body: bytes


def fetch(client, url: str) -> Served:
    """What a browser gets for an image URL: from the app, or from S3 after the app's redirect."""
    response = client.get(url)
    if response.status_code != 302:
        return Served(response.status_code, response.headers, response.data)
    try:
        with urllib.request.urlopen(response.location, timeout=10) as remote:  # noqa: S310 - the test's S3
            return Served(remote.status, Headers(list(remote.headers.items())), remote.read())
    except urllib.error.HTTPError as error:
        return Served(error.code, Headers(list(error.headers.items())), error.read())


def jpeg_with_gps_rotated() -> bytes:
    """60 × 40 stored, EXIF orientation 6 (turn 90° clockwise to show): upright it is 40 × 60.
    The left half red, so upright the top half is red. GPS position and a camera serial."""
    picture = Image.new("RGB", (60, 40), "blue")
    picture.paste("red", (0, 0, 30, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.Base.BodySerialNumber] = "SERIAL-123456"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 5.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 7.0)
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def image_bytes(format_: str, size=(64, 48), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else (10, 120, 200, 128)).save(
        out, format_)
    return out.getvalue()


def polyglot_jpeg() -> bytes:
    """A real JPEG whose comment segment is a web page: a browser sniffing it would run it."""
    page = b"<html><body><script>alert(document.cookie)</script></body></html>"
    jpeg = image_bytes("JPEG")
    comment = b"\xff\xfe" + (len(page) + 2).to_bytes(2, "big") + page
    return jpeg[:2] + comment + jpeg[2:]


def media_rows() -> int:
    return db.session.query(MediaFile).count()

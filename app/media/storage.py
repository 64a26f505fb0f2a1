"""Where the files live, behind one interface: a folder under instance/ on one machine
(MEDIA_STORAGE=local), S3-compatible object storage when several hosts must see every file
(MEDIA_STORAGE=s3: MinIO, Ceph or a cloud bucket). Files are named by random ids, never by what
the patron called them; the app checks who may see a file before handing it out, then serves it
itself (local) or redirects to a short-lived signed URL (S3)."""
import re
import secrets
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app

KEY = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def read(self, key: str) -> bytes | None: ...

    def delete(self, key: str) -> None: ...

    def listing(self) -> Iterator[tuple[str, datetime]]:
        """Every stored key with when it was written (naive UTC), for the sweep of files no
        row names."""

    def signed_url(self, key: str, *, content_type: str, disposition: str,
                   cache_control: str) -> str | None:
        """A URL the browser fetches the file from itself, or None: the app sends it."""


class LocalStorage:
    def __init__(self, folder: str):
        if not folder:
            raise RuntimeError("MEDIA_FOLDER must name a folder for MEDIA_STORAGE=local")
        self.root = Path(folder)

    def _path(self, key: str) -> Path:
        if not KEY.match(key):  # a key is ours, never a path someone typed
            raise ValueError("not a media key")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(path)  # whole or not at all

    def read(self, key: str) -> bytes | None:
        path = self._path(key)
        return path.read_bytes() if path.is_file() else None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("*/*"):
            if path.is_file() and KEY.match(path.name) and path.parent.name == path.name[:2]:
                yield path.name, _naive_utc(path.stat().st_mtime)

    def signed_url(self, key: str, **_) -> None:
        return None


class S3Storage:
    def __init__(self, settings):
        import boto3
        from botocore.config import Config

        self.bucket = settings["MEDIA_S3_BUCKET"]
        self.seconds = int(settings["MEDIA_URL_SECONDS"])
        self.client = boto3.client(
            "s3", endpoint_url=settings["MEDIA_S3_ENDPOINT"] or None,
            region_name=settings["MEDIA_S3_REGION"],
            aws_access_key_id=settings["MEDIA_S3_ACCESS_KEY"] or None,
            aws_secret_access_key=settings["MEDIA_S3_SECRET_KEY"] or None,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3},
                          s3={"addressing_style": "path" if settings["MEDIA_S3_ENDPOINT"]
                              else "virtual"}),
        )

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def read(self, key: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            return None

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def listing(self) -> Iterator[tuple[str, datetime]]:
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                if KEY.match(item["Key"]):
                    yield item["Key"], item["LastModified"].astimezone(timezone.utc).replace(
                        tzinfo=None)

    def signed_url(self, key: str, *, content_type: str, disposition: str,
                   cache_control: str) -> str:
        return self.client.generate_presigned_url("get_object", ExpiresIn=self.seconds, Params={
            "Bucket": self.bucket, "Key": key, "ResponseContentType": content_type,
            "ResponseContentDisposition": disposition, "ResponseCacheControl": cache_control,
        })


def _naive_utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc).replace(tzinfo=None)


def _settings_key(settings) -> tuple:
    return tuple(settings.get(name) for name in (
        "MEDIA_STORAGE", "MEDIA_FOLDER", "MEDIA_S3_BUCKET", "MEDIA_S3_ENDPOINT",
        "MEDIA_S3_REGION", "MEDIA_S3_ACCESS_KEY", "MEDIA_S3_SECRET_KEY", "MEDIA_URL_SECONDS"))


def current() -> Storage:
    """The storage the app's settings name, made once per app and settings."""
    settings = current_app.config
    kept = current_app.extensions.get("media_storage")
    if kept is None or kept[0] != _settings_key(settings):
        storage = (S3Storage(settings) if settings["MEDIA_STORAGE"] == "s3"
                   else LocalStorage(settings["MEDIA_FOLDER"]))
        kept = current_app.extensions["media_storage"] = (_settings_key(settings), storage)
    return kept[1]


def image_origin(settings) -> str | None:
    """The origin signed URLs point to, for the Content-Security-Policy's img-src."""
    if settings.get("MEDIA_STORAGE") != "s3":
        return None
    endpoint = settings.get("MEDIA_S3_ENDPOINT")
    if endpoint:
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return f"https://{settings['MEDIA_S3_BUCKET']}.s3.{settings['MEDIA_S3_REGION']}.amazonaws.com"

"""Static files under fingerprinted names, so that nginx can let browsers keep them for a year.

`python -m app.assets` (make static-build) copies each file of static/ to static/build/ under a
name carrying a hash of its content (css/commons.css -> build/css/commons.3f2a1c9e0b7d.css) and
writes static/build/manifest.json. When STATIC_MANIFEST names that file (the default in
production), `url_for('static', filename='css/commons.css')` gives the fingerprinted address;
without it (development, tests) plain names are served as they are.

Older fingerprints are kept: a page rendered by a host not yet restarted, or kept by a browser,
still finds the files it names. Files referring to others by relative url() would need rewriting;
ours do not.
"""
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

from flask import Flask

STATIC = Path(__file__).resolve().parent.parent / "static"
BUILD = "build"
MANIFEST = "manifest.json"


def build(static_root: Path = STATIC) -> dict[str, str]:
    """Copy every static file to its fingerprinted name; the manifest {plain: fingerprinted}."""
    manifest = {}
    for source in sorted(static_root.rglob("*")):
        relative = source.relative_to(static_root)
        if not source.is_file() or relative.parts[0] == BUILD or source.name.startswith("."):
            continue
        content = source.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:12]
        target = Path(BUILD) / relative.with_name(f"{source.stem}.{digest}{source.suffix}")
        if not (static_root / target).exists():
            _write_atomically(static_root / target, content)
        manifest[relative.as_posix()] = target.as_posix()
    _write_atomically(static_root / BUILD / MANIFEST,
                      json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n")
    return manifest


def _write_atomically(path: Path, content: bytes) -> None:
    """A host reading the file while it is written sees the old one or the new one, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as stream:
        stream.write(content)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)


def init_app(app: Flask) -> None:
    manifest = Path(app.config.get("STATIC_MANIFEST") or "")
    if not manifest.name or not manifest.is_file():
        return
    names = json.loads(manifest.read_text())

    @app.url_defaults
    def fingerprinted(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]


if __name__ == "__main__":
    built = build(Path(sys.argv[1]) if len(sys.argv) > 1 else STATIC)
    print(f"static: {len(built)} files fingerprinted in static/{BUILD}/ ({MANIFEST})")

"""Consistent snapshots of the whole database, taken while the site keeps serving.

SQLite: the online backup API copies pages a few at a time; in WAL mode readers and writers
go on meanwhile, and the copy is one consistent moment. PostgreSQL: pg_dump reads inside a
single repeatable-read transaction; pg_restore --clean puts a dump back.
"""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

PAGES_PER_STEP = 256


class BackupError(Exception):
    """The message is safe to print."""


def create(url: str, target: Path, progress=None) -> Path:
    parsed = make_url(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(_sqlite_path(parsed), target, progress)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq(parsed)])
        if progress:
            progress(1, 1)
    return target


def restore(url: str, source: Path, progress=None) -> None:
    if not source.is_file():
        raise BackupError(f"No snapshot at {source}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_copy(source, _sqlite_path(parsed), progress)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq(parsed)}", str(source)])
        if progress:
            progress(1, 1)


def files_beside(snapshot: Path) -> Path:
    """Where the photos of a snapshot go (local storage): a folder named after it."""
    return snapshot.with_name(snapshot.name + ".media")


def copy_files(source: Path, target: Path) -> int:
    """Photos are named by random ids and never change: copying adds what is missing. Taken
    after the database's snapshot, the copy has the file of every row in it (a file is written
    before its row commits) except one deleted in between; a file without a row is harmless."""
    if not source.is_dir():
        return 0
    copied = 0
    for path in source.rglob("*"):
        if path.is_file() and not path.name.endswith(".part"):
            destination = target / path.relative_to(source)
            if not destination.exists():
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, destination)
                copied += 1
    return copied


def _sqlite_copy(source: Path, target: Path, progress) -> None:
    if not Path(source).is_file():
        raise BackupError(f"No database at {source}")
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.execute("PRAGMA busy_timeout=5000")
        origin.backup(copy, pages=PAGES_PER_STEP,
                      progress=(lambda _status, remaining, total:
                                progress(total - remaining, total)) if progress else None)
    origin.close()
    copy.close()


def _sqlite_path(parsed) -> Path:
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(parsed.database)


def _libpq(parsed) -> str:
    """A libpq URL for pg_dump/pg_restore (they do not know SQLAlchemy's driver suffix)."""
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client).")
    done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())  # noqa: S603 - an argument list we build
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")

"""CSV that Excel opens correctly and safely, written a few hundred rows at a time: every CSV
the site hands out (the staff exports, the dashboard's figures) is written here.

- UTF-8 with a byte-order mark: without it Excel reads the file in the local code page and
  Chinese text turns to mojibake.
- A text cell starting with = + - @, a tab or a carriage return is a formula to a spreadsheet
  (CSV injection): it gets a leading single quote, so it shows as the text it is. So does one
  starting with their full-width forms ＝ ＋ － ＠, which a Chinese input method types and some
  spreadsheets read as the ASCII ones. Numbers and dates come from the database, not from
  people, and stay numbers.
- Moments are on the library's clock, to the minute; the header names the zone (`header`).
- Rows are encoded and handed on in chunks, so memory holds one chunk, never the whole file.
"""
import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from app.timeutil import library_time, zone_name

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CHUNK_ROWS = 200


def cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return library_time(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header(names: list[str]) -> list[str]:
    """Column names as the file's first row: a moment's column (named "…_at") says its zone."""
    return [f"{name} ({zone_name()})" if name.endswith("_at") else name for name in names]


def stream(header: list[str], rows: Iterable, chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([cell(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for value in row])
        if count % chunk_rows == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> bytes:
    chunk = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return chunk

"""Keyset pagination: the cursor carries the sort key of the last row sent, so the next page
starts right after it. Pages neither repeat nor skip rows when new ones arrive, and a deep page
costs what the first one does (no OFFSET).

A cursor is opaque to clients (base64 of a little JSON) but not secret: a forged one can only
move the window over public rows, so it is validated, not signed.
"""
import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_

from app.api.params import MAX_CURSOR, BadParameter
from app.statements import rows_in_order

LARGEST_INT = 2**31 - 1


@dataclass(frozen=True)
class Keyset:
    """The columns a listing is ordered by, all descending, the last one unique (the id)."""

    name: str  # which ordering a cursor was made for
    columns: tuple

    def encode(self, row) -> str:
        values = [_plain(getattr(row, column.key)) for column in self.columns]
        raw = json.dumps({"o": self.name, "k": values}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, token: str) -> list:
        try:
            if len(token) > MAX_CURSOR:
                raise ValueError
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw)
            if data["o"] != self.name:
                raise BadParameter("cursor", "cursor belongs to another sort order; start again "
                                             "without it")
            values = data["k"]
            if not isinstance(values, list) or len(values) != len(self.columns):
                raise ValueError
            return [_typed(value, column.type.python_type)
                    for value, column in zip(values, self.columns, strict=False)]
        except BadParameter:
            raise
        except (ValueError, TypeError, KeyError, RecursionError, binascii.Error):
            raise BadParameter("cursor", "cursor is not one this API gave out") from None

    def after(self, values: list):
        """Rows that sort after the one with these values: (a < x) or (a = x and id < y)."""
        return or_(*(
            and_(*(c == v for c, v in zip(self.columns[:i], values[:i], strict=True)),
                 column < values[i])
            for i, column in enumerate(self.columns)
        ))


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _typed(value, kind: type):
    if kind is datetime:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is not None:
            raise ValueError
        return parsed
    if kind is date:
        return date.fromisoformat(value)
    if kind is int:
        if type(value) is not int or abs(value) > LARGEST_INT:
            raise ValueError
        return value
    if kind is float:
        if type(value) not in (int, float) or not math.isfinite(value):
            raise ValueError
        return float(value)
    raise ValueError


def page(listing, keyset: Keyset, *, limit: int, cursor: str):
    """One page of ORM objects and the cursor of the next page (None on the last one).
    `listing(conditions, reach)` gives the ordered statement of the rows that meet the
    conditions (the cursor's), of which the first `reach` will be read."""
    conditions = (keyset.after(keyset.decode(cursor)),) if cursor else ()
    rows = rows_in_order(listing(conditions, limit + 1), limit + 1)
    items = rows[:limit]
    return items, keyset.encode(items[-1]) if len(rows) > limit else None

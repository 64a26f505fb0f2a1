"""Library-wide settings an admin can change; defaults live here, changes in the database."""
from flask import g
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

DEFAULTS: dict[str, int] = {
    "response_threshold": 20,  # supports that oblige the library to answer
    "response_days": 14,  # days the library promises to answer within
    "flag_threshold": 3,  # distinct patrons whose flags hide content until staff look
}


class Setting(db.Model):
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


def get(key: str) -> int:
    """Read once per request (or app context), then from `g`."""
    if "_settings" not in g:
        stored = {row.key: int(row.value) for row in db.session.scalars(select(Setting))}
        g._settings = DEFAULTS | stored
    return g._settings[key]


def put(key: str, value: int) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    db.session.merge(Setting(key=key, value=str(int(value))))
    db.session.flush()
    g.pop("_settings", None)

"""The university's terms, as the library counts them: spring from 1 February to 31 July,
autumn from 1 August to 31 January (the summer and winter breaks belong to the term they
follow). Days are the library's (app/timeutil.py)."""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from app.timeutil import library_today


@dataclass(frozen=True, order=True)
class Term:
    year: int  # the calendar year the term starts in
    autumn: bool

    @classmethod
    def of(cls, day: date) -> "Term":
        if day.month >= 8:
            return cls(day.year, True)
        if day.month == 1:
            return cls(day.year - 1, True)
        return cls(day.year, False)

    @classmethod
    def current(cls) -> "Term":
        return cls.of(library_today())

    @classmethod
    def from_code(cls, code: str) -> "Term | None":
        """`2026-autumn` or `2027-spring`; anything else is None."""
        year, _dash, half = (code or "").partition("-")
        if not (year.isdecimal() and len(year) == 4 and half in ("spring", "autumn")):
            return None
        return cls(int(year), half == "autumn")

    @property
    def code(self) -> str:
        return f"{self.year}-{'autumn' if self.autumn else 'spring'}"

    @property
    def start(self) -> date:
        return date(self.year, 8, 1) if self.autumn else date(self.year, 2, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 1, 31) if self.autumn else date(self.year, 7, 31)

    @property
    def label(self) -> str:
        if self.autumn:
            return _("Autumn term %(year)d–%(next)d", year=self.year, next=self.year + 1)
        return _("Spring term %(year)d", year=self.year)

    def before(self) -> "Term":
        return Term(self.year, False) if self.autumn else Term(self.year - 1, True)

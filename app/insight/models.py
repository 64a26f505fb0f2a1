"""The dashboard's figures as last worked out, shared by every worker (app/insight/snapshots.py),
and the roll-ups kept as events happen that those figures are read from (app/insight/rollups.py)."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

ALL_BRANCHES = 0  # the scope of a participation row counted for every branch together
NO_DAY = date(1, 1, 1)  # the previous day of someone's first day in a scope


class FigureSnapshot(db.Model):
    __table_args__ = {"info": {"unseen_by_visitors": True}}

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # period, branch, language
    computed_at: Mapped[datetime]  # naive UTC: when the figures' data was read
    body: Mapped[str] = mapped_column(Text)  # the report as JSON


class Population(db.Model):
    """How many people of a patron type the university counts in a term (its enrolment and
    staff figures), entered by an administrator: what participation is measured against."""

    __table_args__ = {"info": {"unseen_by_visitors": True}}

    term: Mapped[str] = mapped_column(String(12), primary_key=True)  # app/terms.py's code
    patron_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    people: Mapped[int]


class Participation(db.Model):
    """A day on which someone proposed, supported or commented, in a scope (all branches, or
    the branch of the proposal), with their previous such day in that scope."""

    __table_args__ = (
        # A period's distinct participants, by patron type, from this index alone.
        Index("ix_participation_first", "scope", "day", "previous_day", "patron_type"),
        {"sqlite_with_rowid": False, "info": {"unseen_by_visitors": True}},
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    scope: Mapped[int] = mapped_column(primary_key=True)  # ALL_BRANCHES or a branch's id
    day: Mapped[date] = mapped_column(primary_key=True)
    previous_day: Mapped[date]  # NO_DAY on their first day in the scope
    patron_type: Mapped[str] = mapped_column(String(20))  # the person's, which never changes


class SupportTally(db.Model):
    """The standing supports given on a day to proposals of a branch, a category and a kind of
    start (by staff or by a patron; invited, in a call, or not): what the dashboard sums for
    any period."""

    __table_args__ = {"sqlite_with_rowid": False, "info": {"unseen_by_visitors": True}}

    day: Mapped[date] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), primary_key=True)
    by_staff: Mapped[bool] = mapped_column(primary_key=True)  # desk intake or a staff idea
    invited: Mapped[bool] = mapped_column(primary_key=True)  # made in a call for ideas
    supports: Mapped[int]


class ParticipantCount(db.Model):
    """How many people took part in a scope on a day, in a week (Monday to Sunday) or in a
    calendar month: the dashboard's participants of a whole bucket, one row instead of an index
    entry per person (app/insight/rollups.py)."""

    __table_args__ = {"sqlite_with_rowid": False, "info": {"unseen_by_visitors": True}}

    scope: Mapped[int] = mapped_column(primary_key=True)  # ALL_BRANCHES or a branch's id
    unit: Mapped[str] = mapped_column(String(5), primary_key=True)  # day, week or month
    first_day: Mapped[date] = mapped_column(primary_key=True)
    last_day: Mapped[date]
    people: Mapped[int]

"""Consultations on a draft: staff publish a draft document (a policy, rules, a floor plan
description) for comments between two moments, stored as naive UTC; whether it is open is
worked out whenever it is read, by the clock, like a call's phase (app/proposals/calls.py).

The draft is Markdown in one or both languages; each level-2 heading (`## `) starts a numbered
section (app/consultations/sections.py). Patrons comment on the whole or on one section: the
comments are proposals' `Comment` rows with `consultation_id` and `section` set, so the same
moderation, flags and limits hold. After the end, staff publish a response written the same
way: an introduction summarising what changed, then one `## ` part per section, in order."""
import enum
from bisect import bisect_right
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, select, union_all
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.consultations.sections import Draft, split
from app.extensions import db
from app.i18n import in_reader_language, translate
from app.proposals.calls import Call, clock
from app.proposals.models import N_
from app.timeutil import utcnow


class State(str, enum.Enum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return translate(STATE_LABELS[self])


STATE_LABELS = {
    State.UPCOMING: N_("Not open for comments yet"),
    State.OPEN: N_("Open for comments"),
    State.CLOSED: N_("Closed for comments"),
}


class Consultation(db.Model):
    __table_args__ = (CheckConstraint("closes_at > opens_at", name="closes_after_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title_en: Mapped[str] = mapped_column(String(140), default="")
    title_zh: Mapped[str] = mapped_column(String(140), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")  # the draft, `## ` per section
    body_zh: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    response_en: Mapped[str] = mapped_column(Text, default="")  # summary, then `## ` per section
    response_zh: Mapped[str] = mapped_column(Text, default="")
    responded_at: Mapped[datetime | None]  # when staff published the response
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call | None] = relationship(lazy="joined")

    @property
    def title(self) -> str:
        return in_reader_language(self.title_en, self.title_zh)

    @property
    def draft(self) -> Draft:
        return split(in_reader_language(self.body_en, self.body_zh))

    @property
    def response(self) -> Draft | None:
        """The published response, in the reader's language when it has one."""
        if self.responded_at is None:
            return None
        return split(in_reader_language(self.response_en, self.response_zh))

    def state(self, now: datetime) -> State:
        if now < self.opens_at:
            return State.UPCOMING
        return State.OPEN if now < self.closes_at else State.CLOSED

    def takes_comments(self, now: datetime) -> bool:
        return self.state(now) is State.OPEN

    def next_change(self, now: datetime) -> datetime | None:
        return next((moment for moment in (self.opens_at, self.closes_at) if moment > now), None)


# Every consultation's opening and closing, as read at a revision of the database
# (app/pagecache.py): between two writes only the clock moves a consultation's state.
_boundaries: tuple[int | None, list[datetime]] = (None, [])


def changes_passed(revision: int | None = None) -> int:
    """How many openings and closings the clock has passed: it grows exactly when some
    consultation opens or closes, so visitors' kept pages are kept under it as well."""
    global _boundaries
    known_at, moments = _boundaries
    if revision is None or known_at != revision:
        moments = sorted(db.session.scalars(union_all(select(Consultation.opens_at),
                                                      select(Consultation.closes_at))))
        if revision is not None:
            _boundaries = (revision, moments)
    return bisect_right(moments, clock())

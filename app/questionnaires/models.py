"""A call's short questionnaire: staff ask a few questions on a call for ideas; signed-in patrons
answer once (one row per patron, a database constraint), change their answers while the call is
open, and may answer anonymously to the public. Results are counted from the rows whenever they
are read: a questionnaire has a few hundred answers, not millions.

A patron's answers sit in one row as JSON, keyed by question id: answering again replaces the
row's answers in a single INSERT … ON CONFLICT DO UPDATE, so no second row, and no half of an
old answer beside half of a new one, can exist even when submissions arrive together."""
import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.i18n import in_reader_language, translate
from app.proposals.calls import Call
from app.proposals.models import N_
from app.timeutil import utcnow

MAX_OPTIONS = 12
MAX_RANKED = 5  # a ranking orders up to five options
SCALE = (1, 2, 3, 4, 5)
MAX_QUESTIONS = 15
TEXT_LENGTH = 500  # a short text answer


class Kind(str, enum.Enum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    RANKING = "ranking"
    TEXT = "text"

    @property
    def label(self) -> str:
        return translate(KIND_LABELS[self])

    @property
    def has_options(self) -> bool:
        return self in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING)


KIND_LABELS = {
    Kind.SINGLE: N_("Single choice"),
    Kind.MULTIPLE: N_("Multiple choice"),
    Kind.SCALE: N_("Scale from 1 to 5"),
    Kind.RANKING: N_("Ranking"),
    Kind.TEXT: N_("Short text"),
}



class Questionnaire(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id"), unique=True)
    results_public: Mapped[bool] = mapped_column(default=False)  # staff switch, after closing
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    call: Mapped[Call] = relationship()
    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire", order_by="Question.position, Question.id",
        cascade="all, delete-orphan", lazy="selectin")

    def is_open(self, now: datetime) -> bool:
        """Answers are taken, and changed, while the call collects ideas or supports."""
        return self.call.takes_supports(now)

    def is_closed(self, now: datetime) -> bool:
        """Past the supporting phase: from here on its results may be made public."""
        return now >= self.call.supporting_ends_at

    def shows_results_publicly(self, now: datetime) -> bool:
        return self.results_public and self.is_closed(now)


class Question(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(20))
    text_en: Mapped[str] = mapped_column(String(300), default="")
    text_zh: Mapped[str] = mapped_column(String(300), default="")
    options_en: Mapped[str] = mapped_column(Text, default="")  # one option a line
    options_zh: Mapped[str] = mapped_column(Text, default="")
    max_choices: Mapped[int | None]  # multiple choice: at most this many

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")

    @property
    def kind_(self) -> Kind:
        return Kind(self.kind)

    @property
    def text(self) -> str:
        return in_reader_language(self.text_en, self.text_zh)

    @property
    def options(self) -> list[str]:
        """The options in the reader's language, option by option."""
        english, chinese = lines(self.options_en), lines(self.options_zh)
        count = max(len(english), len(chinese))
        return [in_reader_language(_at(english, i), _at(chinese, i)) for i in range(count)]

    @property
    def choices(self) -> list[tuple[int, str]]:
        """What an answer picks from: option indexes, or the scale's values."""
        if self.kind_ is Kind.SCALE:
            return [(value, str(value)) for value in SCALE]
        return list(enumerate(self.options))


class Response(db.Model):
    """One patron's answers to one questionnaire: never two rows (the unique constraint)."""
    __tablename__ = "questionnaire_response"
    __table_args__ = (UniqueConstraint("questionnaire_id", "patron_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("questionnaire.id"), index=True)
    patron_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    patron_type: Mapped[str] = mapped_column(String(20))  # as it was when last answered
    anonymous: Mapped[bool] = mapped_column(default=False)  # to the public: no name, anywhere
    answers: Mapped[dict] = mapped_column(JSON, default=dict)  # {question id: value}
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _at(items: list[str], index: int) -> str:
    return items[index] if index < len(items) else ""

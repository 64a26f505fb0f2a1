import enum
from datetime import datetime

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import timeutil
from app.auth.models import User
from app.extensions import db
from app.i18n import translate
from app.timeutil import utcnow


def N_(message: str) -> str:
    """Marks a message for translation where it is shown (pybabel finds N_)."""
    return message


class Status(str, enum.Enum):
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    REJECTED = "rejected"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return translate(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.SUBMITTED: N_("Awaiting moderation"),
    Status.CHANGES_REQUESTED: N_("Changes requested"),
    Status.OPEN: N_("Open for support"),
    Status.UNDER_REVIEW: N_("Under review"),
    Status.ACCEPTED: N_("Accepted"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.COMPLETED: N_("Completed"),
    Status.DECLINED: N_("Declined"),
    Status.REJECTED: N_("Rejected"),
    Status.MERGED: N_("Merged"),
    Status.WITHDRAWN: N_("Withdrawn"),
}

PUBLIC_STATUSES = (
    Status.OPEN, Status.UNDER_REVIEW, Status.ACCEPTED, Status.IN_PROGRESS,
    Status.COMPLETED, Status.DECLINED, Status.MERGED,
)
SUPPORTABLE_STATUSES = (Status.OPEN, Status.UNDER_REVIEW)


class WithdrawReason(str, enum.Enum):
    ELSEWHERE = "elsewhere"  # done elsewhere
    DUPLICATE = "duplicate"
    NOT_NEEDED = "not_needed"
    OTHER = "other"  # the author's own words say why

    @property
    def label(self) -> str:
        return translate(WITHDRAW_REASON_LABELS[self])


WITHDRAW_REASON_LABELS = {
    WithdrawReason.ELSEWHERE: N_("It was done elsewhere"),
    WithdrawReason.DUPLICATE: N_("It duplicates another proposal"),
    WithdrawReason.NOT_NEEDED: N_("It is no longer needed"),
    WithdrawReason.OTHER: N_("Another reason"),
}


class Origin(str, enum.Enum):
    ONLINE = "online"  # a patron wrote it here
    DESK = "desk"  # staff entered it for a patron met at a desk
    STAFF = "staff"  # library staff posted an idea of their own


STAFF_ORIGINS = (Origin.DESK.value, Origin.STAFF.value)  # started by staff, not by a patron


class Initiative(str, enum.Enum):
    """Who started a proposal, as the dashboard tells them apart: a patron of their own accord,
    the library inviting ideas (made in a call, whoever wrote it), or staff (desk, staff idea)."""

    PATRON = "patron"
    INVITED = "invited"
    STAFF = "staff"


class Bilingual:
    """Reference data named in English and Chinese; shown in the reader's language."""

    name_en: Mapped[str]
    name_zh: Mapped[str]

    @property
    def name(self) -> str:
        locale = get_locale()
        return self.name_zh if locale and locale.language == "zh" else self.name_en


class Category(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)


class Branch(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(80))
    name_zh: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)


class Proposal(db.Model):
    __table_args__ = (
        CheckConstraint("support_count >= 0", name="support_count_not_negative"),
        Index("ix_proposal_status_trending", "status", "trending_score"),
        Index("ix_proposal_status_supports", "status", "support_count"),
        # The newest first, status by status; and the dashboard's most supported of a period
        # (repeated ideas), from the index alone.
        Index("ix_proposal_status_created_supports", "status", "created_at", "support_count"),
        Index("ix_proposal_status_activity", "status", "last_activity_at"),
        # The dashboard's submissions in a period, by category, branch and start, index only.
        Index("ix_proposal_created_covering", "created_at", "category_id", "branch_id", "origin"),
        Index("ix_proposal_decided", "decided_at", "status"),  # and decisions in a period
        Index("ix_proposal_published_answered", "published_at", "first_answer_at"),  # answers
        Index("ix_proposal_status_due", "status", "response_due_at"),  # the moderation queue
        Index("ix_proposal_due_decided", "response_due_at", "decided_at"),  # answers in time
        # The similar-proposals hint: every published status, the best supported first, read
        # until 50 candidates match (search.similar) rather than every matching row sorted.
        Index("ix_proposal_supports", "support_count", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(140))
    problem: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    branch_id: Mapped[int] = mapped_column(ForeignKey("branch.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    hide_name: Mapped[bool] = mapped_column(Boolean, default=False)
    origin: Mapped[str] = mapped_column(String(10), default=Origin.ONLINE.value)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=Status.OPEN.value)
    support_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    # Sum of 2^((t - epoch) / half-life) over the proposal's creation and its supports:
    # ordering by it equals ordering by recency-weighted supports, and it changes only on writes.
    trending_score: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    response_due_at: Mapped[datetime | None]
    first_answer_at: Mapped[datetime | None]  # the first public staff answer, for the promise
    decided_at: Mapped[datetime | None]
    feasibility_note: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    hidden_at: Mapped[datetime | None]  # hidden by patrons' flags until staff look
    # The call for ideas it was made in (app/proposals/calls.py): invited participation.
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id"), index=True)
    withdraw_reason: Mapped[str | None] = mapped_column(String(20))  # a WithdrawReason

    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    branch: Mapped[Branch] = relationship(lazy="joined", innerjoin=True)
    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined", innerjoin=True)
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    merged_into: Mapped["Proposal | None"] = relationship(remote_side=[id])

    @property
    def state(self) -> Status:
        return Status(self.status)

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATUSES and self.hidden_at is None

    @property
    def withdrawn_because(self) -> WithdrawReason | None:
        return WithdrawReason(self.withdraw_reason) if self.withdraw_reason else None

    @property
    def stays_readable(self) -> bool:
        """Withdrawn after the public could read it: it stays readable, marked withdrawn."""
        return (self.state is Status.WITHDRAWN and self.published_at is not None
                and self.hidden_at is None)

    def is_overdue(self, now: datetime) -> bool:
        return (self.state == Status.UNDER_REVIEW and self.response_due_at is not None
                and self.response_due_at < now)

    @property
    def takes_support(self) -> bool:
        """Open or under review; in a call, also only while the call collects or supports."""
        if self.state not in SUPPORTABLE_STATUSES:
            return False
        return self.call_id is None or self.call.takes_supports(timeutil.utcnow())

    def commenter_name(self, comment: "Comment") -> str:
        """An author who hid their name stays hidden when commenting on their own proposal."""
        if self.hide_name and comment.author_id == self.author_id:
            return str(_l("the author (%(who)s)", who=self.public_author))
        return comment.author.name

    @property
    def initiative(self) -> Initiative:
        if self.call_id is not None:
            return Initiative.INVITED
        return Initiative.STAFF if self.origin in STAFF_ORIGINS else Initiative.PATRON

    @property
    def public_author(self) -> str:
        """What the public sees of the author: the name, or only the patron type."""
        if self.hide_name:
            return self.author.kind.anonymous_label
        return self.author.name


class Support(db.Model):
    __table_args__ = (
        UniqueConstraint("user_id", "proposal_id"),
        # The dashboard counts a period's supports and supporters from this index alone.
        Index("ix_support_created_covering", "created_at", "proposal_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))  # led by the unique constraint
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)


class ProposalBigram(db.Model):
    """Every pair of adjacent Chinese characters in a proposal's title, problem and suggestion,
    kept by triggers in the database (migration 0008): a two-character search term (座位, 空调)
    has no trigram for the search index, so it is looked up here (app/proposals/search.py)."""

    __table_args__ = (Index("ix_proposal_bigram_proposal_id", "proposal_id"),
                      {"sqlite_with_rowid": False})

    bigram: Mapped[str] = mapped_column(String(2), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"),
                                             primary_key=True)


class ProposalEvent(db.Model):
    """One row of a proposal's timeline: every status change, with who, when and why."""

    __table_args__ = (Index("ix_proposal_event_proposal_created", "proposal_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")

    @property
    def to_state(self) -> Status:
        return Status(self.to_status)


class Comment(db.Model):
    """A comment on a proposal, or on a consultation's draft (app/consultations/): one model,
    so flags, hiding, reading and editing rules, limits and the moderation queue hold for both.
    A consultation comment names its draft's numbered section, or none for the whole."""

    __table_args__ = (
        Index("ix_comment_proposal_created", "proposal_id", "created_at"),
        Index("ix_comment_created", "created_at"),  # the dashboard's comments in a period
        Index("ix_comment_consultation_created", "consultation_id", "created_at"),
        CheckConstraint("(proposal_id IS NULL) <> (consultation_id IS NULL)",
                        name="one_discussion"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    section: Mapped[int | None]  # a consultation's numbered section; None: the whole draft
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    is_official: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[datetime | None]  # hidden by patrons' flags or by staff
    # A reply answers a comment that is not itself a reply: one level deep.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]  # deleted by its author: the place stays, the words go

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class GlossaryTerm(db.Model):
    """One library term in both languages (seat / 座位): the similar-proposals hint finds a
    proposal written in the other language through it (app/proposals/glossary.py). Seeded by
    migration 0024; administrators add and remove pairs."""

    __table_args__ = (UniqueConstraint("english", "chinese"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    english: Mapped[str] = mapped_column(String(40))  # lower case, as matched
    chinese: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

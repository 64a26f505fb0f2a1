"""An append-only record of every staff action: who, what, on which object, why, when."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import events
from app.auth.models import User
from app.extensions import db
from app.media.models import MediaFile
from app.timeutil import utcnow


class AuditEntry(db.Model):
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_id"),
                      {"info": {"unseen_by_visitors": True}})

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


def record(actor: User | None, action: str, subject=None, reason: str = "", *,
           subject_type: str | None = None) -> None:
    """`subject` is the changed row; library-wide changes name a `subject_type` instead."""
    db.session.add(AuditEntry(
        actor_id=actor.id if actor else None, action=action,
        subject_type=subject_type or type(subject).__name__.lower(),
        subject_id=subject.id if subject is not None else 0, reason=reason or "",
    ))


# What staff do, recorded as it happens (app/events.py), in the same transaction.

@events.status_changed.connect
def _moved(proposal, *, by, action, note, **_):
    if by is not None and by.is_staff:
        record(by, action.value, proposal, note)


@events.merge_undone.connect
def _unmerged(source, *, by, target, **_):
    record(by, "undo_merge", source, f"#{target.id}")


@events.official_response_marked.connect
def _official(comment, *, by, official, **_):
    record(by, "mark_official" if official else "unmark_official", comment)


@events.feasibility_noted.connect
def _feasibility(proposal, *, by, note, **_):
    record(by, "feasibility_note", proposal, note)


@events.classification_changed.connect
def _classified(proposal, *, by, **_):
    record(by, "classify", proposal)


@events.flags_resolved.connect
def _flags(subject, *, by, upheld, note, **_):
    record(by, "uphold_flags" if upheld else "dismiss_flags", subject, note,
           subject_type="photo" if isinstance(subject, MediaFile) else None)


@events.comment_hidden.connect
def _hidden(comment, *, by, hidden, note, **_):
    record(by, "hide_comment" if hidden else "restore_comment", comment, note)


@events.photo_hidden.connect
def _photo_hidden(photo, *, by, hidden, **_):
    record(by, "hide_photo" if hidden else "restore_photo", photo, subject_type="photo")


@events.hours_recorded.connect
def _hours(volunteer, *, by, hours, **_):
    record(by, "record_hours", volunteer, str(hours))


@events.project_update_posted.connect
def _update(update, *, project, by, **_):
    record(by, "post_update", project)


@events.milestone_changed.connect
def _milestone(milestone, *, by, done_on, **_):
    record(by, "milestone_done" if done_on else "milestone_reopened", milestone)


@events.role_changed.connect
def _role(user, *, by, role, **_):
    record(by, f"role:{role}", user)


@events.account_suspended.connect
def _suspended(user, *, by, until, reason, **_):
    record(by, "suspend", user, f"until {until:%Y-%m-%d}: {reason}")


@events.suspension_lifted.connect
def _lifted(user, *, by, **_):
    record(by, "lift_suspension", user)


@events.settings_changed.connect
def _settings(by, *, changed, **_):
    record(by, "settings", reason=", ".join(changed), subject_type="setting")


@events.population_saved.connect
def _population(by, *, term, changed, **_):
    record(by, "population", reason=f"{term}: {', '.join(changed)}", subject_type="population")


@events.place_saved.connect
def _place(place, *, by, **_):
    record(by, f"save_{type(place).__tablename__}", place)


@events.glossary_changed.connect
def _glossary(term, *, by, added, **_):
    record(by, "add_glossary_term" if added else "remove_glossary_term", term,
           f"{term.english} = {term.chinese}", subject_type="glossary")


@events.call_created.connect
def _call_created(call, *, by, **_):
    record(by, "create_call", call)


@events.call_changed.connect
def _call_changed(call, *, by, changed, **_):
    record(by, "edit_call", call, ", ".join(changed))


@events.consultation_created.connect
def _consultation_created(consultation, *, by, **_):
    record(by, "create_consultation", consultation)


@events.consultation_changed.connect
def _consultation_changed(consultation, *, by, changed, **_):
    record(by, "edit_consultation", consultation, ", ".join(changed))


@events.consultation_responded.connect
def _consultation_responded(consultation, *, by, first, **_):
    record(by, "publish_response" if first else "edit_response", consultation)


@events.questionnaire_changed.connect
def _questionnaire_changed(questionnaire, *, by, change, **_):
    record(by, change, questionnaire.call)  # the call's page shows its questionnaire


@events.workshop_scheduled.connect
def _workshop_scheduled(workshop, *, by, **_):
    record(by, "schedule_workshop", workshop)


@events.workshop_changed.connect
def _workshop_changed(workshop, *, by, moved, **_):
    record(by, "move_workshop" if moved else "edit_workshop", workshop)


@events.workshop_cancelled.connect
def _workshop_cancelled(workshop, *, by, reason, **_):
    record(by, "cancel_workshop", workshop, reason)


@events.attendance_taken.connect
def _attendance(registration, *, by, attended, **_):
    if by is not None and by.is_staff:
        record(by, "mark_present" if attended else "mark_absent", registration)


@events.minutes_published.connect
def _minutes(workshop, *, by, **_):
    record(by, "publish_minutes", workshop)


@events.workshop_linked.connect
def _workshop_linked(link, *, workshop, by, added, **_):
    target = link.proposal_id or link.milestone_id or link.indicator_id
    record(by, "link_workshop" if added else "unlink_workshop", workshop,
           f"{link.kind.value} {target}")


@events.role_granted_from_claims.connect
def _role_from_claims(user, *, provider, role, group, **_):
    record(None, f"role:{role}", user, f"{provider} group {group}")

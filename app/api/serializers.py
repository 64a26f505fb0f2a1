"""Models as the API shows them: public fields only, built by hand so that nothing private
(e-mail addresses, user ids, hidden names, private notes) can slip in with a new column.

The output does not depend on the reader's language: reference data carries both names, and the
label of an anonymous author is English beside a machine-readable patron type.
"""
from datetime import date, datetime, timezone
from decimal import Decimal

from flask_babel import force_locale

from app.links import public_url
from app.projects.models import Outcome, Project
from app.proposals.calls import PHASES, Call
from app.proposals.models import Comment, Proposal, ProposalEvent
from app.questionnaires import queries as questionnaire_queries
from app.questionnaires.models import Kind, Questionnaire, lines
from app.timeutil import utcnow
from app.workshops.models import Workshop


def stamp(moment: datetime | date | None) -> str | None:
    """ISO 8601; stored times are naive UTC, so they get a Z."""
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
    return moment.isoformat()


def number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def place(reference) -> dict:
    return {"slug": reference.slug, "name_en": reference.name_en, "name_zh": reference.name_zh}


def author(proposal: Proposal) -> dict:
    """The name, or for "hide my name" only the patron type: never the name, never an id."""
    if proposal.hide_name:
        with force_locale("en"):
            label = str(proposal.author.kind.anonymous_label)
        return {"display": label, "anonymous": True, "patron_type": proposal.author.kind.value}
    return {"display": proposal.author.display_name, "anonymous": False, "patron_type": None}


def proposal_summary(proposal: Proposal) -> dict:
    return {
        "id": proposal.id,
        "title": proposal.title,
        "status": proposal.status,
        "category": place(proposal.category),
        "branch": place(proposal.branch),
        "author": author(proposal),
        "origin": proposal.origin,
        "support_count": proposal.support_count,
        "comment_count": proposal.comment_count,
        "created_at": stamp(proposal.created_at),
        "published_at": stamp(proposal.published_at),
        "last_activity_at": stamp(proposal.last_activity_at),
        "response_due_at": stamp(proposal.response_due_at),
        "overdue": proposal.is_overdue(utcnow()),
        "decided_at": stamp(proposal.decided_at),
        "merged_into_id": proposal.merged_into_id,
        "call_id": proposal.call_id,
        "url": public_url("proposals.detail", proposal_id=proposal.id),
        "api_url": public_url("api.proposal", proposal_id=proposal.id),
    }


def proposal_detail(proposal: Proposal, *, timeline: list[ProposalEvent],
                    responses: list[Comment], project_id: int | None,
                    photos: list = ()) -> dict:
    return proposal_summary(proposal) | {
        "problem": proposal.problem,
        "suggestion": proposal.suggestion,
        "feasibility_note": proposal.feasibility_note,
        "timeline": [event(e, proposal) for e in timeline],
        "official_responses": [{"id": c.id, "body": c.body, "created_at": stamp(c.created_at)}
                               for c in responses],
        "project_id": project_id,
        "photos": [photo(p) for p in photos],
    }


def photo(row) -> dict:
    """A public photo: its description (alt text), its size, and where each size is."""
    where = {"proposal_id": row.proposal_id, "photo_id": row.id}
    return {"url": public_url("proposals.photo", **where),
            "thumbnail_url": public_url("proposals.photo", thumb=True, **where),
            "alt": row.alt_text, "width": row.width, "height": row.height}


def event(row: ProposalEvent, proposal: Proposal) -> dict:
    if row.actor is None:
        by = "system"
    elif row.actor.is_staff:
        by = "library"
    else:
        by = "author" if row.actor_id == proposal.author_id else "patron"
    return {"from": row.from_status, "to": row.to_status, "at": stamp(row.created_at),
            "by": by, "note": row.note}


def outcome(row: Outcome) -> dict:
    proposal = row.proposal
    average = row.rating_average
    return {
        "id": row.id,
        "project_id": row.project_id,
        "proposal": {"id": proposal.id, "title": proposal.title,
                     "url": public_url("proposals.detail", proposal_id=proposal.id)},
        "category": place(proposal.category),
        "branch": place(proposal.branch),
        "summary": row.summary,
        "indicators": [{"name": i.name, "before": number(i.before), "after": number(i.after),
                        "unit": i.unit} for i in row.indicators],
        "evidence": row.evidence_links,
        "supporters": row.supporters,
        "volunteers": row.volunteers,
        "rating": {"average": round(average, 2) if average is not None else None,
                   "count": row.rating_count},
        "published_at": stamp(row.published_at),
        "url": public_url("outcomes.index") + f"#outcome-{row.project_id}",
    }


def project(row: Project) -> dict:
    proposal = row.proposal
    return {
        "id": row.id,
        "proposal": {"id": proposal.id, "title": proposal.title,
                     "url": public_url("proposals.detail", proposal_id=proposal.id)},
        "category": place(proposal.category),
        "branch": place(proposal.branch),
        "status": "completed" if row.is_completed else "active",
        "goal": row.goal,
        "volunteer_tasks": row.volunteer_tasks,
        "places": row.places,
        "members": row.members,
        "free_places": row.free_places,
        "starts_on": stamp(row.starts_on),
        "ends_on": stamp(row.ends_on),
        "completed_at": stamp(row.completed_at),
        "milestones": [{"title": m.title, "due_on": stamp(m.due_on), "done_on": stamp(m.done_on)}
                       for m in row.milestones],
        "outcome_id": row.outcome.id if row.outcome else None,
        "url": public_url("projects.detail", project_id=row.id),
    }


def call(row: Call, now: datetime, proposals: int) -> dict:
    """A call in both languages, its phase now and its dates; the closing summary only from
    the results phase on, as its page shows it."""
    summary_shown = row.phase(now).value in ("results", "ended")
    return {
        "id": row.id,
        "title_en": row.title_en,
        "title_zh": row.title_zh,
        "description_en": row.description_en,
        "description_zh": row.description_zh,
        "branch": place(row.branch) if row.branch else None,
        "category": place(row.category) if row.category else None,
        "phase": row.phase(now).value,
        "phases": {phase.value: {"starts_at": stamp(getattr(row, starts)),
                                 "ends_at": stamp(getattr(row, ends))}
                   for phase, starts, ends in PHASES},
        "summary_en": row.summary_en if summary_shown else None,
        "summary_zh": row.summary_zh if summary_shown else None,
        "proposal_count": proposals,
        "created_at": stamp(row.created_at),
        "url": public_url("calls.detail", call_id=row.id),
        "api_url": public_url("api.call", call_id=row.id),
        "proposals_url": public_url("api.proposals", call=row.id),
    }


def questionnaire(found: Questionnaire | None, now: datetime) -> dict | None:
    """A call's questionnaire: its questions in both languages, and its results once staff made
    them public after the call closed. Results are counts; a short-text answer names its
    writer only when it was not given anonymously, and no answer carries an account's id."""
    if found is None or not found.questions:
        return None
    results = None
    if found.shows_results_publicly(now):
        counted = questionnaire_queries.results(found)
        results = {"respondents": counted.respondents.total, "questions": [{
            "id": result.question.id,
            "answered": result.respondents.total,
            "measure": "points" if result.question.kind_ is Kind.RANKING else "answers",
            "options": [{"label": row.label, "count": row.total} for row in result.rows],
            "average": round(result.average, 2) if result.average is not None else None,
            "texts": [{"text": text, "by": name} for text, name in result.texts],
        } for result in counted.questions]}
    return {
        "questions": [{
            "id": question.id, "kind": question.kind, "text_en": question.text_en,
            "text_zh": question.text_zh, "options_en": lines(question.options_en),
            "options_zh": lines(question.options_zh), "max_choices": question.max_choices,
        } for question in found.questions],
        "results_public": found.shows_results_publicly(now),
        "results": results,
    }


def call_changed_at(row: Call, now: datetime) -> datetime | None:
    """The last edit, or the last phase change the clock made since."""
    passed = [getattr(row, column) for _phase, starts, ends in PHASES
              for column in (starts, ends) if getattr(row, column) <= now]
    return newest(row.updated_at, *passed)


def newest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def proposal_changed_at(proposal: Proposal) -> datetime | None:
    return newest(proposal.updated_at, proposal.last_activity_at, proposal.published_at,
                  proposal.decided_at)


def project_changed_at(project: Project, volunteer_moved_at: datetime | None) -> datetime | None:
    return newest(project.created_at, project.completed_at, volunteer_moved_at,
                  proposal_changed_at(project.proposal))


def workshop(row: Workshop) -> dict:
    """Public fields only: never the online link (only that there is one), the registration
    question's answers or who registered."""
    return {
        "id": row.id,
        "title": row.title,
        "description": row.description,
        "starts_at": stamp(row.starts_at),
        "ends_at": stamp(row.ends_at),
        "branch": place(row.branch) if row.branch else None,
        "room": row.room,
        "online": bool(row.online_url),
        "places": row.places,
        "registered": row.registered,
        "free_places": row.free_places,
        "registration_opens_at": stamp(row.opens_at),
        "registration_closes_at": stamp(row.closes_at),
        "patron_types": [kind.value for kind in row.invited_types],
        "project_id": row.project_id,
        "call": {"id": row.call_id, "title_en": row.call.title_en, "title_zh": row.call.title_zh,
                 "url": public_url("calls.detail", call_id=row.call_id),
                 "api_url": public_url("api.call", call_id=row.call_id)} if row.call else None,
        "cancelled": row.is_cancelled,
        "minutes": row.minutes if row.minutes_published_at else None,
        "url": public_url("workshops.detail", workshop_id=row.id),
        "ics_url": public_url("workshops.ics", workshop_id=row.id),
    }

"""Telling patrons what happened to what they care about. Flush, never commit."""
from flask_babel import gettext as _
from sqlalchemy import func, insert, select, update

from app import events
from app.auth.models import EmailFrequency, User
from app.extensions import db
from app.mail import services as mail
from app.notifications.models import Follow, Kind, Notification
from app.proposals.models import Proposal, Status, Support
from app.timeutil import utcnow


def followers(proposal: Proposal) -> list[int]:
    """Who hears of decisions and outcomes: the author, supporters and volunteers, and whoever
    chose to follow; not those who chose to stop."""
    from app.projects.models import Project, Volunteer

    volunteers = select(Volunteer.user_id).join(Project, Project.id == Volunteer.project_id) \
        .where(Project.proposal_id == proposal.id)
    supporters = select(Support.user_id).where(Support.proposal_id == proposal.id)
    ids = set(db.session.scalars(supporters.union(volunteers))) | {proposal.author_id}
    chosen = dict(db.session.execute(select(Follow.user_id, Follow.following)
                                     .where(Follow.proposal_id == proposal.id)).all())
    ids = {uid for uid in ids | set(chosen) if chosen.get(uid, True)}
    first = [proposal.author_id] if proposal.author_id in ids else []
    return [*first, *sorted(ids - {proposal.author_id})]


def is_following(user, proposal: Proposal) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    chosen = db.session.get(Follow, (user.id, proposal.id))
    if chosen is not None:
        return chosen.following
    return user.id in followers(proposal)


def set_following(user: User, proposal: Proposal, following: bool) -> None:
    """Follow or stop following, whatever the patron's part in the proposal implied."""
    chosen = db.session.get(Follow, (user.id, proposal.id))
    if chosen is None:
        db.session.add(Follow(user_id=user.id, proposal_id=proposal.id, following=following,
                              created_at=utcnow()))
    elif chosen.following == following:
        return
    else:
        chosen.following, chosen.created_at = following, utcnow()
    db.session.flush()
    events.follow_changed.send(proposal, by=user, following=following)


def tell(user_ids, kind: Kind, proposal: Proposal, *, note: str = "",
         source: Proposal | None = None) -> None:
    now = utcnow()
    rows = [{"user_id": uid, "kind": kind.value, "proposal_id": proposal.id,
             "source_id": source.id if source else None, "status": proposal.status,
             "note": note, "created_at": now} for uid in user_ids]
    if rows:
        db.session.execute(insert(Notification), rows)
        _mail_now(user_ids, Notification(kind=kind.value, proposal=proposal, source=source,
                                         status=proposal.status, note=note, created_at=now))


def _mail_now(user_ids, notification: Notification) -> None:
    """Patrons who chose immediate e-mail get one, in their own language, through the outbox."""
    readers = db.session.execute(select(User.email, User.locale).where(
        User.id.in_(list(user_ids)), User.email_frequency == EmailFrequency.IMMEDIATE.value))
    for email, locale in readers:
        mail.queue_rendered(email, locale, "mail/notification.txt", notification=notification)


def describe(notification: Notification) -> str:
    """One sentence for the notification centre and for e-mails alike."""
    title = notification.proposal.title
    match Kind(notification.kind):
        case Kind.SUPPORT_CARRIED:
            return _("“%(source)s” was merged into “%(target)s”, so your support now counts "
                     "there.", source=notification.source.title, target=title)
        case Kind.MERGE_UNDONE:
            return _("“%(title)s” is no longer merged into “%(target)s”: the merge was undone, "
                     "and supports given to it count on it again.", title=title,
                     target=notification.source.title)
        case Kind.PROJECT_UPDATE:
            return _("The project for “%(title)s” has news.", title=title)
        case Kind.PROMOTED:
            return _("A place freed up: you are now a volunteer on the project for "
                     "“%(title)s”.", title=title)
        case Kind.OUTCOME:
            return _("“%(title)s” is complete. See what changed and rate the outcome.",
                     title=title)
    return _("“%(title)s” is now %(status)s.", title=title,
             status=Status(notification.status).label)


def status_changed(proposal: Proposal, *, note: str = "", private: bool = False) -> None:
    """The author always hears; followers hear of public decisions, never of private notes."""
    audience = [proposal.author_id] if private else followers(proposal)
    tell(audience, Kind.STATUS_CHANGED, proposal, note=note)


def supports_carried(target: Proposal, source: Proposal, user_ids: list[int]) -> None:
    tell(user_ids, Kind.SUPPORT_CARRIED, target, source=source)


def merge_undone(source: Proposal, target: Proposal) -> None:
    """Once each: the proposal's followers now, with its supporters back among them."""
    tell(followers(source), Kind.MERGE_UNDONE, source, source=target)


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_all_read(user) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow()))

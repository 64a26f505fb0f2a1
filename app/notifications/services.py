"""Telling patrons what happened to what they care about. Flush, never commit."""
from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, select, update

from app import events
from app.auth.models import EmailFrequency, User
from app.extensions import db
from app.mail import services as mail
from app.notifications.models import (
    TOPIC_OF,
    CallWatch,
    Channel,
    Choice,
    Follow,
    Kind,
    Notification,
    Topic,
)
from app.proposals.models import Proposal, Status, Support
from app.timeutil import utcnow

# Choices: whether a patron wants kind of event K on channel C ---------------------------------


def default_wants(frequency: str, topic: Topic, channel: Channel) -> bool:
    """What holds until a patron ticks their own choices: what Commons did before there were
    choices per kind, read from the one e-mail frequency they had chosen. Comment chatter
    reaches nobody; the notification centre shows everything else; decisions, responses,
    project news and calls by e-mail at once (immediate) or in the weekly digest (weekly);
    news of a booked workshop place by e-mail whenever the patron takes any e-mail."""
    if topic is Topic.DISCUSSION:
        return False
    if channel is Channel.IN_APP:
        return True
    if topic is Topic.WORKSHOPS:
        return channel is Channel.EMAIL and frequency != EmailFrequency.NONE.value
    wanted = EmailFrequency.IMMEDIATE if channel is Channel.EMAIL else EmailFrequency.WEEKLY
    return frequency == wanted.value


def _choices(user_ids) -> dict[int, tuple[str, dict[tuple[str, str], bool]]]:
    """Each patron's e-mail frequency and own choices, in two statements for any number."""
    ids = list(user_ids)
    people = {uid: (frequency, {}) for uid, frequency in db.session.execute(
        select(User.id, User.email_frequency).where(User.id.in_(ids), User.deleted_at.is_(None)))}
    for uid, topic, channel, wanted in db.session.execute(
            select(Choice.user_id, Choice.topic, Choice.channel, Choice.wanted)
            .where(Choice.user_id.in_(ids))):
        if uid in people:
            people[uid][1][(topic, channel)] = wanted
    return people


def _decide(frequency: str, own: dict, topic: Topic, channel: Channel) -> bool:
    chosen = own.get((topic.value, channel.value))
    return default_wants(frequency, topic, channel) if chosen is None else chosen


def wants(user_ids, topic: Topic, channel: Channel) -> set[int]:
    """THE question every notification path asks: of these patrons, who wants news of this
    kind on this channel? (Closed accounts want nothing.)"""
    return channels_of(user_ids, topic)[channel]


def channels_of(user_ids, topic: Topic) -> dict[Channel, set[int]]:
    """`wants` for every channel at once, reading the patrons' choices once."""
    people = _choices(user_ids)
    return {channel: {uid for uid, (frequency, own) in people.items()
                      if _decide(frequency, own, topic, channel)} for channel in Channel}


def table_of(user: User) -> dict[tuple[Topic, Channel], bool]:
    """One patron's whole table of choices, for the settings page."""
    frequency, own = _choices([user.id]).get(user.id, (EmailFrequency.NONE.value, {}))
    return {(topic, channel): _decide(frequency, own, topic, channel)
            for topic in Topic for channel in Channel}


def choose(user: User, table: dict[tuple[Topic, Channel], bool]) -> None:
    """Keep the patron's whole table; their old e-mail frequency follows it as a summary."""
    for (topic, channel), wanted in table.items():
        row = db.session.get(Choice, (user.id, topic.value, channel.value))
        if row is None:
            db.session.add(Choice(user_id=user.id, topic=topic.value, channel=channel.value,
                                  wanted=wanted))
        else:
            row.wanted = wanted
    by_mail = any(on for (_t, channel), on in table.items() if channel is Channel.EMAIL)
    by_digest = any(on for (_t, channel), on in table.items() if channel is Channel.DIGEST)
    user.email_frequency = (EmailFrequency.IMMEDIATE if by_mail else EmailFrequency.WEEKLY
                            if by_digest else EmailFrequency.NONE).value
    db.session.flush()


def watched_branches(user: User) -> set[int | None]:
    """The branches whose new calls the patron hears of; None in it: every branch."""
    return set(db.session.scalars(select(CallWatch.branch_id).where(CallWatch.user_id == user.id)))


def watch_calls(user: User, branch_ids: set[int | None]) -> None:
    """Hear of new calls in these branches (None: in every branch), and no others."""
    if None in branch_ids:
        branch_ids = {None}
    db.session.execute(delete(CallWatch).where(CallWatch.user_id == user.id))
    db.session.add_all(CallWatch(user_id=user.id, branch_id=b) for b in sorted(
        branch_ids, key=lambda b: -1 if b is None else b))
    db.session.flush()

# Following proposals -------------------------------------------------------------------------


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


def record(user_ids, kind: Kind, *, proposal: Proposal | None = None, workshop=None,
           call=None, note: str = "", source: Proposal | None = None) -> Notification:
    """The notification rows (for patrons who read it here or in their digest) of one piece of
    news; returns the news itself, unsaved, for the e-mail."""
    return _record(user_ids, channels_of(user_ids, TOPIC_OF[kind]), kind, proposal=proposal,
                   workshop=workshop, call=call, note=note, source=source)


def _record(user_ids, wanting: dict[Channel, set[int]], kind: Kind, *, proposal, workshop, call,
            note, source) -> Notification:
    topic = TOPIC_OF[kind]
    now = utcnow()
    status = proposal.status if proposal is not None else None
    here, digest = wanting[Channel.IN_APP], wanting[Channel.DIGEST]
    rows = [{"user_id": uid, "kind": kind.value, "topic": topic.value,
             "in_app": uid in here, "in_digest": uid in digest,
             "proposal_id": proposal.id if proposal else None,
             "workshop_id": workshop.id if workshop else None,
             "call_id": call.id if call else None,
             "source_id": source.id if source else None, "status": status,
             "note": note, "created_at": now} for uid in user_ids if uid in here or uid in digest]
    if rows:
        db.session.execute(insert(Notification), rows)
    return Notification(kind=kind.value, topic=topic.value, proposal=proposal,
                        workshop=workshop, call=call, source=source, status=status, note=note,
                        created_at=now)


def tell(user_ids, kind: Kind, proposal: Proposal | None = None, *, note: str = "",
         source: Proposal | None = None, workshop=None, call=None) -> None:
    """Tell these patrons, each on the channels they chose for this kind of news."""
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return
    wanting = channels_of(user_ids, TOPIC_OF[kind])
    news = _record(user_ids, wanting, kind, proposal=proposal, workshop=workshop, call=call,
                   note=note, source=source)
    _mail_now(wanting[Channel.EMAIL], news)


def _mail_now(user_ids, notification: Notification) -> None:
    """Patrons who chose e-mail at once get one, in their own language, through the outbox."""
    if not user_ids:
        return
    readers = db.session.execute(select(User.email, User.locale).where(
        User.id.in_(list(user_ids))).order_by(User.id))
    for email, locale in readers:
        mail.queue_rendered(email, locale, "mail/notification.txt", notification=notification)


def link(notification: Notification) -> str:
    """Where a notification leads (a path; e-mails put the site's address before it)."""
    if notification.workshop_id or notification.workshop is not None:
        return f"/workshops/{notification.workshop_id or notification.workshop.id}"
    if notification.call_id or notification.call is not None:
        return f"/calls/{notification.call_id or notification.call.id}"
    return f"/proposals/{notification.proposal_id or notification.proposal.id}"


def link_text(notification: Notification) -> str:
    if notification.workshop_id or notification.workshop is not None:
        return _("See the workshop")
    if notification.call_id or notification.call is not None:
        return _("See the call")
    return _("See the proposal")


def describe(notification: Notification) -> str:
    """One sentence for the notification centre and for e-mails alike, in the reader's
    language."""
    kind = Kind(notification.kind)
    if notification.workshop is not None:
        title = notification.workshop.title
        match kind:
            case Kind.WORKSHOP_MOVED:
                return _("The workshop “%(title)s” has moved: check its new time.", title=title)
            case Kind.WORKSHOP_CANCELLED:
                return _("The workshop “%(title)s” is called off.", title=title)
            case Kind.WORKSHOP_PROMOTED:
                return _("A place freed up: you are now registered for the workshop "
                         "“%(title)s”.", title=title)
        return _("A reminder: the workshop “%(title)s” is coming up.", title=title)
    if notification.call is not None:
        title = notification.call.title
        if kind is Kind.CALL_RESULTS:
            return _("The call “%(title)s” you took part in has published its results.",
                     title=title)
        return _("A new call for ideas is open: “%(title)s”.", title=title)
    title = notification.proposal.title
    match kind:
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
        case Kind.OFFICIAL_RESPONSE:
            return _("The library responded to “%(title)s”.", title=title)
        case Kind.COMMENT:
            return _("Someone commented on “%(title)s”.", title=title)
        case Kind.REPLY:
            return _("Someone replied to your comment on “%(title)s”.", title=title)
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


def _shown(user):
    return Notification.user_id == user.id, Notification.in_app.is_(True)


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        *_shown(user), Notification.read_at.is_(None))) or 0


def recent(user, limit: int = 50) -> list[Notification]:
    """The notification centre: the kinds of news the patron reads here."""
    return list(db.session.scalars(
        select(Notification).where(*_shown(user))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    ))


def mark_all_read(user) -> None:
    """What the centre showed is read; news kept only for the digest waits for it."""
    db.session.execute(update(Notification).where(
        *_shown(user), Notification.read_at.is_(None)).values(read_at=utcnow()))

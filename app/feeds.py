"""Atom 1.0 feeds of public news: new outcomes, new calls for ideas, new workshops, and each
category's newly published proposals.

Built with ElementTree, which escapes text and attributes; HTML content is escaped once more as
the text of a `type="html"` element, as Atom wants. The same public queries as the API decide
what appears, and authors who hide their name appear as their patron type.
"""
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from flask import Blueprint, abort
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select

from app.api import caching, queries
from app.api.serializers import newest, number
from app.i18n import moment as shown_moment
from app.i18n import time_span
from app.links import public_url
from app.markdown import render
from app.projects.models import Outcome
from app.projects.queries import ListFilters
from app.proposals.calls import PHASES, Call
from app.proposals.models import Proposal
from app.statements import rows_in_order
from app.workshops import queries as workshop_queries

bp = Blueprint("feeds", __name__, url_prefix="/feeds")

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50
NEVER = datetime(1970, 1, 1)  # `updated` of a feed without entries
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@bp.get("/outcomes.atom")
def outcomes():
    items = rows_in_order(queries.outcomes(ListFilters()), ENTRIES)
    changed_at = newest(*(o.published_at for o in items))
    feed = _feed(public_url("feeds.outcomes"),
                 public_url("outcomes.index"),
                 f"{_('Commons')} · {_('You said, we did')}",
                 _("What changed because patrons proposed it, with the numbers to show it, and "
                   "how supporters and volunteers rated it."), changed_at)
    for outcome in items:
        _outcome_entry(feed, outcome)
    return _response(feed, changed_at)


@bp.get("/categories/<slug>.atom")
def category(slug: str):
    found = queries.category(slug)
    if found is None:
        abort(404)
    items = queries.category_proposals(found, ENTRIES)
    changed_at = newest(*map(_updated, items))
    feed = _feed(public_url("feeds.category", slug=found.slug),
                 public_url("proposals.index", category=found.slug, sort="newest"),
                 f"{_('Commons')} · {_('Proposals')} · {found.name}", None, changed_at)
    for proposal in items:
        _proposal_entry(feed, proposal)
    return _response(feed, changed_at)


@bp.get("/calls.atom")
def calls():
    """New calls for ideas, the latest opened by staff first (upcoming ones included)."""
    items = rows_in_order(select(Call).order_by(Call.created_at.desc(), Call.id.desc()), ENTRIES)
    changed_at = newest(*(c.updated_at for c in items))
    feed = _feed(public_url("feeds.calls"), public_url("calls.index"),
                 f"{_('Commons')} · {_('Calls for ideas')}",
                 _("For a while, the library asks about one thing: propose ideas while a call "
                   "collects them, support them, then read what the library made of them."),
                 changed_at)
    for call in items:
        entry = _entry(feed, public_url("calls.detail", call_id=call.id), call.title,
                       call.updated_at, call.created_at)
        dates = Markup("").join(
            Markup("<li>{}: {} – {}</li>").format(
                phase.label, shown_moment(getattr(call, starts)),
                shown_moment(getattr(call, ends)))
            for phase, starts, ends in PHASES)
        _text(entry, "content", render(call.description) + Markup("<ul>{}</ul>").format(dates),
              type="html")
    return _response(feed, changed_at)


@bp.get("/workshops.atom")
def workshops():
    items = workshop_queries.newest(ENTRIES)
    changed_at = newest(*(w.updated_at for w in items))
    feed = _feed(public_url("feeds.workshops"), public_url("workshops.index"),
                 f"{_('Commons')} · {_('Workshops')}",
                 _("New co-design workshops: dated sessions with places to register for."),
                 changed_at)
    for workshop in items:
        link = public_url("workshops.detail", workshop_id=workshop.id)
        entry = _entry(feed, link, workshop.title, workshop.updated_at, workshop.created_at)
        when = Markup("<p>{}</p>").format(time_span(workshop.starts_at, workshop.ends_at))
        _text(entry, "content", when + render(workshop.description), type="html")
    return _response(feed, changed_at)


def _feed(self_url: str, page_url: str, title: str, subtitle: str | None,
          updated: datetime | None) -> ET.Element:
    feed = ET.Element("feed", {"xmlns": ATOM,
                               "xml:lang": "zh-Hans" if get_locale().language == "zh" else "en"})
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    if subtitle:
        _text(feed, "subtitle", subtitle)
    _text(feed, "updated", _when(updated or NEVER))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=page_url)
    _text(ET.SubElement(feed, "author"), "name", _("Commons"))
    return feed


def _outcome_entry(feed: ET.Element, outcome: Outcome) -> None:
    proposal = outcome.proposal
    link = public_url("outcomes.index") + f"#outcome-{outcome.project_id}"
    entry = _entry(feed, link, proposal.title, outcome.published_at, outcome.published_at)
    _category(entry, proposal)
    changes = Markup("").join(
        Markup("<li>{}: {} → {} {}</li>").format(i.name, number(i.before), number(i.after), i.unit)
        for i in outcome.indicators)
    _text(entry, "content", render(outcome.summary) + Markup("<ul>{}</ul>").format(changes),
          type="html")


def _proposal_entry(feed: ET.Element, proposal: Proposal) -> None:
    link = public_url("proposals.detail", proposal_id=proposal.id)
    entry = _entry(feed, link, proposal.title, _updated(proposal),
                   proposal.published_at or proposal.created_at)
    _text(ET.SubElement(entry, "author"), "name", proposal.public_author)
    _category(entry, proposal)
    html = (Markup("<h3>{}</h3>").format(_("What is not working")) + render(proposal.problem)
            + Markup("<h3>{}</h3>").format(_("The suggested change")) + render(proposal.suggestion))
    _text(entry, "content", html, type="html")


def _entry(feed: ET.Element, link: str, title: str, updated: datetime,
           published: datetime) -> ET.Element:
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", link)
    _text(entry, "title", title)
    _text(entry, "updated", _when(updated))
    _text(entry, "published", _when(published))
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=link)
    return entry


def _category(entry: ET.Element, proposal: Proposal) -> None:
    ET.SubElement(entry, "category", term=proposal.category.slug,
                  label=_clean(proposal.category.name))


def _updated(proposal: Proposal) -> datetime:
    return max(proposal.published_at or proposal.created_at, proposal.updated_at)


def _text(parent: ET.Element, tag: str, value: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _clean(str(value))
    return element


def _clean(value: str) -> str:
    """XML 1.0 cannot carry most control characters, even escaped: drop them."""
    return NOT_XML.sub("", value)


def _when(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc, microsecond=0).isoformat().replace("+00:00", "Z")


def _response(feed: ET.Element, changed_at: datetime | None):
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    response = caching.cacheable(body, "application/atom+xml", changed_at)
    response.vary.update(("Accept-Language", "Cookie"))  # names and labels follow the language
    return response

"""The rendered content of a proposal list page kept for signed-in patrons, exact to the last write.

The rule: what the list page shows a signed-in viewer in its content (the heading, the filters
and the results: `proposals/_index_content.html`, or `_results.html` alone when htmx asks) and in
its head (`_index_head.html`) depends on the address (path and query: the filters, sort and
page, and the `back` of every support form), the language, whether htmx asked, the data and the
clock's call phases, and on nothing else of the viewer but two things, put on per request:
- the CSRF token, kept as a marker (`pagecache.TOKEN_MARK`) as in the visitors' copy;
- each row's support button, kept in both states ("Support" and "Supported"); the patron's
  supports among the shown ids, one indexed query, choose which one each row shows.
Staff and patrons see the same rows, and a hidden name is hidden in the row for everyone (its
author included: `Proposal.public_author`), so neither is part of the key. The page's header
(the patron's name, notifications, menus) is rendered for each request as before. A copy is
kept under `content_revision.number`, which every write moves (a support too), read before
the data, and under `phase_changes_passed`; `PAGE_CACHE_SECONDS` bounds its age, 0 turns it
off. Copies live in this process's memory (`pagecache.Pages`, emptied when the revision moves),
at most MAX_PAGES of them (a kept list at M is about 35 KB: at most about 20 MB).
"""
from dataclasses import dataclass, replace

from flask import current_app, g, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app import pagecache
from app.htmx import is_htmx
from app.proposals import queries
from app.proposals.calls import phase_changes_passed

# Between a row and its support button, and between the button's two states: never in a page.
MARK = Markup("\x00support\x00")
MAX_PAGES = 500


@dataclass(frozen=True)
class Kept:
    """The page without its rows, the shown ids, the head, and the content cut at MARK: before
    the first button, then per row its button unsupported, supported, and what follows it."""
    page: queries.Page
    ids: tuple[int, ...]
    head: Markup
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Shown:
    page: queries.Page
    head: Markup
    content: Markup


def content(filters: queries.Filters, viewer, per_page: int) -> Shown | None:
    """The page (without its rows), its head and content for a signed-in viewer; None when
    copies are off or the database has no revision yet (the view renders as before)."""
    max_age = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    revision = pagecache.current_revision() if max_age else None
    if revision is None:
        return None
    htmx = is_htmx()  # the view's choice between the results alone and the whole page
    key = (request.full_path, str(get_locale()), htmx, request.headers.get("HX-Request"),
           phase_changes_passed(revision))
    copies = current_app.extensions.get("listcopy")
    if copies is None:
        copies = current_app.extensions.setdefault("listcopy", pagecache.Pages(MAX_PAGES))
    kept = copies.get(revision, key, max_age)
    if kept is None:
        kept = _render(filters, per_page, htmx)
        copies.put(revision, key, kept, max_age)
    supported = queries.supported_ids(kept.ids, viewer)
    shown = [kept.parts[0]]
    for number, proposal_id in enumerate(kept.ids):
        shown += [kept.parts[3 * number + (2 if proposal_id in supported else 1)],
                  kept.parts[3 * number + 3]]
    html = "".join(shown).replace(pagecache.TOKEN_MARK, generate_csrf())
    return Shown(kept.page, kept.head,
                 Markup(html))  # noqa: S704 # nosec B704 - rendered and escaped by Jinja


def _render(filters: queries.Filters, per_page: int, htmx: bool) -> Kept:
    page = queries.page_of(filters, None, per_page)
    shown = {"page": page, "filters": filters, "support_mark": MARK}
    if htmx:
        head, html = "", render_template("proposals/_results.html", **shown)
    else:
        categories = queries.categories()
        head = render_template("proposals/_index_head.html", categories=categories,
                               filters=filters)
        html = render_template("proposals/_index_content.html", **shown, sorts=queries.SORTS,
                               categories=categories, branches=queries.branches(),
                               statuses=queries.status_choices())
    token = g.get("csrf_token")
    parts = tuple((html.replace(token, pagecache.TOKEN_MARK) if token else html).split(MARK))
    assert len(parts) == 3 * len(page.items) + 1  # noqa: S101 - a template that lost a marker
    return Kept(page=replace(page, items=[]), ids=tuple(p.id for p in page.items),
                head=Markup(head),  # noqa: S704 # nosec B704 - rendered and escaped by Jinja
                parts=parts)

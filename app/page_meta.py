"""What browsers and search engines read in a page's head: a description of the page, and, on
public pages, the same page in the other language."""
import html
import re
from urllib.parse import urlencode

import nh3
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context

from app.i18n import LANG_PARAM, TAGS
from app.markdown import render

DESCRIPTION_LENGTH = 160  # about what search results show
SITE = _l("Commons: the library and its patrons improving services together. Every proposal "
          "gets a public answer.")
# A page that has a summary of its own is described by it: (template variable, attribute).
OWN_SUMMARY = {
    "proposals.detail": ("proposal", "problem"),
    "projects.detail": ("project", "goal"),
    "calls.detail": ("call", "description"),
}
# Every other page type, by endpoint.
DESCRIPTIONS = {
    "proposals.index": _l("Ideas from library patrons for a better library: read them, support "
                          "the ones you want and follow the library's public answers."),
    "proposals.new": _l("Propose a change to a library service: say what is not working and "
                        "what you would change."),
    "proposals.edit": _l("Edit a proposal: its title, the problem, the suggested change, its "
                         "category and branch."),
    "projects.index": _l("Co-design projects in which library staff and patron volunteers turn "
                         "accepted proposals into real changes."),
    "projects.start": _l("Start a co-design project from an accepted proposal."),
    "projects.complete": _l("Complete a project: what changed, measured before and after, and "
                            "the evidence."),
    "calls.index": _l("Calls for ideas: for a while, the library asks about one thing. Propose "
                      "ideas, support them and read what came of them."),
    "calls.detail": _l("A call for ideas from the library: its phases, its proposals and, at "
                       "the end, what it brought."),
    "calls.new": _l("Open a call for ideas: what the library asks about, and the dates of its "
                    "phases."),
    "calls.edit": _l("Change a call for ideas: its texts, its dates and its closing summary."),
    "outcomes.index": _l("You said, we did: what changed in the library because patrons "
                         "proposed it, with the figures before and after."),
    "auth.login": _l("Sign in to propose changes to the library, support proposals and "
                     "volunteer."),
    "auth.register": _l("Create an account to propose changes to the library and support other "
                        "patrons' ideas."),
    "recovery.request_reset": _l("Ask for a link to choose a new password."),
    "recovery.reset": _l("Choose a new password for your account."),
    "notifications.index": _l("What happened to the proposals and projects you follow."),
    "notifications.settings": _l("Choose which e-mails you get about the proposals and projects "
                                 "you follow, and how often."),
    "account.profile": _l("Your account and what you have contributed to the library."),
    "account.recognition": _l("A record of what you have contributed to the library, to show "
                              "to others."),
    "account.close": _l("Close your account, and choose what happens to what you wrote."),
    "moderation.queue": _l("Proposals waiting to be published, flagged content and answers "
                           "falling due, for library staff."),
    "insight.dashboard": _l("Figures on proposals, supports, answers and projects by period, "
                            "category and branch, for library staff."),
    "exports.index": _l("Proposals, supports, outcomes and volunteer hours as CSV files, for "
                        "library staff."),
    "admin.users": _l("Accounts, their roles and suspensions."),
    "admin.edit_settings": _l("The rules for answering proposals and for hiding flagged "
                              "content."),
    "admin.places": _l("The categories and library branches that proposals are filed under."),
    "admin.audit_log": _l("Who changed what, and when."),
}


@pass_context
def page_description(context) -> str:
    """The page's own summary where it has one, else a sentence for its type, else the site's."""
    endpoint = request.endpoint
    if endpoint in OWN_SUMMARY:
        name, attribute = OWN_SUMMARY[endpoint]
        thing = context.get(name)
        text = plain_text(getattr(thing, attribute, None) or "")
        if text:
            return shorten(text)
    return str(DESCRIPTIONS.get(endpoint, SITE))


def plain_text(markdown: str) -> str:
    """Markdown as a reader sees it, without markup: one line of text."""
    text = html.unescape(nh3.clean(render(markdown), tags=set()))
    return re.sub(r"\s+", " ", text).strip()


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut at a space when there is one late enough (Chinese has
    none), with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:.，、；：。") + "…"


def is_public_page() -> bool:
    """A page visitors are served from the page cache is public: proposals, projects, outcomes."""
    view = current_app.view_functions.get(request.endpoint)
    return getattr(view, "shown_to_visitors", False)


def language_alternates() -> list[tuple[str, str]]:
    """(hreflang, address) for each language of this public page, and x-default (the language
    the reader's cookie or browser chooses). Addresses start with PUBLIC_URL, never with the
    request's Host: a visitor's page is kept and served to others."""
    if request.method != "GET" or not is_public_page():
        return []
    base = current_app.config["PUBLIC_URL"].rstrip("/") + request.path
    others = [(key, value) for key, value in request.args.items(multi=True) if key != LANG_PARAM]

    def address(tag: str | None) -> str:
        query = urlencode(others + ([(LANG_PARAM, tag)] if tag else []))
        return f"{base}?{query}" if query else base

    return [*((tag, address(tag)) for tag in TAGS.values()), ("x-default", address(None))]

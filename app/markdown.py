"""Markdown for patrons' long text: no raw HTML in, and an allow-list sanitiser out."""
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_parser = MarkdownIt("js-default")  # CommonMark without raw HTML; links are validated
_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "del", "table", "thead", "tbody", "tr", "th", "td",
}
_HEADING_DOWN = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}


def render(text: str | None) -> Markup:
    return _render(text or "")


@lru_cache(maxsize=2048)  # the same texts are shown on every view: parse and clean them once
def _render(text: str) -> Markup:
    html = _parser.render(text)
    for old, new in _HEADING_DOWN.items():  # the page owns h1 and h2
        html = html.replace(old, new)
    clean = nh3.clean(
        html, tags=_TAGS, attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"}, link_rel="nofollow ugc noopener",
    )
    return Markup(clean)  # noqa: S704 - sanitised by nh3 just above # nosec B704

"""The interface languages: which one a request gets, and how times read in it."""
from datetime import date, datetime, timedelta

from babel.dates import format_date, format_datetime
from flask import g, has_request_context, request
from flask.globals import request_ctx
from flask_babel import format_timedelta, get_locale, get_translations, gettext
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from app.auth.safety import page_came_from
from app.timeutil import library_day, library_time, library_zone, utcnow

# Each name in its own language: a reader looks for the one they can read.
LANGUAGES = {"en": "English", "zh_Hans": "简体中文"}
DEFAULT = "en"
COOKIE = "lang"
# ?lang=en or ?lang=zh-Hans: an address that shows one language to anyone, whatever their
# cookie, browser or saved choice (a public page's hreflang alternates link to them).
LANG_PARAM = "lang"
TAGS = {"en": "en", "zh_Hans": "zh-Hans"}  # BCP 47, as in <html lang> and hreflang
FROM_TAG = {tag.lower(): code for code, tag in TAGS.items()}
JUST_NOW = timedelta(minutes=1)
# Browser language tags that mean Simplified Chinese; Traditional (zh-TW, zh-HK, zh-Hant) does not.
SIMPLIFIED = {"zh", "zh-cn", "zh-hans", "zh-sg", "zh-hans-cn", "zh-hans-sg"}


def pick_locale() -> str:
    """The address's ?lang=, else the patron's saved choice, else the cookie, else the
    browser's languages, else English."""
    if not has_request_context():
        return DEFAULT
    asked = FROM_TAG.get(request.args.get(LANG_PARAM, "").lower().replace("_", "-"))
    if asked:
        return asked
    saved = getattr(current_user, "locale", None)
    if saved in LANGUAGES:
        return saved
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return from_accept_language(request.accept_languages) or DEFAULT


def way_back() -> str:
    """Where the language switch returns: this page; after a refused POST (a form shown again
    with its errors), the same address when it also shows a page, else the page the form was
    sent from, as an address that only takes forms would answer "method not allowed"."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    try:
        request_ctx.url_adapter.match(request.path, method="GET")
        return request.path
    except HTTPException:
        return page_came_from() or "/"


def from_accept_language(accepted) -> str | None:
    for tag, _quality in accepted:  # werkzeug keeps them best first
        tag = tag.lower().replace("_", "-")
        if tag in SIMPLIFIED:
            return "zh_Hans"
        if tag == "en" or tag.startswith("en-"):
            return "en"
    return None


def relative_time(moment: datetime) -> str:
    """Reads as "3 days ago" or "3天前", and a moment ahead as "in 12 days" or "12天后";
    `moment` is naive UTC, as stored."""
    delta = moment - utcnow()
    if -JUST_NOW < delta < JUST_NOW:  # also a moment slightly ahead of this server's clock
        return gettext("just now")
    return format_timedelta(delta, add_direction=True)


# Dates and moments as each language writes them, in the library's zone, never with seconds.
DAY = {"en": "d MMM y", "zh_Hans": "y年M月d日"}
MOMENT = {"en": "d MMM y, HH:mm", "zh_Hans": "y年M月d日 HH:mm"}


def day(value: date | datetime) -> str:
    """"7 Dec 2026" or "2026年12月7日"; a stored moment counts on the library's date."""
    if isinstance(value, datetime):
        value = library_day(value)
    return format_date(value, DAY.get(str(get_locale()), DAY[DEFAULT]), locale=get_locale())


def moment(value: datetime) -> str:
    """"7 Dec 2026, 16:05" or "2026年12月7日 16:05" on the library's clock."""
    return format_datetime(library_time(value), MOMENT.get(str(get_locale()), MOMENT[DEFAULT]),
                           tzinfo=library_zone(), locale=get_locale())


HOUR = "HH:mm"


def span(starts: datetime, ends: datetime) -> tuple[str, str]:
    """A session's start and end as read: the end is its time alone when both fall on the same
    library day ("21 Dec 2026, 14:00" and "15:00"), else a moment of its own."""
    if library_day(starts) != library_day(ends):
        return moment(starts), moment(ends)
    return moment(starts), format_datetime(library_time(ends), HOUR, tzinfo=library_zone(),
                                           locale=get_locale())


def _dash(starts: datetime, ends: datetime) -> str:
    return "–" if library_day(starts) == library_day(ends) else " – "


def time_span(starts: datetime, ends: datetime) -> Markup:
    """`span` as two <time> elements: "21 Dec 2026, 14:00–15:00" on one day, "21 Dec 2026,
    14:00 – 22 Dec 2026, 10:00" across days."""
    first, last = span(starts, ends)
    return Markup('<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>').format(
        machine_time(starts), first, _dash(starts, ends), machine_time(ends), last)


def text_span(starts: datetime, ends: datetime) -> str:
    """`time_span` as plain text, for an e-mail: "21 Dec 2026, 14:00–15:00"."""
    first, last = span(starts, ends)
    return f"{first}{_dash(starts, ends)}{last}"


def machine_time(value: datetime) -> str:
    """A stored moment for a `datetime` attribute: UTC to the second (valid HTML)."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _translations():
    """Kept per request and locale (force_locale may change it): Flask-Babel's own lookup
    costs more than the translation, and a page holds a hundred strings and more."""
    locale, kept = get_locale(), g.get("_translations")
    if kept is None or kept[0] is not locale:
        kept = g._translations = (locale, get_translations())
    return kept[1]


def in_reader_language(english: str, chinese: str) -> str:
    """What staff wrote in one or both languages (calls, drafts, questionnaires): in the
    reader's language when it was written, else in the other one, so nobody sees a blank."""
    locale = get_locale()
    first, second = (chinese, english) if locale and locale.language == "zh" else (english, chinese)
    return first or second


def translate(message: str) -> str:
    """gettext through `_translations`, for what is shown many times a page (status labels)."""
    return _translations().ugettext(message)


def install_template_gettext(env) -> None:
    """Templates translate through `_translations`; pgettext for a word whose translation
    depends on where it stands ("What": an action in the audit log, a measure on the dashboard)."""
    env.install_gettext_callables(
        translate,
        lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, message: _translations().upgettext(context, message),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(
            context, singular, plural, n),
    )

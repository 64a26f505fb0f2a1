"""Two languages: a complete Chinese catalogue, no bare English in templates, and the choice of
language (saved setting, cookie, browser) honoured on every page."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from app.auth.models import User
from app.extensions import db
from app.i18n import relative_time
from app.proposals.models import Category
from app.timeutil import utcnow
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "app/translations/zh_Hans/LC_MESSAGES/messages.po"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
MAIL_TEMPLATES = sorted((ROOT / "templates" / "mail").glob("*.txt"))


def _catalogue():
    with CATALOGUE.open("rb") as po:
        return read_po(po, locale="zh_Hans")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def test_every_message_has_a_chinese_translation():
    missing = [str(m.id) for m in _catalogue() if m.id and not _translated(m)]
    assert not missing, "untranslated or fuzzy in the .po: " + "; ".join(missing)


def test_translations_keep_the_placeholders():
    broken = [(str(m.id), [str(e) for e in errors]) for m, errors in _catalogue().check()]
    assert not broken


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """What `make translations` extracts (babel.cfg, the Makefile's keywords), with locations."""
    template = tmp_path_factory.mktemp("pot") / "messages.pot"
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
        "-k", "lazy_gettext", "--ignore-dirs", ".* ._ node_modules", "-o", str(template),
        str(ROOT),
    ])
    with template.open("rb") as pot:
        return [message for message in read_po(pot) if message.id]


def test_the_catalogue_knows_every_string_in_the_code(extracted):
    known = {(message.id, message.context) for message in _catalogue() if message.id}
    new = sorted(str(m.id) for m in extracted if (m.id, m.context) not in known)
    assert not new, "run `make translations` and translate: " + "; ".join(new)


def test_every_e_mail_is_extracted_and_translated_into_chinese(extracted):
    catalogue = _catalogue()
    from_mail = {}
    for message in extracted:
        for path, _line in message.locations:
            if Path(path).resolve().parent == ROOT / "templates" / "mail":
                from_mail.setdefault(Path(path).name, []).append(message)
    assert sorted(from_mail) == [path.name for path in MAIL_TEMPLATES]
    untranslated = [f"{path}: {m.id}" for path, messages in from_mail.items() for m in messages
                    if not (catalogue.get(m.id, context=m.context)
                            and _translated(catalogue.get(m.id, context=m.context)))]
    assert not untranslated, "translate in the .po: " + "; ".join(untranslated)


# One term per concept (README, "Languages"): what the Chinese catalogue must no longer say.
NOT_OUR_TERMS = {
    "提案": "建议", "个支持": "次支持", "审阅": "审核 or 审议", "读者类型": "读者身份",
    "进行中": "实施中", "前读者": "已注销用户", "进展记录": "处理进度", "电子邮箱": "邮箱",
    "测量指标": "衡量指标", "服务洞察": "数据看板", "正式回复": "正式答复", "你说我做": "你提我改",
    "支持 Markdown": "可使用 Markdown", "显示名称": "显示名", "报名志愿者": "报名当志愿者",
    "作者": "建议人", "留言": "评论 or 评价", "总图书馆": "总馆",
}


def test_the_chinese_catalogue_keeps_to_one_term_per_concept():
    off = [f"{m.id} → {m.string}: {bad} (say {good})" for m in _catalogue() if m.id
           for bad, good in NOT_OUR_TERMS.items() if bad in str(m.string)]
    assert not off, "\n".join(off)


def test_the_main_navigation_says_you_propose_we_change(client):
    page = _page(client, **{"Accept-Language": "zh-CN"})
    assert ">你提我改<" in page and "你说我做" not in page


# What a reader never sees: Jinja, comments, scripts, and tags with their attributes, except the
# attributes that are read out or shown (their Jinja is stripped first, so only literals remain).
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
HIDDEN_BLOCKS = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]*>")
SHOWN_ATTRIBUTE = re.compile(r"\b(?:placeholder|title|aria-label|alt)\s*=\s*\"([^\"]*)\"")
BUTTON_VALUE = re.compile(r"<input\b[^>]*type=\"(?:submit|button|reset)\"[^>]*>")
VALUE = re.compile(r"\bvalue\s*=\s*\"([^\"]*)\"")
ENTITY = re.compile(r"&#?\w+;")
URL_PATH = re.compile(r"(?<!\S)/[\w/.-]*")  # an e-mail's links: the site's address, then a path
LETTER = re.compile(r"[^\W\d_]")  # any letter, Latin or CJK


def visible_literals(source: str) -> str:
    text = HIDDEN_BLOCKS.sub(" ", JINJA.sub("", source))
    shown = []
    for tag in TAG.findall(text):
        shown += SHOWN_ATTRIBUTE.findall(tag)
        if BUTTON_VALUE.match(tag):
            shown += VALUE.findall(tag)
    return ENTITY.sub(" ", " ".join([TAG.sub(" ", text), *shown]))


@pytest.mark.parametrize("path", TEMPLATES + MAIL_TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_show_no_text_outside_the_translation_functions(path):
    literals = visible_literals(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        literals = URL_PATH.sub(" ", literals)
    assert not LETTER.search(literals), f"wrap in _(): {' '.join(literals.split())}"


def test_the_template_check_catches_bare_text():
    assert LETTER.search(visible_literals('<p>{{ _("Fine") }} Hello</p>'))
    assert LETTER.search(visible_literals('<input placeholder="Search">'))
    assert LETTER.search(visible_literals('<input type="submit" value="Send">'))
    assert not LETTER.search(visible_literals(
        '<a href="/x" class="y" title="{{ _(\'t\') }}">{{ n }} · → #{{ id }}</a>'))


def _page(client, path="/proposals", **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("header", ["zh", "zh-CN", "zh-Hans", "zh-SG", "fr, zh-CN;q=0.5"])
def test_a_chinese_browser_gets_the_chinese_interface(client, header):
    page = _page(client, **{"Accept-Language": header})
    assert '<html lang="zh-Hans">' in page
    assert "一起把图书馆变得更好" in page


@pytest.mark.parametrize("header", [None, "en-GB", "fr", "zh-TW", "en-US, zh-CN;q=0.8"])
def test_everyone_else_gets_english(client, header):
    page = _page(client, **({"Accept-Language": header} if header else {}))
    assert '<html lang="en">' in page
    assert "Ideas for a better library" in page


def test_category_names_follow_the_language(client):
    category = db.session.scalars(db.select(Category).order_by(Category.position)).first()
    page = _page(client, **{"Accept-Language": "zh-CN"})
    assert category.name_zh in page and f">{category.name_en}<" not in page
    assert f">{category.name_en}<" in _page(client)


def test_form_errors_and_error_pages_are_in_chinese(client):
    client.set_cookie("lang", "zh_Hans")
    assert "找不到这个页面" in client.get("/proposals/999999").get_data(as_text=True)
    refused = client.post("/auth/register", data={}).get_data(as_text=True)
    assert "请更正标出的内容" in refused and "该字段是必填字段" in refused  # ours and WTForms'


def test_the_switcher_sets_a_cookie_and_goes_back(client):
    response = client.post("/language",
                           data={"locale": "zh_Hans", "next": "/proposals?sort=newest"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/proposals?sort=newest"
    assert "lang=zh_Hans" in response.headers["Set-Cookie"]
    assert '<html lang="zh-Hans">' in _page(client)
    client.post("/language", data={"locale": "en"})
    assert '<html lang="en">' in _page(client, **{"Accept-Language": "zh-CN"})


def test_the_switcher_is_in_the_header_without_javascript(client):
    page = _page(client)
    assert 'action="/language?next=/proposals"' in page
    assert 'value="zh_Hans" lang="zh-Hans"' in page and "简体中文" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example",
                                    "", "javascript:alert(1)"])
def test_the_switcher_never_leaves_the_site(client, target):
    response = client.post("/language", data={"locale": "zh_Hans", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/proposals"


def test_the_switcher_goes_back_to_the_page_in_its_action(client):
    page = _page(client, "/proposals?sort=newest")
    action = re.search(r'action="(/language[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.post(action, data={"locale": "zh_Hans"})
    assert response.headers["Location"] == "/proposals?sort=newest"


def test_the_switcher_refuses_an_unknown_language(client):
    assert client.post("/language", data={"locale": "xx"}).status_code == 400


def test_a_patrons_choice_follows_them_to_another_browser(app, client, login, make_user):
    user = make_user()
    login(user)
    client.post("/language", data={"locale": "zh_Hans", "next": "/proposals"})
    assert db.session.get(User, user.id).locale == "zh_Hans"

    elsewhere = app.test_client()  # no cookie, an English browser
    elsewhere.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    page = _page(elsewhere, **{"Accept-Language": "en"})
    assert '<html lang="zh-Hans">' in page and "提出建议" in page


def test_relative_times_read_naturally(app):
    three_days_ago = utcnow() - timedelta(days=3)
    in_three_days = utcnow() + timedelta(days=3, minutes=5)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert relative_time(three_days_ago) == "3天前"
        assert relative_time(utcnow()) == "刚刚"
        assert relative_time(in_three_days) == "3天后"
    with app.app_context(), app.test_request_context():  # a fresh `g`: Flask-Babel caches there
        assert relative_time(three_days_ago) == "3 days ago"
        assert relative_time(in_three_days) == "in 3 days"


def test_a_calls_countdown_counts_to_the_next_phase(client, make_call):
    """Not "the phase changes just now" days ahead: the page says how far off it is."""
    from app.timeutil import library_time
    from tests.calls.moments import phases

    opened = library_time(utcnow()).replace(tzinfo=None, second=0, microsecond=0)
    call = make_call(**phases(opens=opened - timedelta(days=4)))  # collecting: 7 days
    page = client.get(f"/calls/{call.id}?lang=en").text
    assert "The phase changes in 3 days" in page, re.findall(r"countdown\">[^<]*", page)
    assert "阶段将于3天后变更" in client.get(f"/calls/{call.id}?lang=zh-Hans").text


def _switch_from(client, page: str):
    action = re.search(r'action="(/language[^"]*)"', page).group(1).replace("&amp;", "&")
    return client.post(action, data={"locale": "zh_Hans"})


def test_after_a_refused_comment_the_switcher_returns_to_the_proposal(client, login, make_user,
                                                                     make_proposal):
    proposal = make_proposal()
    login(make_user())
    page = f"/proposals/{proposal.id}"
    refused = client.post(f"{page}/comments", data={"body": ""},  # an address for forms only
                          headers={"Referer": f"http://localhost{page}"})
    assert refused.status_code == 422
    switched = _switch_from(client, refused.text)
    assert switched.headers["Location"] == page
    assert client.get(page).status_code == 200
    unreferred = client.post(f"{page}/comments", data={"body": ""})
    assert _switch_from(client, unreferred.text).headers["Location"] == "/"


def test_after_a_refused_form_the_switcher_shows_the_form_again(client):
    refused = client.post("/auth/register", data={})
    assert refused.status_code == 422
    assert _switch_from(client, refused.text).headers["Location"] == "/auth/register"


# A Chinese sentence never leans on ASCII punctuation: "已逾期: …", "(4 人评分)", "已逾期 (3)".
ASCII_BY_CHINESE = re.compile(r"[\u4e00-\u9fff]\s*[:()]|[(]\s*[\u4e00-\u9fff]")
ARIA_LABEL = re.compile(r'aria-label="([^"]*)"')


def _text_and_labels(page: str) -> str:
    """What a reader sees or hears: the text, and the labels that name controls."""
    text = TAG.sub(" ", HIDDEN_BLOCKS.sub(" ", page))
    return "\n".join([text, *ARIA_LABEL.findall(page)])


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="王老师")


def test_chinese_pages_punctuate_in_chinese(app, client, login, make_user, make_proposal,
                                           make_outcome, staff):
    from app.moderation import services as moderation
    from app.projects import services as projects
    from app.proposals import services as proposals

    reader = make_user(name="李欣怡")
    overdue = make_proposal(reader, title="自习室座位不够", status="under_review")
    overdue.response_due_at = utcnow() - timedelta(days=2)
    make_proposal(reader, title="开放时间太短", status="submitted", hide_name=True)
    comment = proposals.add_comment(overdue, author=reader, body="同意")
    moderation.flag(comment, by=make_user(), reason="offensive", note="骂人")
    rated = make_proposal(title="安静座位", status="under_review")
    proposals.support(rated, reader)
    rated.status = "accepted"
    outcome = make_outcome(rated)
    projects.rate(outcome, by=reader, stars=4)
    db.session.commit()

    login(staff)
    client.set_cookie("lang", "zh_Hans")
    pages = {path: client.get(path).text for path in (
        f"/proposals/{overdue.id}", "/proposals", "/staff/moderation", "/outcomes",
        "/staff/dashboard", f"/projects/{outcome.project.id}")}
    glued = {path: ASCII_BY_CHINESE.findall(_text_and_labels(page))
             for path, page in pages.items()}
    assert not any(glued.values()), glued
    assert "<strong>已逾期</strong>：图书馆本应于" in pages[f"/proposals/{overdue.id}"]
    assert "已逾期（1）" in pages["/staff/moderation"]
    assert "（已对公众隐藏姓名）" in pages["/staff/moderation"]
    assert "冒犯或辱骂：“骂人”" in pages["/staff/moderation"]
    assert "（满分 5 分，1 人评分）" in pages["/outcomes"]
    assert 'aria-label="支持：自习室座位不够"' in pages[f"/proposals/{overdue.id}"]


def test_the_punctuation_check_sees_ascii_glue():
    for glued in ("已逾期: 图书馆", "已逾期 (3)", "(4 人评分)", "已支持: 标题"):
        assert ASCII_BY_CHINESE.search(glued), glued
    assert not ASCII_BY_CHINESE.search("已逾期（3）：图书馆 16:59 (UTC) CSV（UTF-8）")

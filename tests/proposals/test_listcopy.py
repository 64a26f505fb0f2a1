"""A signed-in patron's list page: its results come from a copy shared by every patron
(app/proposals/listcopy.py), with the patron's own supports and CSRF token put on top."""
import re

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.proposals.models import Category, Status
from tests.conftest import PASSWORD


def signed_in(app, user, **headers):
    client = app.test_client()
    answer = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 303
    if headers:
        client.environ_base.update({f"HTTP_{k.upper().replace('-', '_')}": v
                                    for k, v in headers.items()})
    return client


def button(page: str, proposal_id: int) -> str:
    found = re.search(rf'<button[^>]*id="support-button-{proposal_id}"[^>]*>\s*([^<]*?)\s*<',
                      page, re.S)
    assert found, page
    return found.group(0)


def pressed(page: str, proposal_id: int) -> bool:
    return 'aria-pressed="true"' in button(page, proposal_id)


def results(page: str) -> str:
    """The results section, the CSRF tokens blanked (each session has its own), and the
    whitespace between tags, which no reader sees, made one space."""
    section = re.search(r'<section id="results".*?</section>', page, re.S).group(0)
    return same_tokens(section)


def content(page: str) -> str:
    """The page's head links and its content, from its heading to the end of the results."""
    links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', page)
    body = re.search(r'<div class="page-head">.*?</section>', page, re.S).group(0)
    return same_tokens("".join(links) + body)


def same_tokens(section: str) -> str:
    section = re.sub(r">\s+<", "> <", section)
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', section)


@pytest.fixture
def statements(app):
    seen: list[str] = []

    def note(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


def test_a_support_shows_in_the_patrons_next_list_and_not_in_anothers(app, make_user,
                                                                         make_proposal):
    first, second = make_proposal(title="Quiet study room"), make_proposal(title="More plugs")
    ann, bo = signed_in(app, make_user()), signed_in(app, make_user())
    for client in (ann, bo):  # both read the kept copy from here on
        page = client.get("/proposals").text
        assert not pressed(page, first.id) and not pressed(page, second.id)
    assert ann.post(f"/proposals/{first.id}/support", data={"want": "support"}).status_code == 303
    anns, bos = ann.get("/proposals").text, bo.get("/proposals").text
    assert pressed(anns, first.id) and not pressed(anns, second.id)
    assert 'name="want" value="withdraw"' in anns
    assert not pressed(bos, first.id) and not pressed(bos, second.id)
    assert 'name="want" value="withdraw"' not in bos
    for page in (anns, bos):  # the count moved for everybody at once
        assert f'id="support-{first.id}"' in page
        assert re.search(rf'id="support-{first.id}">\s*<p class="support-count" '
                         r'data-support-count="1"', page)
    assert bo.post(f"/proposals/{second.id}/support", data={"want": "support"}).status_code == 303
    anns, bos = ann.get("/proposals").text, bo.get("/proposals").text
    assert pressed(anns, first.id) and not pressed(anns, second.id)
    assert pressed(bos, second.id) and not pressed(bos, first.id)


def test_two_patrons_in_two_languages_each_get_their_own(app, make_user, make_proposal):
    proposal = make_proposal(title="Quiet study room")
    english = signed_in(app, make_user())
    chinese = signed_in(app, make_user(), **{"Accept-Language": "zh-CN"})
    assert chinese.post(f"/proposals/{proposal.id}/support",
                        data={"want": "support"}).status_code == 303
    for _ in range(2):  # made, then kept
        mine, theirs = chinese.get("/proposals").text, english.get("/proposals").text
        assert 'lang="zh-Hans"' in mine and 'lang="en"' in theirs
        assert "已支持：Quiet study room" in button(mine, proposal.id)
        assert "Support: Quiet study room" in button(theirs, proposal.id)
        assert "支持" not in results(theirs) and "Supporters" not in results(mine)


def test_a_hidden_name_stays_hidden_whoever_made_the_copy(app, make_user, make_proposal):
    author = make_user(name="Secret Person")
    proposal = make_proposal(author, title="Anonymous idea", hide_name=True)
    own = signed_in(app, author).get("/proposals").text  # the author's request makes the copy
    staff = signed_in(app, make_user(role="staff")).get("/proposals").text
    other = signed_in(app, make_user()).get("/proposals").text
    for page in (own, staff, other):
        assert "Anonymous idea" in page
        assert "Secret Person" not in results(page)
    assert results(own) == results(other) == results(staff)
    assert f'id="support-button-{proposal.id}"' in other


@pytest.mark.parametrize("first", ["staff", "patron"])
def test_staff_and_patrons_get_the_rows_they_got_without_the_copy(app, make_user, make_proposal,
                                                                  first):
    proposals = [make_proposal(title=f"Idea {n}", status=status) for n, status in
                 enumerate([Status.OPEN, Status.UNDER_REVIEW, Status.ACCEPTED, Status.OPEN])]
    make_proposal(title="Not yet published", status=Status.SUBMITTED)
    staff = signed_in(app, make_user(role="staff"))
    patron = signed_in(app, make_user())
    assert patron.post(f"/proposals/{proposals[0].id}/support",
                       data={"want": "support"}).status_code == 303
    clients = {"staff": staff, "patron": patron}
    slug = db.session.scalar(select(Category.slug).order_by(Category.id))
    addresses = ["/proposals", "/proposals?sort=newest", "/proposals?q=Idea",
                 f"/proposals?category={slug}"]
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        fresh = {(who, path): client.get(path).text for who, client in clients.items()
                 for path in addresses}
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60
    order = [first, *(who for who in clients if who != first)]
    for who in order:
        for path in addresses:
            for _ in range(2):  # the one that makes the copy, then one from it
                kept = clients[who].get(path).text
                assert content(kept) == content(fresh[(who, path)]), (who, path)
                if "category=" in path:  # the category's feed, in the page's head
                    assert slug in content(kept).split('<div class="page-head">')[0]
                assert "Not yet published" not in kept


def test_an_htmx_request_gets_the_same_fragment_from_the_copy(app, make_user, make_proposal):
    proposal = make_proposal(title="Quiet study room")
    patron = signed_in(app, make_user())
    patron.post(f"/proposals/{proposal.id}/support", data={"want": "support"})
    htmx = {"HX-Request": "true", "HX-Target": "results"}
    app.config["PAGE_CACHE_SECONDS"] = 0
    try:
        fresh = patron.get("/proposals?q=Quiet", headers=htmx).text
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 60
    for _ in range(2):
        kept = patron.get("/proposals?q=Quiet", headers=htmx).text
        assert "<html" not in kept and "results-count" in kept
        assert results(kept) == results(fresh) and pressed(kept, proposal.id)


def test_the_copy_is_used_and_its_tokens_are_each_patrons_own(app, make_user, make_proposal,
                                                               statements):
    proposal = make_proposal(title="Quiet study room")
    ann, bo = signed_in(app, make_user()), signed_in(app, make_user())
    statements.clear()
    ann.get("/proposals")
    made = list(statements)
    statements.clear()
    page = bo.get("/proposals").text
    assert any("proposal.title" in sql for sql in made)  # the rows were read and rendered once
    assert not any("proposal.title" in sql for sql in statements)
    assert len(statements) < len(made)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = re.search(rf'action="/proposals/{proposal.id}/support".*?name="csrf_token" '
                          r'value="([^"]+)"', page, re.S).group(1)
        assert token not in ann.get("/proposals").text
        supported = bo.post(f"/proposals/{proposal.id}/support",
                            data={"want": "support", "csrf_token": token})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert supported.status_code == 303
    assert pressed(bo.get("/proposals").text, proposal.id)


def test_an_htmx_history_restore_gets_the_whole_page(app, make_user, make_proposal):
    make_proposal(title="Quiet study room")
    patron = signed_in(app, make_user())
    fragment = patron.get("/proposals", headers={"HX-Request": "true"}).text
    restored = patron.get("/proposals", headers={"HX-Request": "true",
                                                 "HX-History-Restore-Request": "true"}).text
    assert "<html" not in fragment
    assert "<html" in restored and '<form class="filters"' in restored
    assert results(restored).count("id=\"support-button-") == 1

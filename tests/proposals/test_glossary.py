"""The similar-proposals hint across languages: the glossary's pairs (seat / 座位) and shared
two-character Chinese terms; administrators extend the glossary, and only they."""
import pytest
from sqlalchemy import delete, event, func, select

from app.audit import AuditEntry
from app.domain import Refused
from app.extensions import db
from app.proposals import glossary, search
from app.proposals.models import Category, GlossaryTerm


@pytest.fixture
def glossary_as_seeded(app):
    """The glossary is seeded by migration 0024 and kept between tests: put it back."""
    last = db.session.scalar(select(func.max(GlossaryTerm.id)))
    seeded = glossary.pairs()
    yield
    db.session.rollback()
    db.session.execute(delete(GlossaryTerm).where(GlossaryTerm.id > last))
    for english, chinese in set(seeded) - set(glossary.pairs()):
        db.session.add(GlossaryTerm(english=english, chinese=chinese))
    db.session.commit()


def similar(title, **places):
    return search.similar(title, glossary=glossary.pairs(), **places)


def test_the_migration_seeds_real_library_terms(app):
    pairs = glossary.pairs()
    assert len(pairs) >= 30
    assert {("seat", "座位"), ("socket", "插座"), ("study room", "自习室"),
            ("air conditioning", "空调"), ("opening hours", "开放时间")} <= set(pairs)


def test_chinese_text_finds_the_english_proposal(make_proposal):
    english = make_proposal(title="More seats with power sockets on floor 2")
    make_proposal(title="Longer opening hours at weekends")
    assert similar("座位插座") == [english]
    assert similar("座位旁边要有插座") == [english]


def test_english_text_finds_the_chinese_proposal(make_proposal):
    chinese = make_proposal(title="自习室空调太冷")
    make_proposal(title="打印机总是坏")
    assert similar("The air conditioning in the study room is freezing") == [chinese]
    assert similar("Cheaper printing") != [chinese]


def test_without_the_glossary_the_other_language_is_not_found(make_proposal):
    make_proposal(title="More seats with power sockets on floor 2")
    assert search.similar("座位插座") == []


def test_shared_two_character_chinese_terms_count(make_proposal):
    both = make_proposal(title="希望座位旁边都有插座")
    make_proposal(title="座位太少了")  # one of three pairs: not the same idea
    assert search.similar("座位插座") == [both]  # without the glossary: the pairs alone


def test_a_term_the_admin_adds_takes_effect(client, login, make_user, make_proposal,
                                            glossary_as_seeded):
    projector = make_proposal(title="The projector in seminar room 2 is broken")
    assert similar("投影仪坏了") == []
    login(make_user(role="admin"))
    response = client.post("/admin/glossary", data={"english": "Projector", "chinese": "投影仪"})
    assert response.status_code == 303
    assert ("projector", "投影仪") in glossary.pairs()
    assert similar("投影仪坏了") == [projector]
    hint = client.get("/proposals/similar", query_string={"title": "投影仪坏了"},
                      headers={"HX-Request": "true"})
    assert projector.title in hint.text


def test_a_removed_term_no_longer_bridges_the_languages(client, login, make_user, make_proposal,
                                                        glossary_as_seeded):
    english = make_proposal(title="More seats with power sockets on floor 2")
    login(make_user(role="admin"))
    for english_term in ("seat", "socket"):
        term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.english == english_term))
        assert client.post(f"/admin/glossary/{term.id}/remove").status_code == 303
    assert english.title not in {p.title for p in similar("座位插座")}


def test_the_same_category_and_branch_come_first(make_proposal):
    categories = db.session.scalars(select(Category.id).order_by(Category.id)).all()
    elsewhere = make_proposal(title="A lamp for each desk", category_id=categories[1])
    elsewhere.support_count = 9
    here = make_proposal(title="A lamp for each desk, please", category_id=categories[0])
    title = "Broken lamp, wobbly benches"  # one concept of four: not the same idea
    assert similar(title, category_id=categories[0]) == []
    assert similar("Broken desk lamp") == [elsewhere, here]  # the better supported first
    assert similar("Broken desk lamp", category_id=here.category_id,
                   branch_id=here.branch_id) == [here, elsewhere]


def test_the_closest_comes_first(make_proposal):
    one = make_proposal(title="More seats")
    two = make_proposal(title="More seats with sockets")
    assert similar("座位和插座") == [two, one]


def test_the_query_is_bounded(make_proposal, app):
    """Many terms and many candidates: at most twelve concepts, the 50 best supported read."""
    long_title = "座位插座自习室空调噪音打印借书还书复印扫描储物柜饮水机厕所灯光电脑研讨室" * 3
    assert len(search.idea_concepts(long_title, glossary.pairs())) == search.MAX_IDEAS
    for n in range(60):
        make_proposal(title=f"Seats and sockets, idea {n}")
    assert len(similar("座位插座")) == 5


def test_only_administrators_change_the_glossary(make_user, glossary_as_seeded):
    with pytest.raises(Refused):
        glossary.add("projector", "投影仪", by=make_user(role="staff"))
    term = db.session.scalar(select(GlossaryTerm))
    with pytest.raises(Refused):
        glossary.remove(term, by=make_user(role="staff"))


@pytest.mark.parametrize("english, chinese, field", [
    ("x", "投影仪", "english"), ("projector", "projector", "chinese"),
    ("seat", "座位", "english"),  # already there
])
def test_a_bad_pair_is_refused(make_user, english, chinese, field, glossary_as_seeded):
    with pytest.raises(Refused) as refusal:
        glossary.add(english, chinese, by=make_user(role="admin"))
    assert refusal.value.field == field


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 403), ("admin", 200)])
def test_glossary_page_role_boundary(client, login, make_user, role, expected):
    login(make_user(role=role))
    assert client.get("/admin/glossary").status_code == expected


@pytest.mark.parametrize("role, expected", [("patron", 403), ("staff", 403), ("admin", 303)])
def test_adding_and_removing_role_boundary(client, login, make_user, role, expected,
                                           glossary_as_seeded):
    login(make_user(role=role))
    added = client.post("/admin/glossary", data={"english": "projector", "chinese": "投影仪"})
    assert added.status_code == expected
    assert (("projector", "投影仪") in glossary.pairs()) == (role == "admin")
    term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.english == "seat"))
    assert client.post(f"/admin/glossary/{term.id}/remove").status_code == expected
    assert (("seat", "座位") in glossary.pairs()) == (role != "admin")


def test_visitors_are_sent_to_sign_in(client):
    assert client.get("/admin/glossary").status_code == 302
    assert client.post("/admin/glossary/1/remove").status_code in (302, 400)


def test_changes_are_audited(client, login, make_user, glossary_as_seeded):
    admin = make_user(role="admin")
    login(admin)
    client.post("/admin/glossary", data={"english": "projector", "chinese": "投影仪"})
    term = db.session.scalar(select(GlossaryTerm).where(GlossaryTerm.english == "projector"))
    client.post(f"/admin/glossary/{term.id}/remove")
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.actor_id, e.action, e.reason) for e in entries] == [
        (admin.id, "add_glossary_term", "projector = 投影仪"),
        (admin.id, "remove_glossary_term", "projector = 投影仪")]
    log = client.get("/admin/audit").text
    assert "added a pair to the glossary" in log and "the glossary" in log


def test_a_refused_pair_keeps_what_was_typed(client, login, make_user):
    login(make_user(role="admin"))
    response = client.post("/admin/glossary", data={"english": "projector", "chinese": "touying"})
    assert response.status_code == 422
    assert "Use 2 to 12 Chinese characters." in response.text
    assert 'value="projector"' in response.text and 'value="touying"' in response.text


def test_the_page_in_chinese(client, login, make_user):
    login(make_user(role="admin"))
    page = client.get("/admin/glossary", headers={"Accept-Language": "zh-CN"}).text
    assert "词汇表" in page and "座位" in page and "seat" in page


def test_two_statements_find_them_however_many_terms(make_proposal):
    """The candidates' ids in one bounded statement (at most 50), then those rows: two
    statements, whatever the title."""
    for n in range(3):
        make_proposal(title=f"Seats, sockets, study room and air conditioning {n}")
    pairs = glossary.pairs()
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731 - the statement's text
    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        found = search.similar("座位插座自习室空调噪音打印借书还书" * 4, glossary=pairs)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    assert len(found) == 3 and len(statements) == 2
    assert "LIMIT" in statements[0].upper()

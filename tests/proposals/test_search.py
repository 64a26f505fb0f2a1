import pytest
from sqlalchemy import delete, select, text

from app.extensions import db
from app.proposals import queries, search
from app.proposals.models import ProposalBigram


@pytest.fixture
def library(make_proposal):
    make_proposal(title="More quiet seats in the reading room",
                  problem="Students cannot find a quiet seat during exam week.")
    make_proposal(title="图书馆自习室座位不够", problem="期末考试周自习室的座位总是被占满，很多同学找不到位置。")
    make_proposal(title="Longer opening hours at weekends",
                  suggestion="Keep the main library open until midnight on Saturdays.")


def titles_for(query: str) -> set[str]:
    filters = queries.Filters(q=query)
    return {p.title for p in db.session.scalars(queries.listing_statement(filters)).unique()}


@pytest.mark.parametrize("query, expected", [
    ("quiet", {"More quiet seats in the reading room"}),
    ("QUIET SEATS", {"More quiet seats in the reading room"}),
    ("midnight", {"Longer opening hours at weekends"}),  # found in the suggestion
    ("自习室", {"图书馆自习室座位不够"}),
    ("座位", {"图书馆自习室座位不够"}),  # two characters: shorter than a trigram
    ("满，", {"图书馆自习室座位不够"}),  # a character and a comma: LIKE on the table
    ("占满", {"图书馆自习室座位不够"}),  # a pair in the problem
    ("馆自 座位", {"图书馆自习室座位不够"}),
    ("座位 quiet", set()),
    ("考试周", {"图书馆自习室座位不够"}),  # found in the problem
    ("quiet midnight", set()),  # every term must match
    ("library", {"Longer opening hours at weekends"}),
])
def test_search_finds_english_words_and_chinese_text(library, query, expected):
    assert titles_for(query) == expected


@pytest.mark.parametrize("query", ['"', "*", "AND OR NOT", "NEAR(", "100%", "_", "a\\b", "'; DROP"])
def test_search_syntax_in_the_query_is_only_text(library, query):
    titles_for(query)  # must not raise


def test_search_page_shows_hits(client, library):
    page = client.get("/proposals", query_string={"q": "座位"}).text
    assert "图书馆自习室座位不够" in page and "opening hours" not in page


def test_edited_text_is_found_by_its_new_words(library, make_proposal):
    proposal = make_proposal(title="Something about printers")
    proposal.title = "Colour printing on every floor"
    db.session.commit()
    assert titles_for("colour") == {"Colour printing on every floor"}
    assert titles_for("printers") == set()


def pairs() -> set[tuple[str, int]]:
    return set(db.session.execute(select(ProposalBigram.bigram, ProposalBigram.proposal_id)))


def test_two_chinese_characters_are_found_in_every_field_through_edits(make_proposal):
    """The pairs are kept by the database's triggers, whoever writes the proposal."""
    proposal = make_proposal(title="Air conditioning in the stacks",
                             problem="The 空调 is off on weekends and the stacks get hot.",
                             suggestion="Run it from May to October, 闭馆 included.")
    db.session.commit()
    assert titles_for("空调") == titles_for("闭馆") == {"Air conditioning in the stacks"}
    proposal.suggestion = "Run it from May to October."
    proposal.title = "空调 in the stacks"
    db.session.commit()
    assert titles_for("闭馆") == set() and titles_for("空调") == {"空调 in the stacks"}
    kept = pairs()
    db.session.execute(delete(ProposalBigram))  # what working them out again gives:
    db.session.execute(text(search.FILL_BIGRAMS[db.engine.dialect.name]))
    assert pairs() == kept == {("空调", proposal.id)}
    db.session.execute(delete(ProposalBigram))
    assert titles_for("空调") == set()  # the search reads the pairs, not the text


def test_a_pair_at_the_end_of_the_longest_text_is_found(make_proposal):
    make_proposal(title="Long", problem="x" * 4990 + "读者需要座位", suggestion="y" * 4994 + "开放时间")
    db.session.commit()
    assert titles_for("时间") == titles_for("座位") == {"Long"}

import pytest

from app.extensions import db
from app.proposals import queries


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

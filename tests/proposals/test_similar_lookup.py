"""The similar-proposals hint looks its words up together (one regular expression on
PostgreSQL, one FTS5 query on SQLite): a glossary term with a hyphen or a space is still matched
as written, not as its separate words."""
from app.proposals import search


def test_a_glossary_term_with_a_hyphen_or_a_space_is_found(make_proposal):
    ebook = make_proposal(title="More e-book licences for course readers")
    room = make_proposal(title="Book a group study room online")
    make_proposal(title="Ebooks are great")
    make_proposal(title="A study group for every room")
    glossary = [("group study room", "小组研讨室"), ("e-book", "电子书")]
    assert search.similar("电子书不够", glossary=glossary) == [ebook]
    assert search.similar("小组研讨室预约", glossary=glossary) == [room]

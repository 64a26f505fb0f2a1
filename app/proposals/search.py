"""Full-text search over title, problem and suggestion, in English and Chinese.

Chinese has no spaces between words, so word tokenisers do not help. Both databases match
substrings, indexed by trigrams: SQLite's FTS5 `trigram` tokenizer (an external-content table
kept in sync by triggers), PostgreSQL's `pg_trgm` GIN index queried with ILIKE. A term of two
Chinese characters (图书, 座位) has no trigram: it is looked up in `proposal_bigram`, every pair of
adjacent Chinese characters of every proposal, kept by triggers on both databases (migration
0008). Other terms shorter than three characters fall back to LIKE on the table itself.
Every term must match (AND); case is ignored.
"""
import re

from sqlalchemy import ColumnElement, and_, bindparam, literal_column, or_, select, text

from app.extensions import db
from app.proposals.models import Proposal, ProposalBigram
from app.statements import dialect

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200


def terms_of(query: str) -> list[str]:
    cleaned = "".join(ch if ch.isprintable() else " " for ch in query[:MAX_QUERY_LENGTH])
    return [term.replace('"', "") for term in cleaned.split() if term.replace('"', "")][:MAX_TERMS]


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _document():
    return Proposal.title + " " + Proposal.problem + " " + Proposal.suggestion


CHINESE = "\u3400-\u9fff\uf900-\ufaff"  # Chinese characters: the CJK ideograph blocks
CHINESE_PAIR = re.compile(f"[{CHINESE}]{{2}}")
# Every proposal's pairs, for rows written without the triggers (the bench's bulk load;
# migration 0008 keeps its own copy).
# A pair spanning two fields cannot be Chinese: the separator is a space.
_DOCUMENTS = "(SELECT id, title || ' ' || problem || ' ' || suggestion AS d FROM proposal) doc"
FILL_BIGRAMS = {
    "sqlite": f"""INSERT OR IGNORE INTO proposal_bigram (bigram, proposal_id)
        SELECT substr(d, n, 2), id FROM {_DOCUMENTS} JOIN search_position ON n < length(d)
         WHERE substr(d, n, 2) GLOB '[{CHINESE}][{CHINESE}]'""",  # noqa: S608 - constant SQL # nosec B608
    "postgresql": f"""INSERT INTO proposal_bigram (bigram, proposal_id)
        SELECT DISTINCT substr(d, n, 2), id FROM {_DOCUMENTS},
               generate_series(1, length(d) - 1) AS n
         WHERE substr(d, n, 2) ~ '^[{CHINESE}]{{2}}$'""",  # noqa: S608 - constant SQL # nosec B608
}


def _term_matches(term: str) -> ColumnElement[bool]:
    if CHINESE_PAIR.fullmatch(term):
        return Proposal.id.in_(select(ProposalBigram.proposal_id)
                               .where(ProposalBigram.bigram == term).scalar_subquery())
    if dialect() == "sqlite" and len(term) >= 3:
        phrase = '"' + term + '"'
        return Proposal.id.in_(
            select(literal_column("rowid")).select_from(text("proposal_fts"))
            .where(text("proposal_fts MATCH :phrase").bindparams(
                bindparam("phrase", phrase, unique=True)
            ))
            .scalar_subquery()
        )
    if dialect() == "postgresql":
        return _document().ilike(_like_pattern(term), escape="\\")
    return or_(
        Proposal.title.ilike(_like_pattern(term), escape="\\"),
        Proposal.problem.ilike(_like_pattern(term), escape="\\"),
        Proposal.suggestion.ilike(_like_pattern(term), escape="\\"),
    )


def matching(query: str) -> ColumnElement[bool] | None:
    """A WHERE clause for proposals matching every term of the query, or None for no terms."""
    terms = terms_of(query)
    if not terms:
        return None
    return and_(*(_term_matches(term) for term in terms))


STOPWORDS = frozenset(
    "the and for with that this from have more into about there their would should could "
    "library please make need want some when what which your them they been very also".split()
)
SIMILAR_STATUSES = ("open", "under_review", "accepted", "in_progress", "completed")


TOKENS = re.compile(f"[{CHINESE}]+|[a-z\u00c0-\u024f]{{4,}}")


def idea_terms(title: str) -> list[str]:
    """What makes two titles the same idea: longer words, and Chinese trigrams (or a pair)."""
    terms = []
    for token in TOKENS.findall((title or "")[:MAX_QUERY_LENGTH].lower()):
        if token.isascii() or not "\u3400" <= token[0] <= "\ufaff":
            if token not in STOPWORDS:
                terms.append(token)
        else:
            terms += [token[i:i + 3] for i in range(max(1, len(token) - 2))]
    return list(dict.fromkeys(terms))[:12]


# Two-character pairs too common in Chinese proposals to say anything about the idea
# (the Chinese side of STOPWORDS): 图书馆 is "library", 希望 "hope", 不够 "not enough".
STOP_PAIRS = frozenset("图书 书馆 我们 希望 可以 没有 一个 不够 太少 建议 增加 问题 时候 能够 "
                       "应该 需要 非常 一些 还是 因为 所以 现在 很多 太多 不能 有些".split())
MAX_IDEAS = 12


def _english_word(english: str) -> re.Pattern:
    """A glossary term at the start of a word, with any ending: seat, seats, seating."""
    return re.compile(r"(?<![a-z])" + re.escape(english) + r"[a-z]*")


def idea_concepts(title: str, glossary: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    """What makes two proposals the same idea, in either language: each concept is one thing
    the title speaks of, in every word that says it. A glossary term found in the title (the
    longest first) is one concept in both languages (座位 or seat); the rest are longer English
    words and every pair of adjacent Chinese characters, as the search index keeps them
    (proposal_bigram), so 座位插座 shares 座位 and 插座 with a proposal naming both."""
    text_ = (title or "")[:MAX_QUERY_LENGTH].lower()
    concepts: list[tuple[str, ...]] = []
    for english, chinese in glossary:
        found = _english_word(english)
        if chinese in text_ or found.search(text_):
            concepts.append((english, chinese))
            text_ = found.sub(" ", text_.replace(chinese, " "))
    for token in TOKENS.findall(text_):
        if "\u3400" <= token[0] <= "\ufaff":
            concepts += [(token[i:i + 2],) for i in range(len(token) - 1)
                         if token[i:i + 2] not in STOP_PAIRS]
        elif token not in STOPWORDS:
            concepts.append((token,))
    return list(dict.fromkeys(concepts))[:MAX_IDEAS]


def _any_word_matches(words: list[str]) -> ColumnElement[bool]:
    """A WHERE clause for proposals holding any of the words, in as few index lookups as the
    database allows: every pair of Chinese characters in one look-up of proposal_bigram; on
    SQLite every longer word in one FTS5 query ("a" OR "b"), on PostgreSQL in one
    case-insensitive regular expression (a|b), each row's text read once, not once per word.
    The same proposals as `or_(*(_term_matches(word) for word in words))`."""
    pairs = [word for word in words if CHINESE_PAIR.fullmatch(word)]
    longer = [word for word in words if word not in pairs and len(word) >= 3]
    short = [word for word in words if word not in pairs and len(word) < 3]
    clauses = [_term_matches(word) for word in short]
    if pairs:
        clauses.append(Proposal.id.in_(select(ProposalBigram.proposal_id)
                                       .where(ProposalBigram.bigram.in_(pairs))
                                       .scalar_subquery()))
    if longer and dialect() == "sqlite":
        phrases = " OR ".join('"' + word.replace('"', "") + '"' for word in longer)
        clauses.append(Proposal.id.in_(
            select(literal_column("rowid")).select_from(text("proposal_fts"))
            .where(text("proposal_fts MATCH :phrases").bindparams(
                bindparam("phrases", phrases, unique=True)))
            .scalar_subquery()))
    elif longer and dialect() == "postgresql":
        alternatives = "|".join(_REGEX_SPECIAL.sub(r"\\\g<0>", word) for word in longer)
        clauses.append(_document().regexp_match(f"({alternatives})", flags="i"))
    else:
        clauses += [_term_matches(word) for word in longer]
    return or_(*clauses)


_REGEX_SPECIAL = re.compile(r"[^\w\s]")  # escaped in a PostgreSQL regular expression


def similar(title: str, *, glossary: list[tuple[str, str]] = (), category_id: int | None = None,
            branch_id: int | None = None, limit: int = 5,
            exclude_id: int | None = None) -> list[Proposal]:
    """Published proposals about the same idea as the title, in either language, the closest
    first. A proposal qualifies when it shares at least a third of the title's concepts; among
    those, one in the same category and branch comes before one that only shares the words.
    Bounded: at most MAX_IDEAS concepts looked up together (one statement), the 50 best
    supported candidates read for their title and problem only, and only the chosen proposals
    read whole."""
    concepts = idea_concepts(title, list(glossary))
    if not concepts:
        return []
    words = list(dict.fromkeys(word for concept in concepts for word in concept))
    statement = (
        select(Proposal.id, Proposal.title, Proposal.problem, Proposal.category_id,
               Proposal.branch_id, Proposal.support_count)
        .where(Proposal.status.in_(SIMILAR_STATUSES), Proposal.hidden_at.is_(None),
               _any_word_matches(words))
        .order_by(Proposal.support_count.desc(), Proposal.id.desc())
        .limit(50)
    )
    if exclude_id:
        statement = statement.where(Proposal.id != exclude_id)
    places = {"category_id": category_id, "branch_id": branch_id}
    scored = []
    for candidate in db.session.execute(statement):
        text_ = f"{candidate.title} {candidate.problem}".lower()
        share = sum(any(word in text_ for word in concept) for concept in concepts) / len(concepts)
        if share >= 0.34:
            same_place = sum(getattr(candidate, column) == value
                             for column, value in places.items() if value)
            scored.append((share, same_place, candidate.support_count, candidate.id))
    scored.sort(key=lambda row: row[:3], reverse=True)
    chosen = [row[3] for row in scored[:limit]]
    if not chosen:
        return []
    found = {proposal.id: proposal
             for proposal in db.session.scalars(select(Proposal).where(Proposal.id.in_(chosen)))}
    return [found[i] for i in chosen]

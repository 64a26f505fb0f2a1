"""Full-text search over title, problem and suggestion, in English and Chinese.

Chinese has no spaces between words, so word tokenisers do not help. Both databases match
substrings, indexed by trigrams: SQLite's FTS5 `trigram` tokenizer (an external-content table
kept in sync by triggers), PostgreSQL's `pg_trgm` GIN index queried with ILIKE. A term shorter
than three characters (图书, 座位) has no trigram, so it falls back to LIKE on the table itself.
Every term must match (AND); case is ignored.
"""
from sqlalchemy import ColumnElement, and_, bindparam, literal_column, or_, select, text

from app.extensions import db
from app.proposals.models import Proposal

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


def _term_matches(term: str, dialect: str) -> ColumnElement[bool]:
    if dialect == "sqlite" and len(term) >= 3:
        phrase = '"' + term + '"'
        return Proposal.id.in_(
            select(literal_column("rowid")).select_from(text("proposal_fts"))
            .where(text("proposal_fts MATCH :phrase").bindparams(
                bindparam("phrase", phrase, unique=True)
            ))
            .scalar_subquery()
        )
    if dialect == "postgresql":
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
    dialect = db.session.get_bind().dialect.name
    return and_(*(_term_matches(term, dialect) for term in terms))

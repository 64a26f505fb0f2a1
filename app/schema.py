"""What Alembic's autogenerate compares.

Search structures are made by hand in migrations (FTS5 on SQLite, pg_trgm on PostgreSQL, and
SQLite's table of positions the Chinese pairs' triggers read): the models do not describe them,
so autogenerate must neither create nor drop them. Nor indexes on an expression, which it cannot
compare: the projects page's order (migration 0009).
"""
SEARCH_PREFIXES = ("proposal_fts", "search_")
EXPRESSION_INDEXES = {"ix_project_listing"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(SEARCH_PREFIXES) and name not in EXPRESSION_INDEXES

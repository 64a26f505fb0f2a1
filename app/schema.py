"""What Alembic's autogenerate compares.

Search structures are made by hand in migrations (FTS5 on SQLite, pg_trgm on PostgreSQL, and
SQLite's table of positions the Chinese pairs' triggers read): the models do not describe them,
so autogenerate must neither create nor drop them.
"""
SEARCH_PREFIXES = ("proposal_fts", "search_")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (name or "").startswith(SEARCH_PREFIXES)

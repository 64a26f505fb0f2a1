"""Statements on the session's connection that the ORM's own API would make slower or longer:
the database in use, its INSERT … ON CONFLICT, statements built once, and ordered pages of rows."""
from functools import cache

from sqlalchemy import Date, cast, func

from app.extensions import db


def dialect() -> str:
    """The kind of database in use: "sqlite" or "postgresql"."""
    return db.session.get_bind().dialect.name


def library_date(column):
    """The library's calendar day of a stored (naive UTC) moment, worked out by the database:
    SQLite through the function each connection is given, PostgreSQL in the session's time zone,
    which each connection sets to the library's (app/database.py)."""
    if dialect() == "sqlite":
        return func.library_date(column, type_=Date)
    return cast(func.timezone("UTC", column), Date)


def dialect_insert(table):
    """INSERT … ON CONFLICT for the database in use: PostgreSQL's or SQLite's (the same API)."""
    if dialect() == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def prepared(build):
    """The statement `build()` returns, built once per kind of database: for the statements of
    a support click, where building a statement cost more than running it."""
    return _prepared(build, dialect())


@cache
def _prepared(build, _dialect: str):
    return build()


def run(statement, params: dict):
    """A Core statement on tables, on the session's connection and in its transaction: lighter
    than the session's execute, which statements on entities need and these do not (given
    values, the ORM would take an insert on an entity for a bulk insert)."""
    return db.session.connection().execute(statement, params)


def rows_in_order(statement, limit: int, offset: int = 0) -> list:
    """The rows of an ordered `select(Model)`, their ids chosen first: the sort then carries ids
    and its keys only, not every joined column of every candidate (on the projects page, the
    text of every project's proposal), and only the chosen rows are read with their joins."""
    model = statement.column_descriptions[0]["entity"]
    ids = list(db.session.scalars(
        statement.with_only_columns(model.id).limit(limit).offset(offset)))
    if not ids:
        return []
    chosen = statement.where(model.id.in_(ids)).order_by(None)  # its loader options kept
    found = {row.id: row for row in db.session.scalars(chosen).unique()}
    return [found[i] for i in ids]

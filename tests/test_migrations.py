import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text, update

from app.extensions import db
from app.proposals.models import Branch, Category
from app.schema import EXPRESSION_INDEXES, include_object


def test_models_and_migrations_agree(app):
    """`flask db upgrade` built this database; autogenerate must find nothing left to do."""
    with db.engine.connect() as connection, warnings.catch_warnings():
        for name in EXPRESSION_INDEXES:  # SQLite's reflection skips them, saying so
            warnings.filterwarnings("ignore", f".*expression-based index {name}$")
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": include_object,
        })
        assert compare_metadata(context, db.metadata) == []


def test_reference_data_is_seeded_in_both_languages(app):
    named = db.session.query(Category).all() + db.session.query(Branch).all()
    assert len(named) >= 13
    assert all(row.name_en and row.name_zh for row in named)


def _read(statement):
    value = db.session.scalar(statement)
    db.session.commit()  # outside a request a transaction begins IMMEDIATE: the migration waits
    return value


def _main_library() -> str:
    return _read(select(Branch.name_zh).where(Branch.slug == "main"))


def _revision() -> int:
    return _read(text("SELECT number FROM content_revision"))


def test_the_main_library_is_zongguan_as_the_posts_call_it_and_0012_goes_back(app):
    """0012 renames the seeded 总图书馆; downgrading gives the name back; a name an
    administrator chose is never touched; kept visitors' pages are not served afterwards."""
    assert _read(select(Branch.name_en).where(Branch.slug == "main")) == "Main Library"
    assert _main_library() == "总馆"
    revision = _revision()
    try:
        downgrade(revision="0011")
        assert _main_library() == "总图书馆"
        upgrade()
        assert _main_library() == "总馆" and _revision() == revision + 2
        db.session.execute(update(Branch).where(Branch.slug == "main").values(name_zh="主馆"))
        db.session.commit()
        downgrade(revision="0011")
        upgrade()
        assert _main_library() == "主馆"
    finally:
        upgrade()
        db.session.execute(update(Branch).where(Branch.slug == "main").values(name_zh="总馆"))
        db.session.commit()

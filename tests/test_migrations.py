import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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

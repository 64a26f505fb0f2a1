"""the dashboard's long periods from indexes alone: submissions by category, branch and start;
the most supported of a period; answers due, and whether they came in time

Revision ID: 0010
Revises: 0009

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# Each new index of proposal, and the one it replaces: the new one is built before the old one
# goes, so the queries that used the old one always find one of them.
REPLACED = [
    ('ix_proposal_created_covering', ['created_at', 'category_id', 'branch_id', 'origin'],
     'ix_proposal_created', ['created_at']),
    ('ix_proposal_status_created_supports', ['status', 'created_at', 'support_count'],
     'ix_proposal_status_created', ['status', 'created_at']),
    ('ix_proposal_due_decided', ['response_due_at', 'decided_at'],
     'ix_proposal_response_due_at', ['response_due_at']),
]


def upgrade():
    _swap([(new, new_columns, old) for new, new_columns, old, _ in REPLACED])


def downgrade():
    _swap([(old, old_columns, new) for new, _, old, old_columns in REPLACED])


def _swap(changes):
    """On PostgreSQL without blocking writes (deploy/README.md, "Expand, then contract")."""
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            for create, columns, drop in changes:
                op.create_index(create, 'proposal', columns, postgresql_concurrently=True)
                op.drop_index(drop, table_name='proposal', postgresql_concurrently=True)
        return
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        for create, columns, drop in changes:
            batch_op.create_index(create, columns, unique=False)
            batch_op.drop_index(drop)

"""the similar-proposals hint walks proposals the best supported first and stops at its 50
candidates: an index on proposal (support_count, id)

Revision ID: 0026
Revises: 0025

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":  # without blocking writes
        with op.get_context().autocommit_block():
            op.create_index('ix_proposal_supports', 'proposal', ['support_count', 'id'],
                            postgresql_concurrently=True)
        return
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_supports', ['support_count', 'id'], unique=False)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.drop_index('ix_proposal_supports', table_name='proposal',
                          postgresql_concurrently=True)
        return
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_supports')

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


def upgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_created')
        batch_op.create_index('ix_proposal_created_covering',
                              ['created_at', 'category_id', 'branch_id', 'origin'], unique=False)
        batch_op.drop_index('ix_proposal_status_created')
        batch_op.create_index('ix_proposal_status_created_supports',
                              ['status', 'created_at', 'support_count'], unique=False)
        batch_op.drop_index('ix_proposal_response_due_at')
        batch_op.create_index('ix_proposal_due_decided', ['response_due_at', 'decided_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_due_decided')
        batch_op.create_index('ix_proposal_response_due_at', ['response_due_at'], unique=False)
        batch_op.drop_index('ix_proposal_status_created_supports')
        batch_op.create_index('ix_proposal_status_created', ['status', 'created_at'],
                              unique=False)
        batch_op.drop_index('ix_proposal_created_covering')
        batch_op.create_index('ix_proposal_created', ['created_at'], unique=False)

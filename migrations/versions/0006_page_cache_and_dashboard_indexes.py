"""content revision for the visitors' page cache; indexes for the dashboard's periods;
the dashboard's figures kept for every worker

Revision ID: 0006
Revises: 0005

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    revision_table = op.create_table('content_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_revision'))
    )
    op.bulk_insert(revision_table, [{'id': 1, 'number': 0}])
    op.create_table('figure_snapshot',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_figure_snapshot'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index('ix_comment_created', ['created_at'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_created', ['created_at'], unique=False)

    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.create_index('ix_support_created_covering', ['created_at', 'proposal_id', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.drop_index('ix_support_created_covering')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_created')

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_created')

    op.drop_table('figure_snapshot')
    op.drop_table('content_revision')

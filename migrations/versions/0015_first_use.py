"""first use: why an author withdrew, comments edited, deleted by their author and answered
one level deep; the population of each patron type per term, for the dashboard; patrons'
own choices to follow a proposal or not

Revision ID: 0015
Revises: 0014

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('population',
    sa.Column('term', sa.String(length=12), nullable=False),
    sa.Column('patron_type', sa.String(length=20), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('term', 'patron_type', name=op.f('pk_population'))
    )
    op.create_table('follow',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'],
                            name=op.f('fk_follow_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_follow_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'proposal_id', name=op.f('pk_follow'))
    )
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdraw_reason', sa.String(length=20), nullable=True))

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_comment_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comment_parent_id_comment'), 'comment',
                                    ['parent_id'], ['id'])


def downgrade():
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comment_parent_id_comment'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comment_parent_id'))
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('parent_id')

    # A plain ALTER on SQLite too (3.35+): rebuilding `proposal` in batch mode would drop its
    # search triggers.
    op.execute("ALTER TABLE proposal DROP COLUMN withdraw_reason")

    op.drop_table('population')
    with op.batch_alter_table('follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_proposal_id'))
    op.drop_table('follow')

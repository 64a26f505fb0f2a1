"""consultations on a draft: consultation (the draft, its dates, the response), and comments
on a consultation's section beside comments on a proposal (comment.consultation_id, section)

Revision ID: 0019
Revises: 0018

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.String(length=140), nullable=False),
    sa.Column('title_zh', sa.String(length=140), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('response_en', sa.Text(), nullable=False),
    sa.Column('response_zh', sa.Text(), nullable=False),
    sa.Column('responded_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_consultation_closes_after_opening')),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_consultation_call_id_call')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_consultation_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_opens_at'), ['opens_at'], unique=False)

    # A comment belongs to a proposal or to a consultation: proposal_id may be empty now.
    # SQLite rebuilds the table (no triggers on `comment`; env.py turns foreign keys off).
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consultation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('section', sa.Integer(), nullable=True))
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_comment_consultation_id_consultation'),
                                    'consultation', ['consultation_id'], ['id'])
        batch_op.create_index('ix_comment_consultation_created',
                              ['consultation_id', 'created_at'], unique=False)
        batch_op.create_check_constraint(
            batch_op.f('ck_comment_one_discussion'), '(proposal_id IS NULL) <> (consultation_id IS NULL)')


def downgrade():
    op.execute("DELETE FROM flag WHERE comment_id IN "
               "(SELECT id FROM comment WHERE consultation_id IS NOT NULL)")
    op.execute("DELETE FROM comment WHERE consultation_id IS NOT NULL")
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_comment_one_discussion'), type_='check')
        batch_op.drop_index('ix_comment_consultation_created')
        batch_op.drop_constraint(batch_op.f('fk_comment_consultation_id_consultation'),
                                 type_='foreignkey')
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('section')
        batch_op.drop_column('consultation_id')

    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_opens_at'))
        batch_op.drop_index(batch_op.f('ix_consultation_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_closes_at'))
        batch_op.drop_index(batch_op.f('ix_consultation_call_id'))

    op.drop_table('consultation')

"""merge records: what each merge moved (supports, photos) and what the merged proposal was,
so that staff can undo it exactly within a day

Revision ID: 0021
Revises: 0020

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('merge_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=True),
    sa.Column('merged_at', sa.DateTime(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=False),
    sa.Column('was_decided_at', sa.DateTime(), nullable=True),
    sa.Column('was_first_answer_at', sa.DateTime(), nullable=True),
    sa.Column('was_reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['merged_by_id'], ['user.id'], name=op.f('fk_merge_record_merged_by_id_user')),
    sa.ForeignKeyConstraint(['source_id'], ['proposal.id'], name=op.f('fk_merge_record_source_id_proposal')),
    sa.ForeignKeyConstraint(['target_id'], ['proposal.id'], name=op.f('fk_merge_record_target_id_proposal')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['user.id'], name=op.f('fk_merge_record_undone_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merge_record'))
    )
    with op.batch_alter_table('merge_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_merge_record_source_id'), ['source_id'], unique=False)

    op.create_table('merged_photo',
    sa.Column('merge_id', sa.Integer(), nullable=False),
    sa.Column('photo_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['merge_id'], ['merge_record.id'], name=op.f('fk_merged_photo_merge_id_merge_record')),
    sa.PrimaryKeyConstraint('merge_id', 'photo_id', name=op.f('pk_merged_photo'))
    )
    op.create_table('merged_support',
    sa.Column('merge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.Column('carried', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['merge_id'], ['merge_record.id'], name=op.f('fk_merged_support_merge_id_merge_record')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_merged_support_user_id_user')),
    sa.PrimaryKeyConstraint('merge_id', 'user_id', name=op.f('pk_merged_support'))
    )


def downgrade():
    op.drop_table('merged_support')
    op.drop_table('merged_photo')
    with op.batch_alter_table('merge_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_merge_record_source_id'))

    op.drop_table('merge_record')

"""photos and documents: media_file (photos of proposals, PDF evidence of outcomes; pending
uploads have neither yet)

Revision ID: 0017
Revises: 0016

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('media_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('outcome_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('thumb_key', sa.String(length=64), nullable=True),
    sa.Column('content_type', sa.String(length=60), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('thumb_width', sa.Integer(), nullable=True),
    sa.Column('thumb_height', sa.Integer(), nullable=True),
    sa.Column('alt_text', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['outcome_id'], ['outcome.id'], name=op.f('fk_media_file_outcome_id_outcome')),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_media_file_owner_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_media_file_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_file')),
    sa.UniqueConstraint('key', name=op.f('uq_media_file_key'))
    )
    with op.batch_alter_table('media_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_media_file_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_file_outcome_id'), ['outcome_id'], unique=False)
        batch_op.create_index('ix_media_file_pending', ['owner_id', 'proposal_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_media_file_proposal_id'), ['proposal_id'], unique=False)


def downgrade():
    with op.batch_alter_table('media_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_media_file_proposal_id'))
        batch_op.drop_index('ix_media_file_pending')
        batch_op.drop_index(batch_op.f('ix_media_file_outcome_id'))
        batch_op.drop_index(batch_op.f('ix_media_file_created_at'))

    op.drop_table('media_file')

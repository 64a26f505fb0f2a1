"""workshops: a workshop may belong to a call (workshop.call_id); workshop_link: what came out
of a workshop (a new proposal, a project milestone or an outcome indicator)

Revision ID: 0018
Revises: 0017

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None
# Batch mode reflects `workshop` alone: reflecting the tables it refers to would reach
# `project`, whose expression index SQLAlchemy cannot reflect.
NO_REFERRED = {"resolve_fks": False}


def upgrade():
    with op.batch_alter_table('workshop', schema=None, reflect_kwargs=NO_REFERRED) as batch_op:
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_workshop_call_id'), ['call_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_workshop_call_id_call'), 'call',
                                    ['call_id'], ['id'])

    op.create_table('workshop_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(CASE WHEN proposal_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN milestone_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN indicator_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_workshop_link_links_one_thing')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_link_created_by_id_user')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_workshop_link_indicator_id_indicator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_workshop_link_milestone_id_milestone'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_workshop_link_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_link_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_link')),
    sa.UniqueConstraint('workshop_id', 'indicator_id', name=op.f('uq_workshop_link_workshop_id_indicator_id')),
    sa.UniqueConstraint('workshop_id', 'milestone_id', name=op.f('uq_workshop_link_workshop_id_milestone_id')),
    sa.UniqueConstraint('workshop_id', 'proposal_id', name=op.f('uq_workshop_link_workshop_id_proposal_id'))
    )
    with op.batch_alter_table('workshop_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_link_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_link_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_link_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_link_workshop_id'), ['workshop_id'], unique=False)


def downgrade():
    with op.batch_alter_table('workshop_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_link_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_link_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_link_milestone_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_link_indicator_id'))
    op.drop_table('workshop_link')

    with op.batch_alter_table('workshop', schema=None, reflect_kwargs=NO_REFERRED) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_workshop_call_id_call'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_workshop_call_id'))
        batch_op.drop_column('call_id')

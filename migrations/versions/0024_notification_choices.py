"""notifications about more than proposals, chosen per kind of event and channel:
notification.workshop_id, call_id, topic (proposal_id now optional); notification_choice,
call_watch, call_notice

Existing patrons keep what they chose: without a notification_choice row the default is read
from user.email_frequency (immediate: e-mail at once; weekly: the digest; none: neither).

Revision ID: 0024
Revises: 0023

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

PROJECT_KINDS = ('project_update', 'promoted', 'outcome')


def upgrade():
    op.create_table('notification_choice',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=20), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('wanted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_choice_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'topic', 'channel', name=op.f('pk_notification_choice'))
    )
    op.create_table('call_watch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_call_watch_branch_id_branch')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_call_watch_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_watch')),
    sa.UniqueConstraint('user_id', 'branch_id', name=op.f('uq_call_watch_user_id_branch_id'))
    )
    with op.batch_alter_table('call_watch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_watch_user_id'), ['user_id'], unique=False)
    op.create_table('call_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], name=op.f('fk_call_notice_call_id_call')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_notice')),
    sa.UniqueConstraint('call_id', 'kind', name=op.f('uq_call_notice_call_id_kind'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=20), server_default='decisions', nullable=False))
        batch_op.add_column(sa.Column('workshop_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('call_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('in_app', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('in_digest', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f('ix_notification_workshop_id'), ['workshop_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notification_call_id'), ['call_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_notification_workshop_id_workshop'), 'workshop', ['workshop_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_notification_call_id_call'), 'call', ['call_id'], ['id'])
    notification = sa.table('notification', sa.column('kind', sa.String),
                            sa.column('topic', sa.String), sa.column('user_id', sa.Integer),
                            sa.column('in_digest', sa.Boolean))
    op.execute(notification.update().where(notification.c.kind.in_(PROJECT_KINDS))
               .values(topic='projects'))
    # Patrons who chose the weekly digest keep reading their unread news in it.
    user = sa.table('user', sa.column('id', sa.Integer), sa.column('email_frequency', sa.String))
    op.execute(notification.update().where(notification.c.user_id.in_(
        sa.select(user.c.id).where(user.c.email_frequency == 'weekly'))).values(in_digest=True))


def downgrade():
    notification = sa.table('notification', sa.column('proposal_id', sa.Integer))
    op.execute(notification.delete().where(notification.c.proposal_id.is_(None)))
    # resolve_fks=False: no need to reflect the tables it points at (and their expression indexes)
    with op.batch_alter_table('notification', schema=None,
                              reflect_kwargs={'resolve_fks': False}) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notification_call_id_call'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_notification_workshop_id_workshop'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_notification_call_id'))
        batch_op.drop_index(batch_op.f('ix_notification_workshop_id'))
        batch_op.alter_column('proposal_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('in_digest')
        batch_op.drop_column('in_app')
        batch_op.drop_column('call_id')
        batch_op.drop_column('workshop_id')
        batch_op.drop_column('topic')
    op.drop_table('call_notice')
    with op.batch_alter_table('call_watch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_watch_user_id'))
    op.drop_table('call_watch')
    op.drop_table('notification_choice')

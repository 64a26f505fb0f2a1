"""co-design workshops: sessions, registrations, private calendar feeds, reminders sent; the
outbox carries one attachment (a calendar file)

Revision ID: 0014
Revises: 0013

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('room', sa.String(length=120), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('registered', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('patron_types', sa.String(length=200), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('check_in_code', sa.String(length=12), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_published_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('registered >= 0 AND registered <= places', name=op.f('ck_workshop_registered_within_places')),
    sa.CheckConstraint('places >= 0', name=op.f('ck_workshop_places_not_negative')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_workshop_ends_after_start')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_workshop_branch_id_branch')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_created_by_id_user')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_workshop_project_id_project')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop'))
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_workshop_starts', ['starts_at', 'id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('promoted_at', sa.DateTime(), nullable=True),
    sa.Column('attended_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_registration_user_id_user')),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_registration_workshop_id_workshop')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_registration_workshop_id_user_id'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index('ix_registration_workshop_state', ['workshop_id', 'state', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_user_id'), ['user_id'], unique=False)

    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feed_token')),
    sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id'))
    )

    op.create_table('reminder_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], name=op.f('fk_reminder_sent_registration_id_registration')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sent')),
    sa.UniqueConstraint('registration_id', 'kind', name=op.f('uq_reminder_sent_registration_id_kind'))
    )

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachment_name', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('attachment_type', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('attachment', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('attachment')
        batch_op.drop_column('attachment_type')
        batch_op.drop_column('attachment_name')
    op.drop_table('reminder_sent')
    op.drop_table('calendar_feed')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_user_id'))
        batch_op.drop_index('ix_registration_workshop_state')
    op.drop_table('registration')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index('ix_workshop_starts')
        batch_op.drop_index(batch_op.f('ix_workshop_project_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_created_at'))
        batch_op.drop_index(batch_op.f('ix_workshop_branch_id'))
    op.drop_table('workshop')

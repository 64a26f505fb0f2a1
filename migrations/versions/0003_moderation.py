"""moderation: timeline, promise dates, merging, flags, notifications, audit log, settings

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

# Rebuilding `proposal` on SQLite (batch mode) drops its triggers: put the search ones back.
SQLITE_SEARCH_TRIGGERS = [
    "DROP TRIGGER IF EXISTS proposal_fts_insert",
    "DROP TRIGGER IF EXISTS proposal_fts_delete",
    "DROP TRIGGER IF EXISTS proposal_fts_update",
    """CREATE TRIGGER proposal_fts_insert AFTER INSERT ON proposal BEGIN
        INSERT INTO proposal_fts(rowid, title, problem, suggestion)
        VALUES (new.id, new.title, new.problem, new.suggestion);
    END""",
    """CREATE TRIGGER proposal_fts_delete AFTER DELETE ON proposal BEGIN
        INSERT INTO proposal_fts(proposal_fts, rowid, title, problem, suggestion)
        VALUES ('delete', old.id, old.title, old.problem, old.suggestion);
    END""",
    """CREATE TRIGGER proposal_fts_update AFTER UPDATE OF title, problem, suggestion ON proposal
    BEGIN
        INSERT INTO proposal_fts(proposal_fts, rowid, title, problem, suggestion)
        VALUES ('delete', old.id, old.title, old.problem, old.suggestion);
        INSERT INTO proposal_fts(rowid, title, problem, suggestion)
        VALUES (new.id, new.title, new.problem, new.suggestion);
    END""",
]


def _restore_search_triggers():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_TRIGGERS:
            op.execute(statement)


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_entry_actor_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_audit_entry_subject', ['subject_type', 'subject_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_notification_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['source_id'], ['proposal.id'], name=op.f('fk_notification_source_id_proposal')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index('ix_notification_user_read', ['user_id', 'read_at'], unique=False)

    op.create_table('proposal_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_proposal_event_actor_id_user')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_event_proposal_id_proposal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_event'))
    )
    with op.batch_alter_table('proposal_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_proposal_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_proposal_event_proposal_created', ['proposal_id', 'created_at'], unique=False)

    op.create_table('flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(proposal_id IS NULL) <> (comment_id IS NULL)', name=op.f('ck_flag_one_subject')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_flag_comment_id_comment')),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_flag_proposal_id_proposal')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_flag_resolved_by_id_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_flag_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flag')),
    sa.UniqueConstraint('user_id', 'comment_id', name=op.f('uq_flag_user_id_comment_id')),
    sa.UniqueConstraint('user_id', 'proposal_id', name=op.f('uq_flag_user_id_proposal_id'))
    )
    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flag_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index('ix_flag_open', ['resolved_at', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flag_proposal_id'), ['proposal_id'], unique=False)

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('response_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('first_answer_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('feasibility_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_proposal_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_proposal_response_due_at'), ['response_due_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_proposal_merged_into_id_proposal'), 'proposal', ['merged_into_id'], ['id'])

    _restore_search_triggers()

    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.add_column(sa.Column('carried_from_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_support_carried_from_id'), ['carried_from_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_support_carried_from_id_proposal'), 'proposal', ['carried_from_id'], ['id'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=True))



def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locale')

    with op.batch_alter_table('support', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_support_carried_from_id_proposal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_support_carried_from_id'))
        batch_op.drop_column('carried_from_id')

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_proposal_merged_into_id_proposal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_proposal_response_due_at'))
        batch_op.drop_index(batch_op.f('ix_proposal_merged_into_id'))
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('feasibility_note')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('first_answer_at')
        batch_op.drop_column('response_due_at')
        batch_op.drop_column('published_at')
    _restore_search_triggers()

    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_column('hidden_at')

    with op.batch_alter_table('flag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flag_proposal_id'))
        batch_op.drop_index('ix_flag_open')
        batch_op.drop_index(batch_op.f('ix_flag_comment_id'))

    op.drop_table('flag')
    with op.batch_alter_table('proposal_event', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_event_proposal_created')
        batch_op.drop_index(batch_op.f('ix_proposal_event_actor_id'))

    op.drop_table('proposal_event')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user_read')
        batch_op.drop_index(batch_op.f('ix_notification_proposal_id'))

    op.drop_table('notification')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_subject')
        batch_op.drop_index(batch_op.f('ix_audit_entry_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))

    op.drop_table('audit_entry')
    op.drop_table('setting')

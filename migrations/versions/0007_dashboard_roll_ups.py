"""roll-ups the dashboard reads, filled from the rows already there: participation (a row per
person, day and scope, with their previous day) and supports per day, branch, category and kind
of start; who is registered counted by role and patron type from an index; proposals decided
and published in a period read off indexes

Revision ID: 0007
Revises: 0006

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('participation',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('previous_day', sa.Date(), nullable=False),
    sa.Column('patron_type', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_participation_user_id_user')),
    sa.PrimaryKeyConstraint('user_id', 'scope', 'day', name=op.f('pk_participation')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.create_index('ix_participation_first', ['scope', 'day', 'previous_day', 'patron_type'], unique=False)

    op.create_table('support_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    sa.Column('supports', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_support_tally_branch_id_branch')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_support_tally_category_id_category')),
    sa.PrimaryKeyConstraint('day', 'branch_id', 'category_id', 'by_staff', name=op.f('pk_support_tally')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_role'))
        batch_op.create_index('ix_user_role_patron_type', ['role', 'patron_type'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_decided', ['decided_at', 'status'], unique=False)
        batch_op.create_index('ix_proposal_published_answered', ['published_at', 'first_answer_at'], unique=False)

    _fill()


def _fill():
    """What the app's `rollups.rebuild()` does, frozen here as this revision's SQL."""
    sqlite = op.get_bind().dialect.name == "sqlite"

    def day(column):
        return f"date({column})" if sqlite else f"CAST({column} AS DATE)"

    op.execute(f"""
        WITH acts AS (
            SELECT author_id AS user_id, {day('created_at')} AS day, branch_id AS scope
              FROM proposal
            UNION SELECT s.user_id, {day('s.created_at')}, p.branch_id
              FROM support s JOIN proposal p ON p.id = s.proposal_id
            UNION SELECT c.author_id, {day('c.created_at')}, p.branch_id
              FROM comment c JOIN proposal p ON p.id = c.proposal_id
        ), scoped AS (
            SELECT user_id, day, scope FROM acts UNION SELECT user_id, day, 0 FROM acts
        )
        INSERT INTO participation (user_id, scope, day, previous_day, patron_type)
        SELECT s.user_id, s.scope, s.day,
               COALESCE(LAG(s.day) OVER (PARTITION BY s.user_id, s.scope ORDER BY s.day),
                        '0001-01-01'),
               u.patron_type
          FROM scoped s JOIN "user" u ON u.id = s.user_id
    """)
    op.execute(f"""
        INSERT INTO support_tally (day, branch_id, category_id, by_staff, supports)
        SELECT {day('s.created_at')}, p.branch_id, p.category_id,
               p.origin IN ('desk', 'staff'), count(*)
          FROM support s JOIN proposal p ON p.id = s.proposal_id
         GROUP BY {day('s.created_at')}, p.branch_id, p.category_id, p.origin IN ('desk', 'staff')
    """)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_published_answered')
        batch_op.drop_index('ix_proposal_decided')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index('ix_user_role_patron_type')
        batch_op.create_index(batch_op.f('ix_user_role'), ['role'], unique=False)

    op.drop_table('support_tally')
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_index('ix_participation_first')

    op.drop_table('participation')

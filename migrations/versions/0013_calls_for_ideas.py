"""calls for ideas: a call's four phases with their dates, the call a proposal was made in, and
supports tallied apart for invited participation (proposals made in a call)

Revision ID: 0013
Revises: 0012

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

PHASES = ('collecting', 'supporting', 'reviewing', 'results')
TALLY_KEY = "day, branch_id, category_id, by_staff"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    op.create_table('call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.String(length=140), nullable=False),
    sa.Column('title_zh', sa.String(length=140), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_zh', sa.Text(), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=False),
    sa.Column('summary_zh', sa.Text(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    *(sa.Column(f'{phase}_{edge}_at', sa.DateTime(), nullable=False)
      for phase in PHASES for edge in ('starts', 'ends')),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_call_branch_id_branch')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_call_category_id_category')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_call_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call'))
    )
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_call_collecting_starts_at', ['collecting_starts_at'], unique=False)
        batch_op.create_index('ix_call_results_starts_at', ['results_starts_at'], unique=False)

    if _sqlite():  # a plain ALTER: rebuilding `proposal` in batch mode would drop its triggers
        op.execute('ALTER TABLE proposal ADD COLUMN call_id INTEGER '
                   'CONSTRAINT fk_proposal_call_id_call REFERENCES "call" (id)')
    else:
        op.add_column('proposal', sa.Column('call_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_proposal_call_id_call'), 'proposal', 'call',
                              ['call_id'], ['id'])
    op.create_index(op.f('ix_proposal_call_id'), 'proposal', ['call_id'], unique=False)

    # The tally's key gains `invited`: no proposal is in a call yet, so every row is not.
    _rebuild_tally(invited=True, rows=f"SELECT {TALLY_KEY}, FALSE, supports FROM tally_copy")


def _rebuild_tally(*, invited: bool, rows: str) -> None:
    op.execute("CREATE TABLE tally_copy AS SELECT * FROM support_tally")
    op.drop_table('support_tally')
    key = ['day', 'branch_id', 'category_id', 'by_staff'] + (['invited'] if invited else [])
    op.create_table('support_tally',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('branch_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('by_staff', sa.Boolean(), nullable=False),
    *([sa.Column('invited', sa.Boolean(), nullable=False)] if invited else []),
    sa.Column('supports', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_support_tally_branch_id_branch')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_support_tally_category_id_category')),
    sa.PrimaryKeyConstraint(*key, name=op.f('pk_support_tally')),
    sqlite_with_rowid=False
    )
    columns = ", ".join([*key, "supports"])
    op.execute(f"INSERT INTO support_tally ({columns}) {rows}")
    op.drop_table('tally_copy')


def downgrade():
    _rebuild_tally(invited=False, rows=f"SELECT {TALLY_KEY}, sum(supports) FROM tally_copy "
                                       f"GROUP BY {TALLY_KEY}")
    op.drop_index(op.f('ix_proposal_call_id'), table_name='proposal')
    if _sqlite():
        # Batch mode rebuilds `proposal` (SQLite drops no column a foreign key uses), which
        # drops its triggers: they are read first and made again after.
        triggers = op.get_bind().exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'proposal'"
        ).scalars().all()
        with op.batch_alter_table('proposal', schema=None, recreate='always') as batch_op:
            batch_op.drop_column('call_id')
        for trigger in triggers:
            op.execute(trigger)
    else:
        op.drop_constraint(op.f('fk_proposal_call_id_call'), 'proposal', type_='foreignkey')
        op.drop_column('proposal', 'call_id')
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_index('ix_call_results_starts_at')
        batch_op.drop_index('ix_call_collecting_starts_at')
        batch_op.drop_index(batch_op.f('ix_call_created_by_id'))
        batch_op.drop_index(batch_op.f('ix_call_category_id'))
        batch_op.drop_index(batch_op.f('ix_call_branch_id'))
    op.drop_table('call')

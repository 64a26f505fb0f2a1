"""two-character Chinese search terms read an index: proposal_bigram holds every pair of
adjacent Chinese characters of every proposal, kept by triggers on both databases and filled
here from the proposals already there

Revision ID: 0008
Revises: 0007

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

CHINESE = "\u3400-\u9fff\uf900-\ufaff"
POSITIONS = 100_000  # SQLite: about ten times the longest text the forms take (10,142)


def _pairs(document: str, sqlite: bool) -> str:
    """The statement that keeps the pairs of `document`'s proposal (`owner`), frozen here as
    this revision's SQL (the app's copy: FILL_BIGRAMS in app/proposals/search.py)."""
    if sqlite:
        return f"""SELECT substr(d, n, 2), owner FROM (SELECT {document}) JOIN search_position
                    ON n < length(d) WHERE substr(d, n, 2) GLOB '[{CHINESE}][{CHINESE}]'"""
    return f"""SELECT DISTINCT substr(d, n, 2), owner FROM (SELECT {document}) doc,
                generate_series(1, length(d) - 1) AS n
                WHERE substr(d, n, 2) ~ '^[{CHINESE}]{{2}}$'"""


def _document(row: str) -> str:
    return f"{row}.id AS owner, {row}.title || ' ' || {row}.problem || ' ' || {row}.suggestion AS d"


def upgrade():
    op.create_table('proposal_bigram',
    sa.Column('bigram', sa.String(length=2), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_bigram_proposal_id_proposal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bigram', 'proposal_id', name=op.f('pk_proposal_bigram')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('proposal_bigram', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_bigram_proposal_id', ['proposal_id'], unique=False)

    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # no generate_series in SQLite's triggers (nor WITH): a table of positions
        op.execute("CREATE TABLE search_position (n INTEGER PRIMARY KEY)")
        op.execute(f"""WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s
                       WHERE n < {POSITIONS}) INSERT INTO search_position SELECT n FROM s""")
        insert = "INSERT OR IGNORE INTO proposal_bigram (bigram, proposal_id) "
        op.execute(f"""CREATE TRIGGER proposal_bigram_insert AFTER INSERT ON proposal BEGIN
            {insert}{_pairs(_document('new'), True)};
        END""")
        op.execute(f"""CREATE TRIGGER proposal_bigram_update
            AFTER UPDATE OF title, problem, suggestion ON proposal BEGIN
            DELETE FROM proposal_bigram WHERE proposal_id = old.id;
            {insert}{_pairs(_document('new'), True)};
        END""")
    else:
        op.execute(f"""CREATE FUNCTION proposal_bigram_keep() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'UPDATE' THEN
                    DELETE FROM proposal_bigram WHERE proposal_id = OLD.id;
                END IF;
                INSERT INTO proposal_bigram (bigram, proposal_id)
                {_pairs(_document('NEW'), False)};
                RETURN NULL;
            END $$""")
        op.execute("""CREATE TRIGGER proposal_bigram_keep
            AFTER INSERT OR UPDATE OF title, problem, suggestion ON proposal
            FOR EACH ROW EXECUTE FUNCTION proposal_bigram_keep()""")
    op.execute(f"INSERT {'OR IGNORE ' if sqlite else ''}INTO proposal_bigram (bigram, proposal_id) "
               f"{_pairs(_document('proposal') + ' FROM proposal', sqlite)}")
    if not sqlite:
        # The planner must know which pairs are rare: estimated as common, a pair found in no
        # proposal walked all of them in the list's order (0.16 s at L, 2 ms with these).
        op.execute("ALTER TABLE proposal_bigram ALTER COLUMN bigram SET STATISTICS 1000")
        op.execute("ANALYZE proposal_bigram")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "update"):
            op.execute(f"DROP TRIGGER proposal_bigram_{trigger}")
        op.execute("DROP TABLE search_position")
    else:
        op.execute("DROP TRIGGER proposal_bigram_keep ON proposal")
        op.execute("DROP FUNCTION proposal_bigram_keep()")
    with op.batch_alter_table('proposal_bigram', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_bigram_proposal_id')

    op.drop_table('proposal_bigram')

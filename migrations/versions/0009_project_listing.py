"""projects listed in order from an index: under way first, the latest start first (the
projects page), and the latest start first (the API); proposals under review by the date
their answer is due (the moderation queue)

Revision ID: 0009
Revises: 0008

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.create_index('ix_project_starts', ['starts_on', 'id'], unique=False)
    # An expression, made by hand (app/schema.py keeps autogenerate off it): the page's order,
    # so a page walks the index and stops, whatever the number of projects.
    op.execute("CREATE INDEX ix_project_listing ON project "
               "((completed_at IS NOT NULL), starts_on DESC, id DESC)")
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_status_due', ['status', 'response_due_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_status_due')
    op.execute("DROP INDEX ix_project_listing")
    with op.batch_alter_table('project', schema=None) as batch_op:
        batch_op.drop_index('ix_project_starts')

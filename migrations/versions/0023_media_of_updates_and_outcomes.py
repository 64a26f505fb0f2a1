"""files of project updates and outcomes: media_file.update_id (a project update's photos) and
media_file.held_for (which form a pending upload was held for)

Revision ID: 0023
Revises: 0022

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    if _sqlite():  # a plain ALTER: batch mode would rebuild the table, reflecting its neighbours
        op.execute('ALTER TABLE media_file ADD COLUMN update_id INTEGER '
                   'CONSTRAINT fk_media_file_update_id_project_update '
                   'REFERENCES project_update (id)')
    else:
        op.add_column('media_file', sa.Column('update_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_media_file_update_id_project_update'), 'media_file',
                              'project_update', ['update_id'], ['id'])
    op.add_column('media_file', sa.Column('held_for', sa.String(length=40), nullable=False,
                                          server_default=''))
    op.create_index(op.f('ix_media_file_update_id'), 'media_file', ['update_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_media_file_update_id'), table_name='media_file')
    op.drop_column('media_file', 'held_for')
    if _sqlite():  # SQLite drops no column a foreign key uses: the table is rebuilt (read
        # alone: the tables its keys name need not be, and `project` has an expression index)
        with op.batch_alter_table('media_file', schema=None, recreate='always',
                                  reflect_kwargs={"resolve_fks": False}) as batch_op:
            batch_op.drop_column('update_id')
    else:
        op.drop_constraint(op.f('fk_media_file_update_id_project_update'), 'media_file',
                           type_='foreignkey')
        op.drop_column('media_file', 'update_id')

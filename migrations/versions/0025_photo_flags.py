"""flags on photos: flag.media_file_id (a photo on a proposal, a project update or an outcome,
its flags deleted with it), one flag per patron and photo, and a flag is about exactly one thing

Revision ID: 0025
Revises: 0024

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

TWO = "(proposal_id IS NULL) <> (comment_id IS NULL)"
THREE = ("CAST(proposal_id IS NOT NULL AS INTEGER) + CAST(comment_id IS NOT NULL AS INTEGER)"
         " + CAST(media_file_id IS NOT NULL AS INTEGER) = 1")


def _batch():
    """SQLite changes no constraint in place: the table is rebuilt, read alone (the tables its
    keys name need not be)."""
    return op.batch_alter_table('flag', schema=None, recreate='auto',
                                reflect_kwargs={"resolve_fks": False})


def upgrade():
    with _batch() as batch_op:
        batch_op.add_column(sa.Column('media_file_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_flag_media_file_id_media_file'), 'media_file',
                                    ['media_file_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_flag_media_file_id'), ['media_file_id'],
                              unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_flag_user_id_media_file_id'),
                                          ['user_id', 'media_file_id'])
        batch_op.drop_constraint(batch_op.f('ck_flag_one_subject'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_flag_one_subject'), sa.text(THREE))


def downgrade():
    op.execute("DELETE FROM flag WHERE media_file_id IS NOT NULL")
    with _batch() as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_flag_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_flag_user_id_media_file_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_flag_media_file_id'))
        batch_op.drop_constraint(batch_op.f('fk_flag_media_file_id_media_file'),
                                 type_='foreignkey')
        batch_op.drop_column('media_file_id')
        batch_op.create_check_constraint(batch_op.f('ck_flag_one_subject'), sa.text(TWO))

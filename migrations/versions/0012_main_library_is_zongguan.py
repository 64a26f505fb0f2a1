"""the main library's Chinese name is 总馆, as patrons and staff write it (it was 总图书馆);
a name an administrator has changed since is left as it is

Revision ID: 0012
Revises: 0011

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BRANCH = sa.table("branch", sa.column("slug", sa.String), sa.column("name_zh", sa.String))
SEEDED, NOW = "总图书馆", "总馆"  # 0002 seeded the first


def _rename(old: str, new: str) -> None:
    op.execute(BRANCH.update().where(BRANCH.c.slug == "main", BRANCH.c.name_zh == old)
               .values(name_zh=new))
    # Visitors' kept pages show branch names: app/pagecache.py moves the revision on every
    # write, but not during a migration (migrations/env.py), so this one moves it itself.
    op.execute("UPDATE content_revision SET number = number + 1 WHERE id = 1")


def upgrade():
    _rename(SEEDED, NOW)


def downgrade():
    _rename(NOW, SEEDED)

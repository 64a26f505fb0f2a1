"""search index (FTS5 trigram / pg_trgm) and the seeded categories and branches

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CATEGORIES = [
    ("spaces", "Study spaces and seating", "学习空间与座位"),
    ("hours", "Opening hours", "开放时间"),
    ("collections", "Books and collections", "图书与馆藏"),
    ("digital", "E-resources and databases", "电子资源与数据库"),
    ("technology", "Computers, printing and Wi-Fi", "电脑、打印与无线网络"),
    ("services", "Loans and services", "借阅与服务"),
    ("teaching", "Workshops and research support", "讲座与科研支持"),
    ("accessibility", "Accessibility", "无障碍服务"),
    ("environment", "Comfort and environment", "环境与舒适度"),
    ("other", "Other", "其他"),
]
BRANCHES = [
    ("main", "Main Library", "总图书馆"),
    ("science", "Science Library", "理工图书馆"),
    ("humanities", "Humanities and Social Sciences Library", "人文社科图书馆"),
    ("medical", "Medical Library", "医学图书馆"),
    ("law", "Law Library", "法学图书馆"),
    ("xiangan", "Xiang'an Campus Library", "翔安校区图书馆"),
    ("online", "Online services (all branches)", "线上服务（全馆）"),
]

SQLITE_UP = [
    """CREATE VIRTUAL TABLE proposal_fts USING fts5(
        title, problem, suggestion, content='proposal', content_rowid='id', tokenize='trigram')""",
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
    "INSERT INTO proposal_fts(proposal_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER proposal_fts_update",
    "DROP TRIGGER proposal_fts_delete",
    "DROP TRIGGER proposal_fts_insert",
    "DROP TABLE proposal_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE INDEX search_proposal_trgm ON proposal
        USING gin ((title || ' ' || problem || ' ' || suggestion) gin_trgm_ops)""",
]
POSTGRES_DOWN = ["DROP INDEX search_proposal_trgm"]


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_UP if sqlite else POSTGRES_UP)
    reference = sa.table(
        "category", sa.column("slug"), sa.column("name_en"), sa.column("name_zh"),
        sa.column("position"),
    )
    op.bulk_insert(reference, [
        {"slug": s, "name_en": en, "name_zh": zh, "position": i}
        for i, (s, en, zh) in enumerate(CATEGORIES)
    ])
    branch = sa.table(
        "branch", sa.column("slug"), sa.column("name_en"), sa.column("name_zh"),
        sa.column("position"),
    )
    op.bulk_insert(branch, [
        {"slug": s, "name_en": en, "name_zh": zh, "position": i}
        for i, (s, en, zh) in enumerate(BRANCHES)
    ])


def downgrade():
    op.execute("DELETE FROM branch")
    op.execute("DELETE FROM category")
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_DOWN if sqlite else POSTGRES_DOWN)

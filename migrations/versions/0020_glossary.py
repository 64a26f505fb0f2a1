"""glossary: library terms in English and Chinese (seat / 座位) that let the similar-proposals
hint find the same idea written in the other language; seeded with the common ones

Revision ID: 0020
Revises: 0019

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# Frozen here as this revision's data; administrators extend the table at /admin/glossary.
PAIRS = [
    ("seat", "座位"), ("socket", "插座"), ("study room", "自习室"),
    ("air conditioning", "空调"), ("noise", "噪音"), ("opening hours", "开放时间"),
    ("printing", "打印"), ("borrowing", "借书"), ("returning books", "还书"),
    ("photocopy", "复印"), ("scanner", "扫描"), ("locker", "储物柜"),
    ("water fountain", "饮水机"), ("toilet", "厕所"), ("lighting", "灯光"),
    ("wifi", "无线网"), ("computer", "电脑"), ("seminar room", "研讨室"),
    ("booking", "预约"), ("journal", "期刊"), ("database", "数据库"),
    ("renewal", "续借"), ("overdue", "逾期"), ("interlibrary loan", "馆际互借"),
    ("heating", "暖气"), ("temperature", "温度"), ("quiet", "安静"),
    ("desk", "桌子"), ("chair", "椅子"), ("shelf", "书架"), ("catalogue", "目录"),
    ("signage", "标识"), ("accessibility", "无障碍"), ("lift", "电梯"), ("bicycle", "自行车"),
    ("e-book", "电子书"), ("coffee", "咖啡"),
]


def upgrade():
    glossary = op.create_table('glossary_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('english', sa.String(length=40), nullable=False),
    sa.Column('chinese', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_glossary_term')),
    sa.UniqueConstraint('english', 'chinese', name=op.f('uq_glossary_term_english_chinese'))
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(glossary, [{"english": english, "chinese": chinese, "created_at": now}
                              for english, chinese in PAIRS])


def downgrade():
    op.drop_table('glossary_term')

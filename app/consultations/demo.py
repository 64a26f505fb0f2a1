"""The demo's consultation (`flask seed-demo`, app/demo.py): the draft noise-zone rules, open
for comments now, with comments in both languages on the whole and on its sections. Keyed by
its English title; flushes, never commits."""
from datetime import datetime, timedelta

from sqlalchemy import select

from app.consultations import services
from app.consultations.models import Consultation
from app.extensions import db
from app.timeutil import to_library_time

TITLE_EN = "Draft noise-zone rules"
TITLE_ZH = "噪音分区规则（草案）"
BODY_EN = """From next term the Main Library is divided into three noise zones. Tell us what \
works and what does not, section by section.

## Silent zone: floors 4 and 5
No talking and no phone calls. Keyboards and laptops are fine; headphones must not be heard by \
your neighbours.

## Quiet zone: floor 2
Short conversations in a low voice. Phone calls only in the phone booths by the lifts.

## Group zone: floor 1 and the group rooms
Talking is welcome. Group rooms are booked online for up to two hours at a time.
"""
BODY_ZH = """从下学期起，总馆将分为三个噪音区。请逐条告诉我们哪些可行、哪些不可行。

## 静音区：四楼和五楼
禁止交谈和接打电话。可以使用键盘和笔记本电脑；耳机声音不得让旁边的人听到。

## 安静区：二楼
可以低声简短交谈。接打电话请到电梯旁的电话亭。

## 小组区：一楼和小组讨论室
欢迎交流讨论。小组讨论室可在网上预约，每次最多两小时。
"""
COMMENTS = [
    ("wang.haoran", 1, "Mechanical keyboards are loud. Could the silent zone ask for quiet "
                       "keyboards, or keep a few tables for typing?"),
    ("li.xinyi", 1, "五楼的电话亭太少了，建议每层都设一个，不然大家还是会在楼梯间打电话。"),
    ("zhao.yuting", 2, "二楼“低声交谈”的标准不清楚，希望能贴出示例或标识。"),
    ("emma.zhang", 3, "Two hours is too short for a group project before exams: please allow "
                      "three in exam weeks."),
    ("sun.ming", None, "Clear rules help a lot. Please put the zone map at every entrance."),
]


def seed(users, now: datetime, echo) -> int:
    """The demo's consultation and its comments; returns how many consultations were new."""
    if db.session.scalar(select(Consultation.id).where(Consultation.title_en == TITLE_EN)):
        echo("Demo consultation: already there.")
        return 0
    opens = to_library_time(now - timedelta(days=3)).replace(second=0, microsecond=0)
    consultation = services.create(
        by=users["chen.jing"], title_en=TITLE_EN, title_zh=TITLE_ZH, body_en=BODY_EN,
        body_zh=BODY_ZH, opens_at=opens, closes_at=opens + timedelta(days=14), call_id=None)
    for handle, section, body in COMMENTS:
        services.add_comment(consultation, author=users[handle], body=body, section=section)
    db.session.flush()
    echo(f"Demo consultation: “{TITLE_EN}” with {len(COMMENTS)} comments.")
    return 1

from datetime import datetime, timedelta

import pytest

from app.consultations import services
from app.extensions import db

# Comments open and close on the library's clock (Asia/Shanghai, UTC+8), as staff enter them.
OPENS = datetime(2026, 3, 2, 9, 0)
CLOSES = datetime(2026, 3, 9, 17, 0)
EIGHT_HOURS = timedelta(hours=8)
BEFORE = OPENS - EIGHT_HOURS - timedelta(minutes=1)  # UTC moments, as stored
DURING = OPENS - EIGHT_HOURS + timedelta(days=1)
AFTER = CLOSES - EIGHT_HOURS + timedelta(minutes=1)

BODY_EN = """Three zones from next term.

## Silent zone
No talking on floors 4 and 5.

## Quiet zone
Low voices on floor 2.

## Group zone
Talking welcome on floor 1.
"""
BODY_ZH = """下学期起分为三个区。

## 静音区
四楼和五楼禁止交谈。

## 安静区
二楼低声交谈。

## 小组区
一楼欢迎交流。
"""
RESPONSE = """We changed two rules after your comments.

## Silent zone
Phone booths on every silent floor.

## Quiet zone
Signs show what a low voice means.

## Group zone
Rooms bookable for three hours in exam weeks.
"""


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


@pytest.fixture
def make_consultation(app, staff):
    def make(**fields):
        values = {"title_en": "Draft noise-zone rules", "title_zh": "噪音分区规则（草案）",
                  "body_en": BODY_EN, "body_zh": BODY_ZH, "opens_at": OPENS,
                  "closes_at": CLOSES, "call_id": None} | fields
        consultation = services.create(by=staff, **values)
        db.session.commit()
        return consultation
    return make


def form(**fields) -> dict:
    return {"title_en": "Draft noise-zone rules", "title_zh": "", "body_en": BODY_EN,
            "body_zh": "", "opens_at": OPENS.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": CLOSES.strftime("%Y-%m-%dT%H:%M"), "call_id": "None"} | fields

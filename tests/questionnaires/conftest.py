import pytest

from app.auth.models import User
from app.extensions import db
from app.questionnaires import services
from tests.calls.moments import COLLECTING


@pytest.fixture
def staff(make_user):
    return make_user(role="staff", name="Librarian Wang")


# A questionnaire of every kind: (kind, fields) in order.
QUESTIONS = [
    ("single", {"text_en": "Which floor do you study on most?", "text_zh": "你最常在哪层学习？",
                "options_en": "Floor 2\nFloor 3\nFloor 4", "options_zh": "二楼\n三楼\n四楼"}),
    ("multiple", {"text_en": "What should floor 3 offer?",
                  "options_en": "Group rooms\nSockets\nCafé corner\nSilent seats",
                  "max_choices": 2}),
    ("scale", {"text_en": "How crowded is floor 3 in exam week?"}),
    ("ranking", {"text_en": "Rank the opening hours you prefer",
                 "options_en": "Until 22:00\nUntil midnight\nAround the clock"}),
    ("text", {"text_en": "Anything else?", "text_zh": "还有什么想说的？"}),
]


@pytest.fixture
def make_questionnaire(app, make_call, clock):
    """A call (tests/calls/moments.py's phases) carrying QUESTIONS; the clock in collecting."""
    def make(**call_fields):
        call = make_call(**call_fields)
        staff = db.session.get(User, call.created_by_id)
        for kind, fields in QUESTIONS:
            services.add_question(call, by=staff, kind=kind, **fields)
        db.session.commit()
        clock(COLLECTING)
        return services.of_call(call)
    return make

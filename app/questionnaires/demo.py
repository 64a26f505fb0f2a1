"""The demo's questionnaire (`flask seed-demo`, app/demo.py): the open demo call asks four short
questions, and a few patrons have answered (two of them anonymously). Flushes, never commits."""
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.proposals.calls import Call
from app.questionnaires import services

CALL = "Ideas for the new learning commons on floor 3"  # app/calls/demo.py's open call
QUESTIONS = [
    {"kind": "single", "text_en": "How often do you study on floor 3?",
     "text_zh": "你多久在三楼学习一次？",
     "options_en": "Every day\nA few times a week\nRarely\nNever",
     "options_zh": "每天\n每周几次\n很少\n从不"},
    {"kind": "multiple", "text_en": "What should the new learning commons offer?",
     "text_zh": "新的学习共享空间应该提供什么？",
     "options_en": "Group rooms\nSilent seats\nSockets at every desk\nA café corner",
     "options_zh": "小组讨论室\n静音座位\n每张桌子都有插座\n咖啡角", "max_choices": 2},
    {"kind": "scale", "text_en": "How hard is it to find a seat there in exam week?",
     "text_zh": "考试周在那里找座位有多难？"},
    {"kind": "text", "text_en": "Anything else we should know?",
     "text_zh": "还有什么想告诉我们的？"},
]
# (patron, answers by question position, anonymously)
ANSWERS = [
    ("wang.haoran", {0: 0, 1: [0, 2], 2: 5, 3: "Please keep the big windows."}, False),
    ("li.xinyi", {0: 1, 1: [2], 2: 4, 3: "插座越多越好。"}, True),
    ("zhao.yuting", {0: 1, 1: [1, 2], 2: 5}, False),
    ("emma.zhang", {0: 2, 1: [3], 2: 3}, True),
    ("sun.ming", {0: 0, 1: [0, 1], 2: 4}, False),
]


def seed_questionnaire(users, now: datetime, echo) -> int:
    """Returns 1 when the questionnaire was new, else 0."""
    call = db.session.scalar(select(Call).where(Call.title_en == CALL))
    if call is None or services.of_call(call) is not None:
        return 0
    staff = users["chen.jing"]
    for spec in QUESTIONS:
        services.add_question(call, by=staff, **spec)
    questionnaire = services.of_call(call)
    ids = [question.id for question in questionnaire.questions]
    for handle, answers, anonymous in ANSWERS:
        services.answer(questionnaire, users[handle],
                        {ids[position]: value for position, value in answers.items()},
                        anonymous=anonymous, now=now)
    echo(f"Demo questionnaire: {len(QUESTIONS)} questions, {len(ANSWERS)} answers.")
    return 1

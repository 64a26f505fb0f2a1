"""The demo's calls for ideas (`flask seed-demo`, app/demo.py): one open with proposals, one
coming up, one past with its closing summary. Keyed by English title; flushes, never commits."""
from datetime import datetime, timedelta

from sqlalchemy import select

from app.calls import services as calls
from app.extensions import db
from app.proposals import lifecycle
from app.proposals import services as proposals
from app.proposals.calls import Call
from app.timeutil import to_library_time

DAY = timedelta(days=1)


def _phases(collecting_starts: datetime, *lengths: int) -> dict:
    """Phases one after another from `collecting_starts`, lasting `lengths` days each, as a
    form on the library's clock gives them."""
    moments, start = {}, to_library_time(collecting_starts).replace(second=0, microsecond=0)
    for phase, days in zip(("collecting", "supporting", "reviewing", "results"), lengths,
                           strict=True):
        moments[f"{phase}_starts_at"], start = start, start + days * DAY
        moments[f"{phase}_ends_at"] = start
    return moments


CALLS = [
    {"title_en": "Ideas for the new learning commons on floor 3",
     "title_zh": "三楼新学习共享空间，请你出主意",
     "description_en": "The third floor of the Main Library is being refitted next term. "
                       "**What should the new learning commons offer?** Group rooms, "
                       "silent seats, sockets, a café corner: tell us, and support the ideas "
                       "you like.",
     "description_zh": "总馆三楼下学期改造。**新的学习共享空间应该提供什么**？"
                       "小组讨论室、静音座位、插座、咖啡角……"
                       "请告诉我们，并支持你喜欢的想法。",
     "branch": "main", "category": "spaces", "starts": -3, "lengths": (14, 7, 7, 60),
     "ideas": [("wang.haoran", "Bookable group rooms with whiteboards on floor 3",
                "Groups meet in the stairwell because there is nowhere to talk.",
                "Build four glass group rooms with whiteboards, bookable online for two hours."),
               ("li.xinyi", "三楼每个座位都要有插座",
                "现在三楼只有靠墙的座位有插座，大家都抢那几个位置，笔记本电脑经常没电。",
                "改造时给每张桌子都装上插座和USB接口，并在地面布线，避免绊倒。")],
     "supporters": ["zhao.yuting", "emma.zhang"]},
    {"title_en": "Exam-week opening hours: which do you prefer?",
     "title_zh": "考试周开放时间，你更喜欢哪种？",
     "description_en": "Before the exams, tell us when you need the library open.",
     "description_zh": "考试之前，请告诉我们你需要图书馆在什么时间开放。",
     "branch": None, "category": "hours", "starts": 7, "lengths": (10, 5, 5, 30),
     "ideas": [], "supporters": []},
    {"title_en": "Quiet zones in the Main Library",
     "title_zh": "总馆的安静区",
     "description_en": "Where should the library be silent, and where may people talk?",
     "description_zh": "图书馆哪里应该保持安静，哪里可以交谈？",
     "summary_en": "Thirty-one ideas came in. From next month floors 4 and 5 are silent "
                   "zones, floor 2 is for quiet talk, and the group rooms stay on floor 1.",
     "summary_zh": "共收到三十一条建议。从下个月起，四楼和五楼为静音区，二楼可轻声交谈，"
                   "小组讨论室仍在一楼。",
     "branch": "main", "category": "environment", "starts": -60, "lengths": (14, 7, 9, 90),
     "ideas": [("sun.ming", "Make floors 4 and 5 completely silent",
                "Phone calls on floor 4 make it impossible to concentrate before exams.",
                "Mark floors 4 and 5 as silent zones with signs and a phone booth by the lifts.")],
     "supporters": ["lin.zhiyuan"]},
]


def seed_calls(users, categories, branches, now: datetime, echo) -> int:
    """The demo's calls and the proposals made in them; returns how many calls were new."""
    known = set(db.session.scalars(select(Call.title_en)))
    staff, added = users["chen.jing"], 0
    for spec in CALLS:
        if spec["title_en"] in known:
            continue
        call = calls.create(
            by=staff, **{k: spec.get(k, "") for k in ("title_en", "title_zh", "description_en",
                                                     "description_zh", "summary_en",
                                                     "summary_zh")},
            branch_id=branches[spec["branch"]] if spec["branch"] else None,
            category_id=categories[spec["category"]],
            **_phases(now + spec["starts"] * DAY, *spec["lengths"]))
        for handle, title, problem, suggestion in spec["ideas"]:
            proposal = proposals.create(
                author=users[handle], title=title, problem=problem, suggestion=suggestion,
                category_id=call.category_id, branch_id=call.branch_id or branches["main"])
            lifecycle.transition(proposal, "publish", by=staff)
            for supporter in spec["supporters"]:
                proposals.support(proposal, users[supporter])
            # Made while the call collected ideas (for a past call, weeks ago); the seed
            # rebuilds the dashboard's roll-ups from the rows afterwards.
            proposal.call_id = call.id
        added += 1
    db.session.flush()
    echo(f"Demo calls for ideas: {added} new, {len(CALLS) - added} already there.")
    return added


IDEAS_IN_CALLS = sum(len(spec["ideas"]) for spec in CALLS)  # proposals the calls add

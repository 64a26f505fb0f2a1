"""Stored counters against the rows they count: after generating, and after the support load."""
import math
import random

from sqlalchemy import text

from app.timeutil import DEFAULT_ZONE

MISMATCHED = {
    "support_count_mismatches": """
        SELECT count(*) FROM proposal p
        LEFT JOIN (SELECT proposal_id, count(*) AS n FROM support GROUP BY proposal_id) s
          ON s.proposal_id = p.id
        WHERE p.support_count <> coalesce(s.n, 0)""",
    "comment_count_mismatches": """
        SELECT count(*) FROM proposal p
        LEFT JOIN (SELECT proposal_id, count(*) AS n FROM comment GROUP BY proposal_id) c
          ON c.proposal_id = p.id
        WHERE p.comment_count <> coalesce(c.n, 0)""",
    "project_members_mismatches": """
        SELECT count(*) FROM project j
        LEFT JOIN (SELECT project_id, count(*) AS n FROM volunteer WHERE state = 'member'
                   GROUP BY project_id) v ON v.project_id = j.id
        WHERE j.members <> coalesce(v.n, 0)""",
}


def counters(connection) -> dict:
    return {name: connection.execute(text(sql)).scalar_one() for name, sql in MISMATCHED.items()}


def supports_exact(connection) -> dict:
    """After the toggle load: every proposal's shown count against its Support rows, the
    dashboard's tally (per day, branch, category and kind of start) against them too, and its
    people per day, week and month against the participation rows."""
    result = {"support_count_mismatches": connection.execute(
        text(MISMATCHED["support_count_mismatches"])).scalar_one()}
    result["tally_mismatches"] = tally_mismatches(connection)
    result["participant_mismatches"] = participant_mismatches(connection)
    result["proposals"] = connection.execute(text("SELECT count(*) FROM proposal")).scalar_one()
    result["supports"] = connection.execute(text("SELECT count(*) FROM support")).scalar_one()
    return result


def library_day(connection, column: str) -> str:
    """The library's day (the default LIBRARY_TIMEZONE, Asia/Shanghai, which the benchmark's
    server runs with) of a stored UTC moment, in SQL of its own: SQLite by the zone's offset
    (Shanghai has kept +8 hours all year since 1991), PostgreSQL by its time zone database."""
    if connection.dialect.name == "sqlite":
        return f"date({column}, '+8 hours')"
    return f"CAST(timezone('{DEFAULT_ZONE}', timezone('UTC', {column})) AS DATE)"


def tally_mismatches(connection) -> int:
    """Rows of the support tally that differ from the supports counted afresh, either way."""
    day = library_day(connection, "s.created_at")
    counted = f"""
        SELECT {day}, p.branch_id, p.category_id, p.origin IN ('desk', 'staff'), count(*)
          FROM support s JOIN proposal p ON p.id = s.proposal_id
         GROUP BY {day}, p.branch_id, p.category_id, p.origin IN ('desk', 'staff')"""
    kept = """SELECT day, branch_id, category_id, by_staff, supports FROM support_tally
               WHERE supports <> 0"""
    return _differing(connection, counted, kept)


FIRST_DAYS = {  # of the week (from Monday) and the month holding `day`
    "sqlite": {"week": "date(day, 'weekday 0', '-6 days')", "month": "date(day, 'start of month')"},
    "postgresql": {unit: f"CAST(date_trunc('{unit}', CAST(day AS timestamp)) AS date)"
                   for unit in ("week", "month")},
}


def participant_mismatches(connection) -> int:
    """Rows of the people counted per scope and day, week or month that differ from those
    counted afresh from the participation rows, either way."""
    firsts = {"day": "day", **FIRST_DAYS[connection.dialect.name]}
    counted = " UNION ALL ".join(
        f"SELECT scope, '{unit}', {first}, count(DISTINCT user_id) FROM participation "
        f"GROUP BY scope, {first}" for unit, first in firsts.items())
    kept = "SELECT scope, unit, first_day, people FROM participant_count WHERE people <> 0"
    return _differing(connection, counted, kept)


def _differing(connection, counted: str, kept: str) -> int:
    """Rows of either that the other lacks (each a subquery: one may be a compound)."""
    return sum(connection.execute(text(
        f"SELECT count(*) FROM (SELECT * FROM ({one}) AS one EXCEPT "
        f"SELECT * FROM ({other}) AS other) AS differing")).scalar_one()
        for one, other in ((counted, kept), (kept, counted)))


def trending_sample(connection, weight, sample: int = 300) -> dict:
    """Trending scores recomputed from the rows (no pow() in every SQLite build): the most
    supported proposals and a random sample of the rest, summed in id order like the load."""
    top = [pid for (pid,) in connection.execute(text(
        "SELECT id FROM proposal ORDER BY support_count DESC LIMIT :n"), {"n": sample // 3})]
    every = connection.execute(text("SELECT max(id) FROM proposal")).scalar_one() or 0
    chosen = sorted(set(top) | set(random.Random(0).sample(range(1, every + 1),
                                                           min(sample, every))))
    wrong = 0
    for pid in chosen:
        created, stored = connection.execute(text(
            "SELECT created_at, trending_score FROM proposal WHERE id = :id"), {"id": pid}).one()
        score = weight(_when(created))
        for (moment,) in connection.execute(text(
                "SELECT created_at FROM support WHERE proposal_id = :id ORDER BY id"), {"id": pid}):
            score += weight(_when(moment))
        wrong += not math.isclose(score, stored, rel_tol=1e-9)
    return {"trending_checked": len(chosen), "trending_mismatches": wrong}


def _when(value):
    from datetime import datetime

    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def fts(connection) -> str:
    """FTS5's own check that the index matches its external content table."""
    try:
        connection.execute(text(
            "INSERT INTO proposal_fts(proposal_fts, rank) VALUES ('integrity-check', 1)"))
    except Exception as error:  # noqa: BLE001 - the message is the finding
        return f"broken: {error}"
    return "ok"

"""The dashboard's figures kept in the database, one row per period, branch and language.

Working them out reads every support of the period (seconds at millions of supports); reading
them back is one row, the same for every worker and host.
"""
import json
from dataclasses import asdict
from datetime import datetime, timedelta

from markupsafe import Markup
from sqlalchemy import delete, select

from app.extensions import db
from app.insight import metrics, report
from app.insight.models import FigureSnapshot
from app.statements import dialect_insert
from app.timeutil import utcnow

Figures = dict[str, report.Figure]


def key_of(period: metrics.Period, locale: str) -> str:
    branch = "all" if period.branch_id is None else period.branch_id
    return f"{period.start}/{period.end}/{branch}/{locale}"


def compute(period: metrics.Period) -> tuple[Figures, datetime]:
    """The figures in the current language, and the moment their data was read."""
    now = utcnow()
    return report.build(period, now), now


def read(period: metrics.Period, locale: str) -> tuple[Figures, datetime] | None:
    row = db.session.execute(select(FigureSnapshot.body, FigureSnapshot.computed_at)
                             .where(FigureSnapshot.key == key_of(period, locale))).first()
    return None if row is None else (_loads(row.body), row.computed_at)


def computed_at(period: metrics.Period, locale: str) -> datetime | None:
    return db.session.scalar(select(FigureSnapshot.computed_at)
                             .where(FigureSnapshot.key == key_of(period, locale)))


def store(period: metrics.Period, locale: str, figures: Figures, at: datetime) -> None:
    """An upsert in a short transaction of its own, so a GET request's session stays a reader.
    Two workers storing the same key at once both succeed; the newer figures stay."""
    statement = dialect_insert(FigureSnapshot).values(
        key=key_of(period, locale), computed_at=at, body=_dumps(figures))
    statement = statement.on_conflict_do_update(
        index_elements=[FigureSnapshot.key],
        set_={"computed_at": statement.excluded.computed_at, "body": statement.excluded.body},
        where=FigureSnapshot.computed_at < statement.excluded.computed_at)
    with db.engine.begin() as connection:
        connection.execute(statement)


def refresh(period: metrics.Period, locale: str, *, unless_within: timedelta | None = None) -> bool:
    """Work the figures out again and store them; not when they are younger than `unless_within`
    (several staff may find the same figures old at once, each queueing a refresh)."""
    if unless_within is not None:
        at = computed_at(period, locale)
        if at is not None and utcnow() - at < unless_within:
            return False
    store(period, locale, *compute(period))
    return True


def forget_older_than(age: timedelta) -> None:
    """Figures too old to show are worked out again when asked for: their rows can go."""
    older = FigureSnapshot.computed_at < utcnow() - age
    with db.engine.begin() as connection:
        connection.execute(delete(FigureSnapshot).where(older))


def _dumps(figures: Figures) -> str:
    return json.dumps([asdict(figure) for figure in figures.values()], ensure_ascii=False,
                      default=str)  # lazy strings, should a figure ever hold one


def _loads(body: str) -> Figures:
    figures = [report.Figure(**(kept | {"chart": _chart(kept["chart"])}))
               for kept in json.loads(body)]
    return {figure.key: figure for figure in figures}


def _chart(kept: str | None) -> Markup | None:
    """A chart as charts.py drew it (labels escaped) and `refresh` stored it: only this module
    writes the figures' table."""
    return None if kept is None else Markup(kept)  # noqa: S704 - our own chart # nosec B704

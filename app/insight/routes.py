import csv
import io
from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale

from app.insight import tasks
from app.auth.decorators import staff_required
from app.insight import metrics, snapshots
from app.timeutil import library_today, utcnow

bp = Blueprint("insight", __name__, url_prefix="/staff")
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366
EARLIEST = date(1970, 1, 1)


def _period() -> metrics.Period:
    """The chosen period and branch; anything unreadable falls back to the last 90 days."""
    today = library_today()

    def day(name: str, default: date) -> date:
        try:
            return date.fromisoformat((request.args.get(name) or "")[:10])
        except ValueError:
            return default

    end = max(min(day("to", today), today), EARLIEST)  # 0001-01-01 minus 90 days overflows
    start = day("from", end - timedelta(days=DEFAULT_DAYS - 1))
    if start > end or (end - start).days > MAX_DAYS:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    branch = request.args.get("branch", "")
    branch_id = int(branch) if branch.isascii() and branch.isdigit() and len(branch) < 9 else None
    return metrics.Period(start, end, branch_id)


def default_period() -> metrics.Period:
    """The last 90 days, all branches: what staff see first, kept worked out by a job."""
    today = library_today()
    return metrics.Period(today - timedelta(days=DEFAULT_DAYS - 1), today)


def _figures_of(period: metrics.Period) -> tuple[snapshots.Figures, datetime]:
    """The report for a period in this language, and when it was worked out. Kept in the
    database for every worker (app/insight/snapshots.py): shown as it is while younger than
    INSIGHT_CACHE_SECONDS; then still shown while a job works it out again, until
    INSIGHT_STALE_SECONDS, after which the view works it out before answering."""
    keep = current_app.config["INSIGHT_CACHE_SECONDS"]
    if not keep:
        return snapshots.compute(period)
    locale = str(get_locale())
    kept = snapshots.read(period, locale)
    age = utcnow() - kept[1] if kept else None
    if kept and age < timedelta(seconds=keep):
        return kept
    if kept and age < timedelta(seconds=current_app.config["INSIGHT_STALE_SECONDS"]):
        _queue_refresh(period, locale)
        return kept
    figures, computed_at = snapshots.compute(period)
    snapshots.store(period, locale, figures, computed_at)
    return figures, computed_at


def _queue_refresh(period: metrics.Period, locale: str) -> None:
    try:
        tasks.refresh_figures(period, locale)
    except Exception:  # a queue that does not answer must not hide figures we have
        current_app.logger.exception("could not queue a refresh of the dashboard's figures")


@bp.get("/dashboard")
@staff_required
def dashboard():
    period = _period()
    figures, computed_at = _figures_of(period)
    return render_template("insight/dashboard.html", period=period, figures=figures,
                           computed_at=computed_at,
                           refresh_minutes=current_app.config["INSIGHT_CACHE_SECONDS"] // 60,
                           clusters=metrics.repeated_ideas(period),
                           branches=metrics.branch_choices())


@bp.get("/dashboard/<key>.csv")
@staff_required
def figure_csv(key: str):
    figure = _figures_of(_period())[0].get(key) or abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(figure.headers)
    writer.writerows(figure.rows)
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="commons-{key}.csv"'})

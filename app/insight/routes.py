import csv
import io
import threading
import time
from datetime import date, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_babel import get_locale

from app.auth.decorators import staff_required
from app.insight import metrics, report
from app.timeutil import utcnow

bp = Blueprint("insight", __name__, url_prefix="/staff")
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366
EARLIEST = date(1970, 1, 1)


def _period() -> metrics.Period:
    """The chosen period and branch; anything unreadable falls back to the last 90 days."""
    today = utcnow().date()

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


_figures: dict[tuple, tuple[float, dict]] = {}
_figures_lock = threading.Lock()


def _figures_of(period: metrics.Period) -> dict:
    """The report for a period, kept INSIGHT_CACHE_SECONDS per process and language: a long
    period reads hundreds of thousands of supports, and staff can wait minutes for new ones."""
    keep = current_app.config.get("INSIGHT_CACHE_SECONDS", 0)
    key, now = (period, str(get_locale())), time.monotonic()
    with _figures_lock:
        kept = _figures.get(key)
    if kept and now - kept[0] < keep:
        return kept[1]
    figures = report.build(period, utcnow())
    if keep:
        with _figures_lock:
            for old in [k for k, (at, _) in _figures.items() if now - at >= keep]:
                del _figures[old]
            _figures[key] = (now, figures)
    return figures


@bp.get("/dashboard")
@staff_required
def dashboard():
    period = _period()
    return render_template("insight/dashboard.html", period=period,
                           figures=_figures_of(period),
                           clusters=metrics.repeated_ideas(period),
                           branches=metrics.branch_choices())


@bp.get("/dashboard/<key>.csv")
@staff_required
def figure_csv(key: str):
    figure = _figures_of(_period()).get(key) or abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(figure.headers)
    writer.writerows(figure.rows)
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="commons-{key}.csv"'})

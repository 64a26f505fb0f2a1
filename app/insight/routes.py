from datetime import datetime

from flask import Blueprint, Response, abort, current_app, render_template, request

from app import csvstream
from app.auth.decorators import permitted
from app.insight import caching, metrics, periods, policies, snapshots, tasks

bp = Blueprint("insight", __name__, url_prefix="/staff")


def _figures_of(period: metrics.Period) -> tuple[snapshots.Figures, datetime]:
    return caching.figures_of(period, refresh_later=_queue_refresh)


def _queue_refresh(period: metrics.Period, locale: str) -> None:
    try:
        tasks.refresh_figures(period, locale)
    except Exception:  # a queue that does not answer must not hide figures we have
        current_app.logger.exception("could not queue a refresh of the dashboard's figures")


@bp.get("/dashboard")
@permitted(policies.can_view_dashboard)
def dashboard():
    period = periods.chosen(request.args)
    figures, computed_at = _figures_of(period)
    return render_template("insight/dashboard.html", period=period, figures=figures,
                           computed_at=computed_at,
                           refresh_minutes=current_app.config["INSIGHT_CACHE_SECONDS"] // 60,
                           clusters=metrics.repeated_ideas(period),
                           branches=metrics.branch_choices())


@bp.get("/dashboard/<key>.csv")
@permitted(policies.can_view_dashboard)
def figure_csv(key: str):
    figure = _figures_of(periods.chosen(request.args))[0].get(key) or abort(404)
    body = b"".join(csvstream.stream(figure.headers, figure.rows))  # formula cells escaped
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="commons-{key}.csv"'})

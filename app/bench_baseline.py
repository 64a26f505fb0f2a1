"""Benchmark instruments, registered by create_app only when their settings are on.

BENCH_BASELINE (COMMONS_BENCH_BASELINE=1) adds GET /bench/baseline: one trivial query and a
trivial template, served by the same app, middleware and server as every page, so the benchmark
can say what a page costs beyond the fixed cost of a request.
SQL_COUNT_HEADER (COMMONS_SQL_COUNT=1) counts the statements each request sends to the database
and returns the number in an X-SQL-Count response header.
"""
from flask import Blueprint, Flask, Response, g, has_app_context, render_template
from sqlalchemy import event, text

from app.extensions import db

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/baseline")
def baseline():
    value = db.session.execute(text("SELECT 1")).scalar_one()
    return render_template("bench/baseline.html", value=value)


def _count_statement(_connection, _cursor, _statement, _parameters, _context, _many) -> None:
    if has_app_context():
        g.sql_count = g.get("sql_count", 0) + 1


def _add_count_header(response: Response) -> Response:
    response.headers["X-SQL-Count"] = str(g.get("sql_count", 0))
    return response


def init_app(app: Flask) -> None:
    if app.config.get("BENCH_BASELINE"):
        app.register_blueprint(bp)
    if app.config.get("SQL_COUNT_HEADER"):
        with app.app_context():
            for engine in db.engines.values():
                event.listen(engine, "before_cursor_execute", _count_statement)
        app.after_request(_add_count_header)

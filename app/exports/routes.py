from flask import Blueprint, Response, abort, render_template, stream_with_context

from app import csvstream
from app.auth.decorators import permitted
from app.exports import policies
from app.exports.queries import EXPORTS
from app.timeutil import library_today

bp = Blueprint("exports", __name__, url_prefix="/staff/exports")


@bp.get("")
@permitted(policies.can_export)
def index():
    return render_template("exports/index.html", exports=EXPORTS.values())


@bp.get("/<name>.csv")
@permitted(policies.can_export)
def download(name: str):
    export = EXPORTS.get(name) or abort(404)
    body = stream_with_context(csvstream.stream(csvstream.header(export.header), export.rows()))
    filename = f"commons-{export.name}-{library_today():%Y-%m-%d}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",  # names of patrons: kept by no cache on the way
    })

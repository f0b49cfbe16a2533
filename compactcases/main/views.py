"""Service-wide pages: the home page (each person's work), health checks and error pages."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from ..api.problems import problem
from ..extensions import db
from ..models import Role
from ..policy import Action, can
from . import work

bp = Blueprint("main", __name__)


@bp.before_app_request
def refuse_nul_characters():
    """No field of this service takes a NUL character, and PostgreSQL cannot store one: refuse
    the request whole rather than fail on saving it."""
    values = [request.path, *request.args.values(), *request.args.keys()]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        abort(400, "Text cannot contain the NUL character.")
    return None


@bp.get("/")
def home():
    """What needs doing, by role: counts linking to the filtered lists; for a viewer, the
    headline figures. An administrator starts at Administration."""
    if current_user.role is Role.ADMIN:
        return redirect(url_for("admin.index"))
    sections = work.sections_for(current_user)
    filters, headlines = (None, [])
    if not sections and can(current_user, Action.VIEW_REPORTS):
        filters, headlines = work.headline_figures(current_user)
    return render_template(
        "main/home.html", sections=sections, headlines=headlines, report_filters=filters
    )


@bp.get("/healthz")
def health():
    """Liveness: the process answers. It touches nothing else, so a database outage does not
    make a load balancer restart every healthy web process at once."""
    return jsonify(status="ok")


@bp.get("/favicon.ico")
def favicon():
    """The site's icon where browsers look for it first (the pages also link to it)."""
    images = Path(current_app.static_folder) / "assets" / "images"
    return send_from_directory(images, "favicon.ico", max_age=86400)


@bp.get("/readyz")
def ready():
    """Readiness: this process can serve, its database answering. 503 while it cannot."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        return jsonify(status="unavailable", reason=type(error).__name__), 503
    return jsonify(status="ok")


def _api_problem(error, detail: str | None = None):
    """Errors under /api/ answer as problem details, never as HTML pages."""
    if request.path.startswith("/api/"):
        # A 405 names the methods the path does take, as HTTP requires (RFC 9110 §15.5.6).
        methods = getattr(error, "valid_methods", None)
        headers = {"Allow": ", ".join(sorted(methods))} if methods else None
        return problem(error.code, detail or error.description, headers=headers)
    return None


@bp.app_errorhandler(404)
def not_found(error):
    return _api_problem(error) or (render_template("main/404.html"), 404)


@bp.app_errorhandler(405)
def method_not_allowed(error):
    return _api_problem(error) or error


@bp.app_errorhandler(403)
def forbidden(error):
    return _api_problem(error) or (render_template("main/403.html", error=error), 403)


@bp.app_errorhandler(400)
def bad_request(error):
    return _api_problem(error) or (render_template("main/400.html", error=error), 400)


@bp.app_errorhandler(500)
def server_error(error):
    return _api_problem(error, "The server failed to answer; nothing was changed") or (
        render_template("main/500.html"),
        500,
    )


@bp.app_errorhandler(413)
def too_large(error):
    """More bytes than any upload may carry (every file at the largest size allowed)."""
    return _api_problem(error, "The request is larger than the documents allowed at once") or (
        render_template("main/413.html"),
        413,
    )

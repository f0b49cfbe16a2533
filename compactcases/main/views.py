"""Service-wide pages: health check and error pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, render_template

from ..extensions import db

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def health():
    db.session.execute(sa.text("SELECT 1"))
    return jsonify(status="ok")


@bp.app_errorhandler(404)
def not_found(error):
    return render_template("main/404.html"), 404


@bp.app_errorhandler(403)
def forbidden(error):
    return render_template("main/403.html", error=error), 403


@bp.app_errorhandler(400)
def bad_request(error):
    return render_template("main/400.html", error=error), 400


@bp.app_errorhandler(500)
def server_error(error):
    return render_template("main/500.html"), 500

"""Administration pages: a Compact's rule set."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from . import services
from .forms import rule_set_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/compacts/<code>/rules", methods=["GET", "POST"])
def compact_rules(code: str):
    compact = services.get_compact(code)
    if compact is None:
        abort(404)
    rows = services.rule_rows(compact)
    form = rule_set_form(rows, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        changed = services.save_rules(compact, form.wanted())
        flash(
            f"{compact.name}'s rules saved" if changed else "Nothing was changed",
            "success" if changed else "info",
        )
        return redirect(url_for("admin.compact_rules", code=compact.code))
    status = 422 if form.errors else 200
    return render_template("admin/rules.html", compact=compact, rows=rows, form=form), status

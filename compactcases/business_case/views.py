"""The business case pages: the report, its CSV, the one-page printable summary, and the
administrator's proxies."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from workflows.business_case import ProxyError, ProxyKind, format_pounds, format_range

from ..downloads import csv_response
from ..policy import Action, audit, authorize
from ..reports import queries
from ..reports.charts import chart
from ..reports.learning import learning_register
from ..reports.views import report_filters
from . import figures, proxies
from .forms import ProxyForm

bp = Blueprint("business_case", __name__)

SUMMARY_LEARNING = 3


def _context(found: figures.BusinessCase | None) -> dict:
    measures = figures.measures_report(found) if found else None
    return {
        "found": found,
        "measures": measures,
        "measures_chart": chart(measures) if measures else None,
        "format_pounds": format_pounds,
        "format_range": format_range,
    }


@bp.get("/reports/business-case")
def report():
    authorize(current_user, Action.VIEW_REPORTS)
    form, filters = report_filters()
    found = figures.business_case(filters, current_user) if filters else None
    status = 400 if filters is None else 200
    return render_template(
        "business_case/report.html",
        filter_form=form,
        form=form if form.errors else None,
        filters=filters,
        query=request.query_string.decode(),
        **_context(found),
    ), status


@bp.get("/reports/business-case.csv")
def download():
    authorize(current_user, Action.VIEW_REPORTS)
    _, filters = report_filters()
    if filters is None:
        abort(400)
    found = figures.business_case(filters, current_user)
    name = f"business-case-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"
    return csv_response(name, figures.CSV_COLUMNS, figures.csv_rows(found), text_columns=(0,))


@bp.get("/reports/business-case/summary")
def summary():
    """One A4 page for the panel or an elected member: no navigation, charts included."""
    authorize(current_user, Action.VIEW_REPORTS)
    _, filters = report_filters()
    if filters is None:
        abort(400)
    found = figures.business_case(filters, current_user)
    levels = queries.levels_report(filters, current_user)
    timing = queries.time_to_resolution_report(filters, current_user)
    compliance = queries.compliance_report(filters, current_user)
    learning, _ = learning_register(None, 1, SUMMARY_LEARNING)
    return render_template(
        "business_case/summary.html",
        filters=filters,
        levels=levels,
        levels_chart=chart(levels),
        median_days=timing.total[2] if timing.total else None,
        compliance=compliance.total,
        learning=learning,
        **_context(found),
    )


@bp.get("/admin/value-proxies")
def list_proxies():
    authorize(current_user, Action.ADMINISTER)
    found, unset = proxies.current_proxies()
    rows = {kind: proxies.proxy_row(kind) for kind in ProxyKind}
    return render_template(
        "business_case/proxies.html",
        proxies=found,
        rows=rows,
        unset=unset,
        kinds=list(ProxyKind),
        format_pounds=format_pounds,
    )


@bp.route("/admin/value-proxies/<kind>", methods=["GET", "POST"])
def edit_proxy(kind: str):
    authorize(current_user, Action.ADMINISTER)
    if kind not in ProxyKind._value2member_map_:
        abort(404)
    chosen = ProxyKind(kind)
    row = proxies.proxy_row(chosen)
    form = ProxyForm()
    status = 200
    if request.method == "GET" and row is not None:
        form.low.data = _typed(row.low_pence)
        form.high.data = _typed(row.high_pence)
        form.central.data = _typed(row.central_pence) if row.central_pence is not None else ""
        form.source.data = row.source
    if request.method == "GET":
        form.version.data = str(row.version) if row else ""
    if form.validate_on_submit():
        version = form.version.data
        typed = proxies.ProxyForm(
            low=form.low.data or "",
            high=form.high.data or "",
            central=form.central.data or "",
            source=form.source.data or "",
            version=int(version) if (version or "").isdigit() else None,
        )
        try:
            proxies.set_proxy(chosen, typed, current_user)
        except ProxyError as error:
            for name, message in error.errors.items():
                form[name].errors = [message]
        except proxies.StaleProxy:
            form.low.errors = [
                "Another administrator changed this proxy since you opened the page: "
                "check the figures now shown and save again"
            ]
            fresh = proxies.proxy_row(chosen)
            form.version.data = str(fresh.version) if fresh else ""
            status = 409
        else:
            audit("value_proxy_saved", by=current_user.id, kind=chosen.value)
            flash(f"{chosen.label} saved", "success")
            return redirect(url_for("business_case.list_proxies"))
    if form.errors and status == 200:
        status = 422
    return render_template("business_case/proxy_form.html", form=form, kind=chosen, row=row), status


def _typed(pence: int) -> str:
    """Pence as an administrator would type pounds."""
    return format_pounds(pence).removeprefix("£")

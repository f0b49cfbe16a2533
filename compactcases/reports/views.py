"""Report pages and downloads, the annual summary, the case list download and shared learning."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    render_template,
    request,
)
from flask_login import current_user

from .. import localtime
from ..bounds import page_arg
from ..cases import search as case_search
from ..cases.views import parse_case_filters
from ..downloads import csv_response
from ..models import Area
from ..policy import Action, authorize
from . import annual, coverage, exports, queries
from .charts import chart
from .forms import ReportFilterForm
from .learning import learning_register

bp = Blueprint("reports", __name__)

LEARNING_PER_PAGE = 20


def report_filters() -> tuple[ReportFilterForm, coverage.ReportFilters | None]:
    """The filter form from the query string, and the filters, or None if it has errors."""
    form = ReportFilterForm(request.args)
    form.set_choices(*coverage.filter_choices(current_user))
    default = coverage.financial_year(localtime.today())
    if not form.validate():
        return form, None
    return form, form.filters(default)


def _page(template: str, form: ReportFilterForm, filters, **context):
    return render_template(
        template,
        filter_form=form,
        form=form if form.errors else None,
        filters=filters,
        query=request.query_string.decode(),
        reports=queries.REPORTS,
        **context,
    )


@bp.get("/reports")
def overview():
    authorize(current_user, Action.VIEW_REPORTS)
    form, filters = report_filters()
    reports = queries.all_reports(filters, current_user) if filters else []
    return _page("reports/overview.html", form, filters, report_list=reports)


@bp.get("/reports/<name>")
def show(name: str):
    authorize(current_user, Action.VIEW_REPORTS)
    if name not in queries.REPORTS:
        abort(404)
    form, filters = report_filters()
    report = queries.report(name, filters, current_user) if filters else None
    return _page(
        "reports/show.html",
        form,
        filters,
        name=name,
        report=report,
        chart=chart(report) if report else None,
    )


@bp.get("/reports/<name>.csv")
def download(name: str):
    authorize(current_user, Action.VIEW_REPORTS)
    if name not in queries.REPORTS:
        abort(404)
    form, filters = report_filters()
    if filters is None:
        return _page("reports/show.html", form, filters, name=name, report=None, chart=None), 400
    report = queries.report(name, filters, current_user)
    rows = [*report.rows, *([report.total] if report.total else [])]
    filename = f"{name}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"
    return csv_response(filename, report.columns, rows)


@bp.get("/reports/annual-summary")
def annual_summary():
    authorize(current_user, Action.VIEW_REPORTS)
    form, filters = report_filters()
    summaries = annual.annual_summary(filters, current_user) if filters else []
    return _page("reports/annual_summary.html", form, filters, summaries=summaries)


@bp.get("/cases.csv")
def cases_download():
    authorize(current_user, Action.LIST_CASES)
    _, filters = parse_case_filters(request.args)
    cases = case_search.stream_cases(filters, current_user)
    return exports.case_csv_response(f"cases-{localtime.today().isoformat()}.csv", cases)


@bp.get("/learning")
def learning():
    authorize(current_user, Action.READ_LEARNING)
    area = request.args.get("area", "")
    chosen = Area(area) if area in Area._value2member_map_ else None
    page = page_arg()
    entries, total = learning_register(chosen, page, LEARNING_PER_PAGE)
    return render_template(
        "reports/learning.html",
        entries=entries,
        total=total,
        area=chosen,
        areas=Area.choices(),
        page=page,
        pages=max(1, -(-total // LEARNING_PER_PAGE)),
    )

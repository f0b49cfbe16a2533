"""The API's report figures: every figure of the reports pages, for the token's scope."""

from __future__ import annotations

from datetime import date

from flask import g, jsonify, request

from workflows.periods import MAX_DATE, MIN_DATE

from .. import clock, policy
from ..extensions import db
from ..models import Compact, Region
from ..policy import Action
from ..reports import coverage, queries
from .common import (
    AUTH_ERRORS,
    V1,
    bp,
    query_param,
)
from .openapi import Operation, register
from .problems import Problem
from .schemas import (
    ProblemOut,
    ReportOut,
    ReportSummary,
)

register(
    Operation(
        "GET",
        f"{V1}/reports/summary",
        "Every figure of the reports pages, for your scope",
        "Reports",
        responses={200: ReportSummary, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS},
        query=(
            query_param(
                "from", {"type": "string", "format": "date"}, "First day (default: 1 April)"
            ),
            query_param("to", {"type": "string", "format": "date"}, "Last day (default: 31 March)"),
            query_param("region", {"type": "string", "maxLength": 8}, "Region code"),
            query_param("compact", {"type": "string", "maxLength": 8}, "Compact code"),
        ),
        description="The period defaults to the current financial year, April to March.",
    )
)


@bp.get(f"{V1}/reports/summary")
def report_summary():
    user = g.api_user
    if not policy.can(user, Action.VIEW_REPORTS):
        raise Problem(403, "Your role has no reports")
    errors: dict[str, list[str]] = {}
    default_start, default_end = coverage.financial_year(clock.today())
    start = date_arg("from", default_start, errors)
    end = date_arg("to", default_end, errors)
    if not errors and end < start:
        errors["to"] = ["Must be the same as or after `from`"]
    region = None
    if request.args.get("region"):
        region = db.session.scalar(db.select(Region).filter_by(code=request.args["region"].upper()))
        if region is None:
            errors["region"] = ["No region with this code"]
    compact = (request.args.get("compact") or "").upper() or None
    if compact and db.session.scalar(db.select(Compact.id).filter_by(code=compact)) is None:
        errors["compact"] = ["No Compact with this code"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = coverage.ReportFilters(
        start=start, end=end, region_id=region.id if region else None, compact=compact
    )
    body = ReportSummary(
        start=start,
        end=end,
        region=region.code if region else None,
        compact=compact,
        reports=[
            ReportOut(
                name=found.name,
                title=found.title,
                columns=list(found.columns),
                rows=[list(row) for row in found.rows],
                total=list(found.total) if found.total else None,
            )
            for found in queries.all_reports(filters, user)
        ],
    )
    return jsonify(body.model_dump(mode="json"))


def date_arg(name: str, default: date, errors: dict) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Must be a real date written YYYY-MM-DD"]
        return default
    if not MIN_DATE <= day <= MAX_DATE:
        errors[name] = [f"Dates must be from {MIN_DATE.year} to {MAX_DATE.year}"]
    return day

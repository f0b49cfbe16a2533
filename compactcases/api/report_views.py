"""The API's report figures: every figure of the reports pages, for the token's scope."""

from __future__ import annotations

import re
from datetime import date

from flask import g, jsonify, request

from workflows.periods import MAX_DATE, MIN_DATE

from .. import localtime, policy
from ..extensions import db
from ..models import Compact, Region
from ..policy import Action
from ..reports import coverage, queries
from ..reports.bounds import MAX_YEARS, period_errors
from .common import (
    AUTH_ERRORS,
    COMPACT_CODE,
    COMPACT_CODE_LENGTH,
    V1,
    bp,
    query_param,
    text_arg,
)
from .openapi import Operation, register
from .problems import Problem
from .schemas import (
    ProblemOut,
    ReportOut,
    ReportSummary,
)

ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# A date as the query takes it; its bounds are checked with the period's length (400).
DAY = {"type": "string", "format": "date", "pattern": ISO_DATE}

PERIOD_QUERY = (
    query_param("from", DAY, "First day (default: 1 April)"),
    query_param("to", DAY, "Last day (default: 31 March)"),
    query_param("region", COMPACT_CODE, "Region code"),
    query_param("compact", COMPACT_CODE, "Compact code"),
)
PERIOD_RULES = (
    "The period defaults to the current financial year, April to March. It must lie "
    f"within {MIN_DATE.year} to {MAX_DATE.year} and be at most {MAX_YEARS} years long "
    "(400 otherwise); a date that is not real, or `to` before `from`, answers 422."
)
REPORT_ERRORS = {400: ProblemOut, 403: ProblemOut, 422: ProblemOut, **AUTH_ERRORS}

register(
    Operation(
        "GET",
        f"{V1}/reports/summary",
        "Every figure of the reports pages, for your scope",
        "Reports",
        responses={200: ReportSummary, **REPORT_ERRORS},
        query=PERIOD_QUERY,
        description=PERIOD_RULES,
    )
)


@bp.get(f"{V1}/reports/summary")
def report_summary():
    user = g.api_user
    filters, region = report_query(user)
    body = ReportSummary(
        start=filters.start,
        end=filters.end,
        region=region.code if region else None,
        compact=filters.compact,
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


def report_query(user) -> tuple[coverage.ReportFilters, Region | None]:
    """The report filters of the query string (403 for a role without reports, 400 for a
    period out of bounds, 422 for values that are not valid)."""
    if not policy.can(user, Action.VIEW_REPORTS):
        raise Problem(403, "Your role has no reports")
    errors: dict[str, list[str]] = {}
    default_start, default_end = coverage.financial_year(localtime.today())
    start = date_arg("from", default_start, errors)
    end = date_arg("to", default_end, errors)
    if not errors and end < start:
        errors["to"] = ["Must be the same as or after `from`"]
    if not errors:
        bounds = period_errors(start, end)
        if bounds:
            names = {"start": "from", "end": "to"}
            raise Problem(
                400,
                f"Reports cover {MIN_DATE.year} to {MAX_DATE.year}, at most {MAX_YEARS} years "
                "at a time",
                errors={names[name]: [message] for name, message in bounds.items()},
            )
    region = None
    region_code = text_arg("region", COMPACT_CODE_LENGTH, errors).upper()
    if region_code:
        region = db.session.scalar(db.select(Region).filter_by(code=region_code))
        if region is None:
            errors["region"] = ["No region with this code"]
    compact = text_arg("compact", COMPACT_CODE_LENGTH, errors).upper() or None
    if compact and db.session.scalar(db.select(Compact.id).filter_by(code=compact)) is None:
        errors["compact"] = ["No Compact with this code"]
    if errors:
        raise Problem(422, "Some query parameters are invalid", errors=errors)
    filters = coverage.ReportFilters(
        start=start, end=end, region_id=region.id if region else None, compact=compact
    )
    return filters, region


def date_arg(name: str, default: date, errors: dict) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        # fromisoformat alone also takes forms such as 20260401 that the description does not.
        if not re.fullmatch(ISO_DATE, raw):
            raise ValueError(raw)
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = ["Must be a real date written YYYY-MM-DD"]
        return default
    return day

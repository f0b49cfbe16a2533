"""The API's business case: the figures of the business case page, for the token's scope."""

from __future__ import annotations

from datetime import date

from flask import g, jsonify
from pydantic import BaseModel

from workflows.business_case import Proxy, Range, Valuation

from ..business_case import figures
from .common import V1, bp
from .openapi import Operation, register
from .report_views import PERIOD_QUERY, PERIOD_RULES, REPORT_ERRORS, report_query


class RangeOut(BaseModel):
    """A sum in whole pence: low, central and high."""

    low: int
    central: int
    high: int


class ProxyOut(BaseModel):
    kind: str
    label: str
    source: str
    low: int
    central: int
    high: int
    central_given: bool


class ValueOut(BaseModel):
    compact: str | None
    name: str
    cases_resolved: int
    funding_protected_pounds: int
    notice_days_gained: int
    notice_unvalued_cases: int
    jobs_safeguarded: int
    service_users: int
    funding: RangeOut
    notice: RangeOut
    jobs: RangeOut
    service_continued: RangeOut
    total: RangeOut


class BusinessCaseOut(BaseModel):
    start: date
    end: date
    region: str | None
    compact: str | None
    currency: str
    proxies: list[ProxyOut]
    method: list[str]
    compacts: list[ValueOut]
    all_compacts: ValueOut


register(
    Operation(
        "GET",
        f"{V1}/reports/business-case",
        "The business case: what the cases resolved in the period protected, valued",
        "Reports",
        responses={200: BusinessCaseOut, **REPORT_ERRORS},
        query=PERIOD_QUERY,
        description=(
            "Every sum is whole pence (GBP) with a low, central and high figure; `method` says "
            "in words how they were worked out. " + PERIOD_RULES
        ),
    )
)


def _range(figure: Range) -> RangeOut:
    return RangeOut(low=figure.low, central=figure.central, high=figure.high)


def _proxy(proxy: Proxy) -> ProxyOut:
    value = proxy.value
    return ProxyOut(
        kind=proxy.kind.value,
        label=proxy.kind.label,
        source=proxy.source,
        low=value.low,
        central=value.central,
        high=value.high,
        central_given=proxy.central_given,
    )


def _value(code: str | None, name: str, valuation: Valuation) -> ValueOut:
    found = valuation.protected
    return ValueOut(
        compact=code,
        name=name,
        cases_resolved=found.cases,
        funding_protected_pounds=found.funding_pounds,
        notice_days_gained=found.notice_days,
        notice_unvalued_cases=found.notice_unvalued,
        jobs_safeguarded=found.jobs,
        service_users=found.service_users,
        funding=_range(valuation.funding),
        notice=_range(valuation.notice),
        jobs=_range(valuation.jobs),
        service_continued=_range(valuation.service_users),
        total=_range(valuation.total),
    )


@bp.get(f"{V1}/reports/business-case")
def business_case():
    user = g.api_user
    filters, region = report_query(user)
    found = figures.business_case(filters, user)
    body = BusinessCaseOut(
        start=filters.start,
        end=filters.end,
        region=region.code if region else None,
        compact=filters.compact,
        currency="GBP",
        proxies=[_proxy(found.job), _proxy(found.service_user)],
        method=list(found.method),
        compacts=[_value(c.code, c.name, c.valuation) for c in found.compacts],
        all_compacts=_value(None, "All Compacts", found.region),
    )
    return jsonify(body.model_dump(mode="json"))

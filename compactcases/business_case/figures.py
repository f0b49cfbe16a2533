"""The business case report: what the cases resolved in a period protected, per Compact and
for the region, valued with the administrator's proxies (`workflows.business_case`).

The recorded figures are one SQL aggregate over the outcomes, scoped like every report
(`reports.coverage.covered`, hence `policy.scope_report_cases`); the valuing is plain
arithmetic in `workflows.business_case`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from workflows.business_case import (
    Protected,
    Proxy,
    ProxyKind,
    Valuation,
    format_range,
    method,
    pounds,
    value,
)
from workflows.dispute import State

from ..extensions import db
from ..models import Case, Compact, FundingAgreement, Notice, Outcome, OutcomeKind, User
from ..reports.coverage import ReportFilters, closed_as, count_if, covered
from ..reports.queries import Report
from .proxies import current_proxies


@dataclass(frozen=True)
class CompactValue:
    code: str
    name: str
    valuation: Valuation


@dataclass(frozen=True)
class BusinessCase:
    filters: ReportFilters
    job: Proxy
    service_user: Proxy
    # Proxies not yet set by an administrator (valued at nothing meanwhile).
    unset: tuple[ProxyKind, ...]
    compacts: tuple[CompactValue, ...]
    region: Valuation
    method: tuple[str, ...]

    @property
    def headline(self) -> str:
        return format_range(self.region.total)


def annual_value() -> sa.ColumnElement:
    """The annual value a case's notice gained is valued by: the largest annual value of the
    funding agreements its (unwithdrawn) notices were given under, else its money at stake."""
    agreement_value = (
        sa.select(sa.func.max(FundingAgreement.annual_value))
        .join(Notice, Notice.agreement_id == FundingAgreement.id)
        .where(Notice.case_id == Case.id, Notice.withdrawn_at.is_(None))
        .correlate(Case)
        .scalar_subquery()
    )
    return sa.func.coalesce(agreement_value, Case.amount_at_stake)


def protected_by_compact(filters: ReportFilters, user: User) -> dict[tuple[str, str], Protected]:
    """What the cases resolved in the period recorded, by Compact (code, name)."""
    days = sa.func.coalesce(Outcome.notice_days_gained, 0)
    yearly = annual_value()
    query = covered(
        filters,
        user,
        sa.select(
            Compact.code,
            Compact.name,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Outcome.funding_protected), 0),
            sa.func.coalesce(sa.func.sum(days), 0),
            sa.func.coalesce(sa.func.sum(days * sa.func.coalesce(yearly, 0)), 0),
            count_if(sa.and_(days > 0, yearly.is_(None))),
            sa.func.coalesce(sa.func.sum(Outcome.jobs_safeguarded), 0),
            sa.func.coalesce(sa.func.sum(Outcome.service_users_affected), 0),
        )
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .join(Compact, Compact.id == Case.compact_id)
        .where(closed_as(State.RESOLVED, filters), Outcome.kind == OutcomeKind.RESOLVED)
        .group_by(Compact.code, Compact.name),
    )
    return {
        (code, name): Protected(*(int(v) for v in values))
        for code, name, *values in db.session.execute(query)
    }


def business_case(filters: ReportFilters, user: User) -> BusinessCase:
    """The business case over `filters`, within `user`'s reports' scope."""
    proxies, unset = current_proxies()
    job, service_user = proxies[ProxyKind.JOB], proxies[ProxyKind.SERVICE_USER]
    found = protected_by_compact(filters, user)
    region = sum(found.values(), Protected())
    return BusinessCase(
        filters=filters,
        job=job,
        service_user=service_user,
        unset=unset,
        compacts=tuple(
            CompactValue(code, name, value(figures, job, service_user))
            for (code, name), figures in sorted(found.items(), key=lambda item: item[0][1])
        ),
        region=value(region, job, service_user),
        method=method(job, service_user),
    )


MEASURES = (
    ("Funding protected", "funding"),
    ("Notice gained", "notice"),
    ("Jobs safeguarded", "jobs"),
    ("Service continued", "service_users"),
)


def measures_report(found: BusinessCase) -> Report:
    """The region's four measures and total as low, central and high pounds: the table (and
    chart) of the page and the summary."""
    rows = tuple(
        (label, *(int(pounds(getattr(getattr(found.region, attr), end))) for end in _ENDS))
        for label, attr in MEASURES
    )
    total = found.region.total
    return Report(
        name="business-case",
        title="Value protected",
        columns=("Measure", "Low (£)", "Central (£)", "High (£)"),
        rows=rows,
        total=("Total", *(int(pounds(getattr(total, end))) for end in _ENDS)),
    )


_ENDS = ("low", "central", "high")

CSV_COLUMNS = (
    "Compact",
    "Cases resolved",
    "Funding protected (£)",
    "Days of notice gained",
    "Notice gained (£)",
    "Cases with notice gained but no value",
    "Jobs safeguarded",
    "Jobs value low (£)",
    "Jobs value central (£)",
    "Jobs value high (£)",
    "Service users",
    "Service value low (£)",
    "Service value central (£)",
    "Service value high (£)",
    "Total low (£)",
    "Total central (£)",
    "Total high (£)",
)


def csv_row(name: str, valuation: Valuation) -> tuple:
    """One line of the download: a Compact's, or the region's."""
    figures = valuation.protected
    return (
        name,
        figures.cases,
        pounds(valuation.funding.central),
        figures.notice_days,
        pounds(valuation.notice.central),
        figures.notice_unvalued,
        figures.jobs,
        *(pounds(getattr(valuation.jobs, end)) for end in _ENDS),
        figures.service_users,
        *(pounds(getattr(valuation.service_users, end)) for end in _ENDS),
        *(pounds(getattr(valuation.total, end)) for end in _ENDS),
    )


def csv_rows(found: BusinessCase) -> list[tuple]:
    return [
        *(csv_row(c.name, c.valuation) for c in found.compacts),
        csv_row("All Compacts", found.region),
    ]

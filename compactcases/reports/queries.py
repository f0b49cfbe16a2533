"""The report queries: each report an SQL aggregate over the cases a user's reports cover.

Each report is a function of a frozen `ReportFilters` and the user, returning a `Report`: a
table of plain values that the page shows beneath its chart and the CSV download repeats.
`coverage` says which cases and which dates count; `percentiles` how medians are worked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.dispute import State
from workflows.outcomes import Level, OutcomeType

from .. import localtime, policy
from ..agreements import windows as agreement_windows
from ..extensions import db
from ..models import (
    AREA_ORDER,
    Case,
    CaseArea,
    FundingAgreement,
    Notice,
    Organisation,
    Outcome,
    OutcomeKind,
    User,
)
from .coverage import (
    ReportFilters,
    closed_as,
    count_if,
    covered,
    in_chosen_compacts,
    open_at_end,
    opened,
)
from .percentiles import MEDIAN, P90, histograms, merged, percentiles_of


@dataclass(frozen=True)
class Report:
    """One report's table: the header row, the data rows and, where it has one, a total."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    total: tuple | None = None

    @property
    def is_empty(self) -> bool:
        """True when no case contributed a figure."""
        return not any(
            isinstance(value, int | float) and value for row in self.rows for value in row[1:]
        )


def cases_report(filters: ReportFilters, user: User) -> Report:
    """How many cases were opened, were open at the end, were resolved and were withdrawn."""
    row = db.session.execute(
        covered(
            filters,
            user,
            sa.select(
                count_if(opened(filters)),
                count_if(open_at_end(filters)),
                count_if(closed_as(State.RESOLVED, filters)),
                count_if(closed_as(State.WITHDRAWN, filters)),
            ).select_from(Case),
        )
    ).one()
    labels = (
        "Cases opened",
        "Open at the end of the period",
        "Resolved",
        "Withdrawn",
    )
    return Report(
        name="cases",
        title="Cases",
        columns=("Figure", "Cases"),
        rows=tuple((label, int(value)) for label, value in zip(labels, row, strict=True)),
    )


def levels_report(filters: ReportFilters, user: User) -> Report:
    """Where the cases that closed in the period were settled: locally or regionally."""
    resolved = Case.state == State.RESOLVED
    query = covered(
        filters,
        user,
        sa.select(
            Outcome.level,
            count_if(resolved),
            count_if(Case.state == State.WITHDRAWN),
        )
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(
            Case.closed_on.between(filters.start, filters.end),
            Case.state.in_((State.RESOLVED, State.WITHDRAWN)),
        )
        .group_by(Outcome.level),
    )
    counts = {level: (int(r), int(w)) for level, r, w in db.session.execute(query)}
    rows = tuple((level.label, *counts.get(level, (0, 0))) for level in Level)
    return Report(
        name="levels",
        title="Where cases were settled",
        columns=("Level reached", "Resolved", "Withdrawn"),
        rows=rows,
        total=("All levels", sum(r[1] for r in rows), sum(r[2] for r in rows)),
    )


def time_to_resolution_report(filters: ReportFilters, user: User) -> Report:
    """Median and 90th percentile working days from raised to resolved, by level and overall."""
    measured = covered(
        filters,
        user,
        sa.select()
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(closed_as(State.RESOLVED, filters), Case.working_days_to_close.is_not(None)),
    )
    # One GROUP BY on (level, days); all levels together is the sum of the levels' counts.
    by_level = histograms(Outcome.level, Case.working_days_to_close, measured)

    def row(label: str, histogram: list[tuple[int, int]]) -> tuple:
        if not histogram:
            return (label, 0, None, None)
        n, values = percentiles_of(histogram, (MEDIAN, P90))
        return (label, n, values[MEDIAN], values[P90])

    return Report(
        name="time-to-resolution",
        title="Time to resolution",
        columns=("Level reached", "Cases resolved", "Median working days", "90th percentile"),
        rows=tuple(row(level.label, by_level.get(level, [])) for level in Level),
        total=row("All levels", merged(*by_level.values())),
    )


def outcomes_report(filters: ReportFilters, user: User) -> Report:
    """The cases resolved in the period by type of outcome, with what they protected."""
    figures = (
        Outcome.funding_protected,
        Outcome.jobs_safeguarded,
        Outcome.notice_days_gained,
        Outcome.service_users_affected,
    )
    query = covered(
        filters,
        user,
        sa.select(
            Outcome.outcome_type,
            sa.func.count(),
            *(sa.func.coalesce(sa.func.sum(f), 0) for f in figures),
        )
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(closed_as(State.RESOLVED, filters), Outcome.kind == OutcomeKind.RESOLVED)
        .group_by(Outcome.outcome_type),
    )
    found = {kind: tuple(int(v) for v in values) for kind, *values in db.session.execute(query)}
    rows = tuple((kind.label, *found.get(kind, (0, 0, 0, 0, 0))) for kind in OutcomeType)
    total = ("All outcomes", *(sum(row[i] for row in rows) for i in range(1, 6)))
    return Report(
        name="outcomes",
        title="Outcomes and what they protected",
        columns=(
            "Outcome",
            "Cases resolved",
            "Funding protected (£)",
            "Jobs safeguarded",
            "Days of notice gained",
            "Service users affected",
        ),
        rows=rows,
        total=total,
    )


def areas_report(filters: ReportFilters, user: User) -> Report:
    """Cases opened in the period by area of the Compact (a case may concern several)."""
    query = covered(
        filters,
        user,
        sa.select(CaseArea.area, sa.func.count())
        .select_from(Case)
        .join(CaseArea, CaseArea.case_id == Case.id)
        .where(opened(filters))
        .group_by(CaseArea.area),
    )
    found = dict(db.session.execute(query).all())
    return Report(
        name="areas",
        title="Cases by area of the Compact",
        columns=("Area of the Compact", "Cases opened"),
        rows=tuple((area.label, int(found.get(area, 0))) for area in AREA_ORDER),
    )


def funders_report(filters: ReportFilters, user: User) -> Report:
    """Cases opened in the period by statutory funder, most first."""
    funder = aliased(Organisation)
    count = sa.func.count().label("cases")
    query = covered(
        filters,
        user,
        sa.select(funder.name, count, count_if(Case.state == State.RESOLVED))
        .select_from(Case)
        .join(funder, funder.id == Case.funder_id)
        .where(opened(filters))
        .group_by(funder.id, funder.name)
        .order_by(count.desc(), funder.name),
    )
    return Report(
        name="funders",
        title="Cases by funder",
        columns=("Funder", "Cases opened", "Of which resolved"),
        rows=tuple((name, int(n), int(r)) for name, n, r in db.session.execute(query)),
    )


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend_report(filters: ReportFilters, user: User) -> Report:
    """Cases opened and resolved in each month of the period."""

    # Two small GROUP BYs, each able to use its own date column's index, measured faster than
    # one GROUP BY over both months at once.
    def per_month(column, condition) -> dict[tuple[int, int], int]:
        year, month = sa.extract("year", column), sa.extract("month", column)
        query = covered(
            filters,
            user,
            sa.select(year, month, sa.func.count())
            .select_from(Case)
            .where(condition)
            .group_by(year, month),
        )
        return {(int(y), int(m)): int(n) for y, m, n in db.session.execute(query)}

    raised = per_month(Case.raised_on, opened(filters))
    resolved = per_month(Case.closed_on, closed_as(State.RESOLVED, filters))
    rows = tuple(
        (date(y, m, 1).strftime("%b %Y"), raised.get((y, m), 0), resolved.get((y, m), 0))
        for y, m in _months(filters.start, filters.end)
    )
    return Report(
        name="trend",
        title="Cases opened and resolved by month",
        columns=("Month", "Cases opened", "Cases resolved"),
        rows=rows,
        total=("Whole period", sum(r[1] for r in rows), sum(r[2] for r in rows)),
    )


def _compliance_rows(filters: ReportFilters, user: User) -> sa.Subquery:
    """One row per notice dated in the period and per agreement window missed whose last day
    fell in it, as (funder_id, notices, kept, short, missed), within ``user``'s scope."""
    dated = sa.func.coalesce(Notice.notice_given_on, Notice.opens_on)
    zero, one = sa.literal(0), sa.literal(1)
    notice_rows = policy.scope_notices(
        sa.select(
            Notice.funder_id.label("funder_id"),
            one.label("notices"),
            sa.case((Notice.compliant.is_(True), 1), else_=0).label("kept"),
            Notice.shortfall_days.label("short"),
            zero.label("missed"),
        ).where(dated.between(filters.start, filters.end)),
        user,
    )
    window_rows = policy.scope_agreements(
        sa.select(
            FundingAgreement.funder_id.label("funder_id"),
            zero.label("notices"),
            zero.label("kept"),
            zero.label("short"),
            one.label("missed"),
        ).where(
            agreement_windows.missed(localtime.today()),
            FundingAgreement.latest_notice_on.between(filters.start, filters.end),
        ),
        user,
    )
    for condition in in_chosen_compacts(Notice.compact_id, filters):
        notice_rows = notice_rows.where(condition)
    for condition in in_chosen_compacts(FundingAgreement.compact_id, filters):
        window_rows = window_rows.where(condition)
    return sa.union_all(notice_rows, window_rows).subquery()


def compliance_report(filters: ReportFilters, user: User) -> Report:
    """Funders' notices dated in the period (notice given, or consultation opened), how many
    kept the Compact's periods, and the funding agreements' notice windows whose last day fell
    in the period and were missed: one GROUP BY over the verdicts stored on the notices and
    the windows stored on the agreements."""
    funder = aliased(Organisation)
    both = _compliance_rows(filters, user)
    total = sa.func.sum(both.c.notices)
    query = (
        sa.select(
            funder.name,
            total,
            sa.func.sum(both.c.kept),
            sa.func.sum(both.c.short),
            sa.func.sum(both.c.missed),
        )
        .join(funder, funder.id == both.c.funder_id)
        .group_by(funder.id, funder.name)
        .order_by(total.desc(), funder.name)
    )
    rows = tuple(
        (name, int(n), int(ok), _rate(int(ok), int(n)), int(days), int(gone))
        for name, n, ok, days, gone in db.session.execute(query)
    )
    notices, compliant = sum(r[1] for r in rows), sum(r[2] for r in rows)
    return Report(
        name="compliance",
        title="Funders' notice compliance",
        columns=(
            "Funder",
            "Notices",
            "Kept the Compact",
            "Compliance rate (%)",
            "Days short",
            "Notice windows missed",
        ),
        rows=rows,
        total=(
            "All funders",
            notices,
            compliant,
            _rate(compliant, notices),
            sum(r[4] for r in rows),
            sum(r[5] for r in rows),
        ),
    )


def _rate(part: int, whole: int) -> int | None:
    """A whole percentage, or None (shown as a dash) when there is nothing to count."""
    return round(100 * part / whole) if whole else None


REPORTS = {
    "cases": cases_report,
    "levels": levels_report,
    "time-to-resolution": time_to_resolution_report,
    "outcomes": outcomes_report,
    "areas": areas_report,
    "funders": funders_report,
    "trend": trend_report,
    "compliance": compliance_report,
}


def report(name: str, filters: ReportFilters, user: User) -> Report:
    """The report called `name` (a key of `REPORTS`)."""
    return REPORTS[name](filters, user)


def all_reports(filters: ReportFilters, user: User) -> list[Report]:
    """Every report, in the order the overview shows them."""
    return [build(filters, user) for build in REPORTS.values()]

"""The reports: each a table of figures over the cases a user's reports cover.

Each report is a function of a frozen `ReportFilters` and the user, returning a `Report`: a
table of plain values that the page shows beneath its chart and the CSV download repeats.
The figures come from `tallied` (the monthly tallies, for the whole months of the period) and
`live` (the cases themselves, for the odd days either side and for a chosen area), added
together. `coverage` says which cases and which dates count; `percentiles` how medians are
worked out.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.months import month_end, month_start, split_into_months
from workflows.outcomes import Level, OutcomeType

from .. import localtime, policy
from ..agreements import windows as agreement_windows
from ..extensions import db
from ..models import AREA_ORDER, FundingAgreement, Notice, Organisation, User
from . import live, tallied
from .by_compact import cases_by_compact
from .coverage import ReportFilters, in_chosen_compacts
from .live import Figures
from .percentiles import MEDIAN, P90, merged, percentiles_of


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


def _added(*parts: Figures) -> Figures:
    """The figures of several periods added together, key by key."""
    total: Figures = {}
    for part in parts:
        for key, values in part.items():
            have = total.get(key)
            total[key] = values if have is None else tuple(map(operator.add, have, values))
    return total


def _figures(
    filters: ReportFilters,
    user: User,
    from_cases: Callable[[ReportFilters, User], Figures],
    from_tallies: Callable[[tallied.Months, ReportFilters, User], Figures],
) -> Figures:
    """One report's figures over the period: the whole months from the monthly tallies, the
    odd days either side counted from the cases; all from the cases when an area is chosen
    (the tallies are not kept by area)."""
    if filters.area:
        return from_cases(filters, user)
    split = split_into_months(filters.start, filters.end)
    parts = [from_cases(replace(filters, start=s, end=e), user) for s, e in split.edges]
    if split.months:
        parts.append(from_tallies(split.months, filters, user))
    return _added(*parts)


def _cases_figures(filters: ReportFilters, user: User) -> tuple[int, int, int, int]:
    """(opened, open at the end, resolved, withdrawn)."""
    if filters.area:
        opened, resolved, withdrawn = live.cases(filters, user)["cases"]
        return opened, live.open_at_end(filters, user)["open"][0], resolved, withdrawn
    split = split_into_months(filters.start, filters.end)
    # Open at the end = raised by then less closed by then: whole months from the tallies up
    # to the last month ending by the end of the period, the days after it from the cases.
    last_month = month_start(filters.end)
    tail = None if filters.end == month_end(filters.end) else (last_month, filters.end)
    open_upto = last_month if tail is None else month_start(last_month - timedelta(days=1))
    (opened, resolved, withdrawn), still_open = tallied.cases_and_open(
        split.months, open_upto, filters, user
    )
    counted = {}
    for s, e in {*split.edges, *([tail] if tail else [])}:
        counted[(s, e)] = live.cases(replace(filters, start=s, end=e), user)["cases"]
    for edge in split.edges:
        opened, resolved, withdrawn = (
            a + b for a, b in zip((opened, resolved, withdrawn), counted[edge], strict=True)
        )
    if tail:
        raised, *closed = counted[tail]
        still_open += raised - sum(closed)
    return opened, still_open, resolved, withdrawn


def cases_report(filters: ReportFilters, user: User) -> Report:
    """How many cases were opened, were open at the end, were resolved and were withdrawn."""
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
        rows=tuple(zip(labels, _cases_figures(filters, user), strict=True)),
    )


def levels_report(filters: ReportFilters, user: User) -> Report:
    """Where the cases that closed in the period were settled: locally or regionally."""
    counts = _figures(filters, user, live.levels, tallied.levels)
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
    counted = _figures(filters, user, live.resolution_days, tallied.resolution_days)
    by_level: dict[Level, list[tuple[int, int]]] = {}
    for (level, days), (n,) in sorted(counted.items(), key=lambda item: item[0][1]):
        if n:
            by_level.setdefault(level, []).append((days, n))

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
    found = _figures(filters, user, live.outcomes, tallied.outcomes)
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
    found = _figures(filters, user, live.areas, tallied.areas)
    return Report(
        name="areas",
        title="Cases by area of the Compact",
        columns=("Area of the Compact", "Cases opened"),
        rows=tuple((area.label, found.get(area, (0,))[0]) for area in AREA_ORDER),
    )


def funders_report(filters: ReportFilters, user: User) -> Report:
    """Cases opened in the period by statutory funder, most first."""
    found = _figures(filters, user, live.funders, tallied.funders)
    rows = sorted(
        ((name, n, resolved) for (_id, name), (n, resolved) in found.items() if n),
        key=lambda row: (-row[1], row[0]),
    )
    return Report(
        name="funders",
        title="Cases by funder",
        columns=("Funder", "Cases opened", "Of which resolved"),
        rows=tuple(rows),
    )


def _months(start: date, end: date) -> list[tuple[int, int]]:
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend_report(filters: ReportFilters, user: User) -> Report:
    """Cases opened and resolved in each month of the period."""
    found = _figures(filters, user, live.trend, tallied.trend)

    def count(name: str, y: int, m: int) -> int:
        return found.get((name, y, m), (0,))[0]

    rows = tuple(
        (date(y, m, 1).strftime("%b %Y"), count("opened", y, m), count("resolved", y, m))
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
    fell in it, as (funder_id, notices, kept, short, missed), within ``user``'s scope. A
    withdrawn notice is not counted."""
    dated = sa.func.coalesce(Notice.notice_given_on, Notice.opens_on)
    zero, one = sa.literal(0), sa.literal(1)
    notice_rows = policy.scope_notices(
        sa.select(
            Notice.funder_id.label("funder_id"),
            one.label("notices"),
            sa.case((Notice.compliant.is_(True), 1), else_=0).label("kept"),
            Notice.shortfall_days.label("short"),
            zero.label("missed"),
        ).where(dated.between(filters.start, filters.end), Notice.withdrawn_at.is_(None)),
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


def compacts_report(filters: ReportFilters, user: User) -> Report:
    """Cases opened in the period by Compact: its own local cases, and the regional cases
    that affect it (shown under each Compact they affect; the total counts each once)."""
    rows, (local, regional) = cases_by_compact(filters, user)
    return Report(
        name="compacts",
        title="Cases by Compact, local and regional",
        columns=("Compact", "Local cases opened", "Regional cases affecting it"),
        rows=tuple(rows),
        total=("All Compacts, each case once", local, regional),
    )


REPORTS = {
    "cases": cases_report,
    "levels": levels_report,
    "time-to-resolution": time_to_resolution_report,
    "outcomes": outcomes_report,
    "areas": areas_report,
    "funders": funders_report,
    "trend": trend_report,
    "compliance": compliance_report,
    "compacts": compacts_report,
}


def report(name: str, filters: ReportFilters, user: User) -> Report:
    """The report called `name` (a key of `REPORTS`)."""
    return REPORTS[name](filters, user)


def all_reports(filters: ReportFilters, user: User) -> list[Report]:
    """Every report, in the order the overview shows them."""
    return [build(filters, user) for build in REPORTS.values()]

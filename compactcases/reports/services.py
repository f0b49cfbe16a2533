"""Regional reports: every figure an SQL aggregate over the cases a user's reports cover.

Each report is a function of a frozen `ReportFilters` and the user, returning a `Report`: a
table of plain values that the page shows beneath its chart and the CSV download repeats.
Scope comes from `policy.scope_report_cases`, applied in SQL before anything is counted.

Which date counts: a case is *opened* on the day it was raised, *resolved* or *withdrawn* on
the day it closed, and *open* at the end of the period when it was raised by then and had not
closed by then. Percentiles are exact, by linear interpolation between the two nearest ranks
(the definition of PostgreSQL's percentile_cont): for n values sorted ascending, the p-th
percentile sits at position h = (n - 1) * p (counting from 0), and is x[floor h] plus
(h - floor h) times (x[floor h + 1] - x[floor h]). Both databases run the same window-function
query, which returns only the one or two middle rows per group.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.dispute import (
    LEVEL_LABELS,
    OUTCOME_TYPE_LABELS,
    Breach,
    Level,
    OutcomeType,
    State,
)

from .. import policy
from ..extensions import db
from ..models import (
    AREA_ORDER,
    Area,
    Case,
    CaseArea,
    Compact,
    Notice,
    Organisation,
    Outcome,
    OutcomeKind,
    Region,
    User,
)


@dataclass(frozen=True)
class ReportFilters:
    """What the figures cover: a period (inclusive) and optionally a region, Compact, area."""

    start: date
    end: date
    region_id: int | None = None
    # A Compact's code; an upper-tier Compact's figures include its districts.
    compact: str | None = None
    area: Area | None = None


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


def financial_year(today: date) -> tuple[date, date]:
    """The financial year (1 April to 31 March) that contains `today`."""
    first = today.year if today.month >= 4 else today.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


# --- the cases a report covers ---------------------------------------------------------------


def _covered(filters: ReportFilters, user: User, query: sa.Select) -> sa.Select:
    """`query` (over Case) narrowed to the user's scope and the filters other than dates."""
    query = policy.scope_report_cases(query, user)
    if filters.region_id:
        query = query.where(
            Case.compact_id.in_(sa.select(Compact.id).where(Compact.region_id == filters.region_id))
        )
    if filters.compact:
        chosen = sa.select(Compact.id).where(Compact.code == filters.compact).scalar_subquery()
        query = query.where(
            Case.compact_id.in_(
                sa.select(Compact.id).where(
                    sa.or_(Compact.id == chosen, Compact.parent_id == chosen)
                )
            )
        )
    if filters.area:
        query = query.where(
            sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == filters.area)
        )
    return query


def _opened(filters: ReportFilters):
    return Case.raised_on.between(filters.start, filters.end)


def _closed_as(state: State, filters: ReportFilters):
    return sa.and_(Case.state == state, Case.closed_on.between(filters.start, filters.end))


def _count_if(condition) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


# --- the reports -----------------------------------------------------------------------------


def cases_report(filters: ReportFilters, user: User) -> Report:
    """How many cases were opened, were open at the end, were resolved and were withdrawn."""
    open_at_end = sa.and_(
        Case.raised_on <= filters.end,
        sa.or_(Case.closed_on.is_(None), Case.closed_on > filters.end),
    )
    row = db.session.execute(
        _covered(
            filters,
            user,
            sa.select(
                _count_if(_opened(filters)),
                _count_if(open_at_end),
                _count_if(_closed_as(State.RESOLVED, filters)),
                _count_if(_closed_as(State.WITHDRAWN, filters)),
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
    query = _covered(
        filters,
        user,
        sa.select(
            Outcome.level,
            _count_if(resolved),
            _count_if(Case.state == State.WITHDRAWN),
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
    rows = tuple((LEVEL_LABELS[level], *counts.get(level, (0, 0))) for level in Level)
    return Report(
        name="levels",
        title="Where cases were settled",
        columns=("Level reached", "Resolved", "Withdrawn"),
        rows=rows,
        total=("All levels", sum(r[1] for r in rows), sum(r[2] for r in rows)),
    )


# Percentiles asked for, as exact fractions so that positions are integer arithmetic in SQL.
MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def _positions(n, p: Fraction) -> tuple:
    """The 1-based ranks either side of the p-th percentile of n values, as SQL expressions."""
    # `//` is integer (floor) division on both databases; `/` would be true division.
    lower = (n - 1) * p.numerator // p.denominator + 1
    upper = ((n - 1) * p.numerator + p.denominator - 1) // p.denominator + 1
    return lower, upper


def percentiles_by(
    key: sa.ColumnElement | None,
    days: sa.ColumnElement,
    query: sa.Select,
    fractions: tuple[Fraction, ...],
) -> dict:
    """{group: (n, {p: value})} for `days` over `query`'s rows, grouped by `key` (None: one
    group, keyed None).

    `query` must select from the rows to measure; only the middle rows of each group leave the
    database. Integer division truncates on both databases, and every operand is a
    non-negative integer, so the ranks agree on SQLite and PostgreSQL.
    """
    group = key if key is not None else sa.null()
    ranked = query.add_columns(
        group.label("group_key"),
        days.label("days"),
        sa.func.row_number().over(partition_by=key, order_by=days).label("rank"),
        sa.func.count().over(partition_by=key).label("n"),
    ).subquery()
    wanted = [position for p in fractions for position in _positions(ranked.c.n, p)]
    rows = db.session.execute(
        sa.select(ranked.c.group_key, ranked.c.n, ranked.c.rank, ranked.c.days).where(
            sa.or_(*(ranked.c.rank == position for position in wanted))
        )
    ).all()
    by_group: dict = {}
    for group, n, rank, value in rows:
        by_group.setdefault(group, (int(n), {}))[1][int(rank)] = int(value)
    result = {}
    for group, (n, at) in by_group.items():
        result[group] = (n, {p: interpolate(at, n, p) for p in fractions})
    return result


def interpolate(at: dict[int, int], n: int, p: Fraction) -> float:
    """The p-th percentile from the values at the 1-based ranks either side of it."""
    position = (n - 1) * p
    lower = int(position) + 1
    fraction = position - int(position)
    upper = lower + 1 if fraction else lower
    return float(at[lower] + fraction * (at[upper] - at[lower]))


def time_to_resolution_report(filters: ReportFilters, user: User) -> Report:
    """Median and 90th percentile working days from raised to resolved, by level and overall."""
    measured = _covered(
        filters,
        user,
        sa.select()
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(_closed_as(State.RESOLVED, filters), Case.working_days_to_close.is_not(None)),
    )
    days = Case.working_days_to_close
    by_level = percentiles_by(Outcome.level, days, measured, (MEDIAN, P90))
    overall = percentiles_by(None, days, measured, (MEDIAN, P90))

    def row(label: str, found) -> tuple:
        if not found:
            return (label, 0, None, None)
        n, values = found
        return (label, n, values[MEDIAN], values[P90])

    return Report(
        name="time-to-resolution",
        title="Time to resolution",
        columns=("Level reached", "Cases resolved", "Median working days", "90th percentile"),
        rows=tuple(row(LEVEL_LABELS[level], by_level.get(level)) for level in Level),
        total=row("All levels", overall.get(None)),
    )


def outcomes_report(filters: ReportFilters, user: User) -> Report:
    """The cases resolved in the period by type of outcome, with what they protected."""
    figures = (
        Outcome.funding_protected,
        Outcome.jobs_safeguarded,
        Outcome.notice_days_gained,
        Outcome.service_users_affected,
    )
    query = _covered(
        filters,
        user,
        sa.select(
            Outcome.outcome_type,
            sa.func.count(),
            *(sa.func.coalesce(sa.func.sum(f), 0) for f in figures),
        )
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(_closed_as(State.RESOLVED, filters), Outcome.kind == OutcomeKind.RESOLVED)
        .group_by(Outcome.outcome_type),
    )
    found = {kind: tuple(int(v) for v in values) for kind, *values in db.session.execute(query)}
    rows = tuple(
        (OUTCOME_TYPE_LABELS[kind], *found.get(kind, (0, 0, 0, 0, 0))) for kind in OutcomeType
    )
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
    query = _covered(
        filters,
        user,
        sa.select(CaseArea.area, sa.func.count())
        .select_from(Case)
        .join(CaseArea, CaseArea.case_id == Case.id)
        .where(_opened(filters))
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
    query = _covered(
        filters,
        user,
        sa.select(funder.name, count, _count_if(Case.state == State.RESOLVED))
        .select_from(Case)
        .join(funder, funder.id == Case.funder_id)
        .where(_opened(filters))
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

    def per_month(column, condition) -> dict[tuple[int, int], int]:
        year, month = sa.extract("year", column), sa.extract("month", column)
        query = _covered(
            filters,
            user,
            sa.select(year, month, sa.func.count())
            .select_from(Case)
            .where(condition)
            .group_by(year, month),
        )
        return {(int(y), int(m)): int(n) for y, m, n in db.session.execute(query)}

    opened = per_month(Case.raised_on, _opened(filters))
    resolved = per_month(Case.closed_on, _closed_as(State.RESOLVED, filters))
    rows = tuple(
        (date(y, m, 1).strftime("%b %Y"), opened.get((y, m), 0), resolved.get((y, m), 0))
        for y, m in _months(filters.start, filters.end)
    )
    return Report(
        name="trend",
        title="Cases opened and resolved by month",
        columns=("Month", "Cases opened", "Cases resolved"),
        rows=rows,
        total=("Whole period", sum(r[1] for r in rows), sum(r[2] for r in rows)),
    )


def compliance_report(filters: ReportFilters, user: User) -> Report:
    """Funders' notices dated in the period (notice given, or consultation opened), and how
    many kept the Compact's periods: one GROUP BY over the verdicts stored on the notices."""
    funder = aliased(Organisation)
    dated = sa.func.coalesce(Notice.notice_given_on, Notice.opens_on)
    total = sa.func.count(Notice.id).label("notices")
    kept = _count_if(Notice.compliant.is_(True))
    short = sa.func.coalesce(sa.func.sum(Notice.shortfall_days), 0)
    query = (
        sa.select(funder.name, total, kept, short)
        .select_from(Notice)
        .join(funder, funder.id == Notice.funder_id)
        .where(dated.between(filters.start, filters.end))
        .group_by(funder.id, funder.name)
        .order_by(total.desc(), funder.name)
    )
    query = policy.scope_notices(query, user)
    if filters.region_id:
        query = query.where(
            Notice.compact_id.in_(
                sa.select(Compact.id).where(Compact.region_id == filters.region_id)
            )
        )
    if filters.compact:
        chosen = sa.select(Compact.id).where(Compact.code == filters.compact).scalar_subquery()
        query = query.where(
            Notice.compact_id.in_(
                sa.select(Compact.id).where(
                    sa.or_(Compact.id == chosen, Compact.parent_id == chosen)
                )
            )
        )
    rows = tuple(
        (name, int(n), int(ok), _rate(int(ok), int(n)), int(days))
        for name, n, ok, days in db.session.execute(query)
    )
    notices, compliant = sum(r[1] for r in rows), sum(r[2] for r in rows)
    return Report(
        name="compliance",
        title="Funders' notice compliance",
        columns=("Funder", "Notices", "Kept the Compact", "Compliance rate (%)", "Days short"),
        rows=rows,
        total=(
            "All funders",
            notices,
            compliant,
            _rate(compliant, notices),
            sum(r[4] for r in rows),
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
    return REPORTS[name](filters, user)


def all_reports(filters: ReportFilters, user: User) -> list[Report]:
    return [build(filters, user) for build in REPORTS.values()]


# --- annual summary --------------------------------------------------------------------------


@dataclass(frozen=True)
class CompactSummary:
    """One Compact's year, as its page of the annual summary shows it."""

    name: str
    opened: int
    resolved: int
    withdrawn: int
    open_at_end: int
    resolved_by_level: dict[Level, int]
    median_days: float | None
    funding_protected: int
    jobs_safeguarded: int
    notice_days_gained: int
    service_users_affected: int
    breaches_found: int
    shareable_learning: int


def annual_summary(filters: ReportFilters, user: User) -> list[CompactSummary]:
    """Each Compact's figures for the period, in four grouped queries (not one per Compact)."""
    compacts = db.session.scalars(_compacts_in(filters, user).order_by(Compact.name)).all()
    ids = [c.id for c in compacts]
    if not ids:
        return []
    base = _covered(
        ReportFilters(filters.start, filters.end, filters.region_id, None, filters.area),
        user,
        sa.select().select_from(Case),
    ).where(Case.compact_id.in_(ids))
    open_at_end = sa.and_(
        Case.raised_on <= filters.end,
        sa.or_(Case.closed_on.is_(None), Case.closed_on > filters.end),
    )
    counts = {
        compact_id: tuple(int(v) for v in values)
        for compact_id, *values in db.session.execute(
            base.add_columns(
                Case.compact_id,
                _count_if(_opened(filters)),
                _count_if(_closed_as(State.RESOLVED, filters)),
                _count_if(_closed_as(State.WITHDRAWN, filters)),
                _count_if(open_at_end),
            ).group_by(Case.compact_id)
        )
    }
    resolved = base.join(Outcome, Outcome.case_id == Case.id).where(
        _closed_as(State.RESOLVED, filters), Outcome.kind == OutcomeKind.RESOLVED
    )
    totals = {
        compact_id: tuple(int(v) for v in values)
        for compact_id, *values in db.session.execute(
            resolved.add_columns(
                Case.compact_id,
                *(_count_if(Outcome.level == level) for level in Level),
                sa.func.coalesce(sa.func.sum(Outcome.funding_protected), 0),
                sa.func.coalesce(sa.func.sum(Outcome.jobs_safeguarded), 0),
                sa.func.coalesce(sa.func.sum(Outcome.notice_days_gained), 0),
                sa.func.coalesce(sa.func.sum(Outcome.service_users_affected), 0),
                _count_if(Outcome.breach_found.in_((Breach.YES, Breach.PARTLY))),
                _count_if(Outcome.learning_shareable),
            ).group_by(Case.compact_id)
        )
    }
    medians = percentiles_by(
        Case.compact_id,
        Case.working_days_to_close,
        resolved.where(Case.working_days_to_close.is_not(None)),
        (MEDIAN,),
    )
    summaries = []
    for compact in compacts:
        opened, closed_resolved, withdrawn, still_open = counts.get(compact.id, (0, 0, 0, 0))
        figures = totals.get(compact.id, (0,) * (len(Level) + 6))
        levels = dict(zip(Level, figures[: len(Level)], strict=True))
        money, jobs, notice, users, breaches, shareable = figures[len(Level) :]
        median = medians.get(compact.id)
        summaries.append(
            CompactSummary(
                name=compact.name,
                opened=opened,
                resolved=closed_resolved,
                withdrawn=withdrawn,
                open_at_end=still_open,
                resolved_by_level=levels,
                median_days=median[1][MEDIAN] if median else None,
                funding_protected=money,
                jobs_safeguarded=jobs,
                notice_days_gained=notice,
                service_users_affected=users,
                breaches_found=breaches,
                shareable_learning=shareable,
            )
        )
    return summaries


def _compacts_in(filters: ReportFilters, user: User) -> sa.Select:
    query = policy.report_compacts(user)
    if filters.region_id:
        query = query.where(Compact.region_id == filters.region_id)
    if filters.compact:
        chosen = sa.select(Compact.id).where(Compact.code == filters.compact).scalar_subquery()
        query = query.where(sa.or_(Compact.id == chosen, Compact.parent_id == chosen))
    return query


# --- filter choices --------------------------------------------------------------------------


def filter_choices(user: User) -> tuple[list[Region], list[Compact]]:
    """The regions and Compacts the user's report filters offer."""
    compacts = db.session.scalars(policy.report_compacts(user).order_by(Compact.name)).all()
    region_ids = {c.region_id for c in compacts}
    regions = db.session.scalars(
        sa.select(Region).where(Region.id.in_(region_ids)).order_by(Region.name)
    ).all()
    return list(regions), list(compacts)


# --- the filtered case list, for download ---------------------------------------------------


CASE_CSV_COLUMNS = (
    "Reference",
    "Title",
    "Compact",
    "Funder",
    "Third-sector organisation",
    "Areas of the Compact",
    "State",
    "Raised on",
    "Closed on",
    "Working days to close",
    "Money at stake (£)",
    "Level reached",
    "Outcome",
    "Funding protected (£)",
    "Jobs safeguarded",
    "Days of notice gained",
    "Service users affected",
)


def case_csv_rows(cases: Iterator[Case]) -> Iterator[tuple]:
    """The download's row for each case, in the order of `CASE_CSV_COLUMNS`."""
    for case in cases:
        outcome = case.outcome
        resolved = outcome is not None and outcome.kind is OutcomeKind.RESOLVED
        yield (
            case.reference,
            case.title,
            case.compact.name,
            case.funder.name,
            case.third_sector.name,
            "; ".join(area.label for area in case.areas),
            case.state.label,
            case.raised_on.isoformat(),
            case.closed_on.isoformat() if case.closed_on else "",
            case.working_days_to_close,
            case.amount_at_stake,
            outcome.level.label if outcome else "",
            outcome.outcome_type.label if resolved else "",
            outcome.funding_protected if resolved else None,
            outcome.jobs_safeguarded if resolved else None,
            outcome.notice_days_gained if resolved else None,
            outcome.service_users_affected if resolved else None,
        )


# --- learning register -----------------------------------------------------------------------


# Funding protected, as the register shows it: a band, never the figure.
FUNDING_BANDS: tuple[tuple[int, str], ...] = (
    (1, "None"),
    (10_000, "Under £10,000"),
    (50_000, "£10,000 to £49,999"),
    (100_000, "£50,000 to £99,999"),
    (250_000, "£100,000 to £249,999"),
)
TOP_BAND = "£250,000 or more"


def funding_band(amount: int | None) -> str:
    if amount is None:
        return "Not recorded"
    for below, label in FUNDING_BANDS:
        if amount < below:
            return label
    return TOP_BAND


@dataclass(frozen=True)
class Learning:
    """One shared, anonymised piece of learning."""

    region: str
    year: str
    areas: tuple[str, ...]
    level: str
    outcome: str
    funding_band: str
    text: str


_MONEY = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|million)\b)?", re.IGNORECASE)


def anonymise(text: str, names: tuple[str, ...]) -> str:
    """`text` with the parties' names taken out and any sum of money shown as its band."""
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = re.sub(re.escape(name), "[organisation]", text, flags=re.IGNORECASE)
    return _MONEY.sub(lambda match: f"[{funding_band(_pounds(match.group(0)))}]", text)


# Any sum with more whole-pound digits than this is in the top band, whatever follows it.
_MAX_POUND_DIGITS = 15


def _pounds(typed: str) -> int:
    """The whole pounds a sum written in text stands for, e.g. "£1.5m" is 1,500,000.

    Exact decimal arithmetic on a bounded number of digits: a float turns a long string of
    digits into infinity, and int() refuses one of thousands of digits."""
    whole, _, fraction = re.sub(r"[^\d.]", "", typed).partition(".")
    whole = whole.lstrip("0")
    if len(whole) > _MAX_POUND_DIGITS:
        return 10**_MAX_POUND_DIGITS
    value = Decimal(f"{whole or 0}.{fraction[:_MAX_POUND_DIGITS] or 0}")
    lowered = typed.lower()
    if lowered.endswith("k"):
        value *= 1_000
    elif lowered.endswith(("m", "million")):
        value *= 1_000_000
    return int(value)


def learning_register(area: Area | None, page: int, per_page: int) -> tuple[list[Learning], int]:
    """A page of shareable learning from resolved cases in every Compact, newest first, and
    the number of entries in all; the parties' names and sums of money never leave here."""
    funder, third_sector = aliased(Organisation), aliased(Organisation)
    query = (
        sa.select(
            Case.id,
            Case.closed_on,
            Region.name,
            Outcome.level,
            Outcome.outcome_type,
            Outcome.funding_protected,
            Outcome.learning,
            funder.name,
            third_sector.name,
        )
        .select_from(Outcome)
        .join(Case, Case.id == Outcome.case_id)
        .join(Compact, Compact.id == Case.compact_id)
        .join(Region, Region.id == Compact.region_id)
        .join(funder, funder.id == Case.funder_id)
        .join(third_sector, third_sector.id == Case.third_sector_id)
        .where(
            Outcome.kind == OutcomeKind.RESOLVED,
            Outcome.learning_shareable.is_(True),
            Case.state == State.RESOLVED,
        )
    )
    if area:
        query = query.where(sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == area))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Case.closed_on.desc(), Case.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    areas: dict[int, list[Area]] = {}
    for case_id, case_area in db.session.execute(
        sa.select(CaseArea.case_id, CaseArea.area).where(
            CaseArea.case_id.in_([row[0] for row in rows])
        )
    ):
        areas.setdefault(case_id, []).append(case_area)
    entries = [
        Learning(
            region=region,
            year=_financial_year_label(closed_on),
            areas=tuple(a.label for a in sorted(areas.get(case_id, []), key=AREA_ORDER.index)),
            level=level.label,
            outcome=kind.label,
            funding_band=funding_band(money),
            text=anonymise(learning or "", (funder_name, third_sector_name)),
        )
        for (
            case_id,
            closed_on,
            region,
            level,
            kind,
            money,
            learning,
            funder_name,
            third_sector_name,
        ) in rows
    ]
    return entries, int(total)


def _financial_year_label(day: date) -> str:
    start, end = financial_year(day)
    return f"{start.year}/{str(end.year)[2:]}"

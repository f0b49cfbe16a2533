"""Report figures counted straight from the cases, for any filters.

Each function answers one report's question over `filters` with one SQL aggregate and returns
its figures as `Figures`: a key (an outcome level, an area, a month...) to a tuple of counts
and sums that add up across periods. `tallied` answers the same questions from the monthly
tallies; `queries` adds the two together and lays the report out.
"""

from __future__ import annotations

from collections.abc import Hashable

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.dispute import State

from ..extensions import db
from ..models import Case, CaseArea, Organisation, Outcome, OutcomeKind, User
from . import coverage
from .coverage import ReportFilters, closed_as, count_if, covered, opened
from .percentiles import histograms

Figures = dict[Hashable, tuple[int, ...]]
OUTCOME_FIGURES = (
    Outcome.funding_protected,
    Outcome.jobs_safeguarded,
    Outcome.notice_days_gained,
    Outcome.service_users_affected,
)


def _as_ints(values) -> tuple[int, ...]:
    return tuple(int(v or 0) for v in values)


def cases(filters: ReportFilters, user: User) -> Figures:
    """Cases opened, resolved and withdrawn in the period."""
    row = db.session.execute(
        covered(
            filters,
            user,
            sa.select(
                count_if(opened(filters)),
                count_if(closed_as(State.RESOLVED, filters)),
                count_if(closed_as(State.WITHDRAWN, filters)),
            )
            .select_from(Case)
            # Not needed for the answer; lets a short period be read through the two indexes.
            .where(sa.or_(opened(filters), Case.closed_on.between(filters.start, filters.end))),
        )
    ).one()
    return {"cases": _as_ints(row)}


def open_at_end(filters: ReportFilters, user: User) -> Figures:
    """Cases raised by the end of the period that had not closed by then."""
    query = covered(filters, user, sa.select(count_if(coverage.open_at_end(filters))))
    return {"open": (int(db.session.scalar(query.select_from(Case)) or 0),)}


def levels(filters: ReportFilters, user: User) -> Figures:
    """Cases closed in the period with an outcome, by level: (resolved, withdrawn)."""
    query = covered(
        filters,
        user,
        sa.select(
            Outcome.level,
            count_if(Case.state == State.RESOLVED),
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
    return {level: _as_ints(values) for level, *values in db.session.execute(query)}


def resolution_days(filters: ReportFilters, user: User) -> Figures:
    """Cases resolved in the period, by (level, working days to resolution)."""
    measured = covered(
        filters,
        user,
        sa.select()
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(closed_as(State.RESOLVED, filters), Case.working_days_to_close.is_not(None)),
    )
    by_level = histograms(Outcome.level, Case.working_days_to_close, measured)
    return {(level, days): (n,) for level, histogram in by_level.items() for days, n in histogram}


def outcomes(filters: ReportFilters, user: User) -> Figures:
    """Cases resolved in the period by outcome type: (cases, then each figure's sum)."""
    query = covered(
        filters,
        user,
        sa.select(
            Outcome.outcome_type,
            sa.func.count(),
            *(sa.func.coalesce(sa.func.sum(f), 0) for f in OUTCOME_FIGURES),
        )
        .select_from(Case)
        .join(Outcome, Outcome.case_id == Case.id)
        .where(closed_as(State.RESOLVED, filters), Outcome.kind == OutcomeKind.RESOLVED)
        .group_by(Outcome.outcome_type),
    )
    return {kind: _as_ints(values) for kind, *values in db.session.execute(query)}


def areas(filters: ReportFilters, user: User) -> Figures:
    """Cases opened in the period by area of the Compact."""
    query = covered(
        filters,
        user,
        sa.select(CaseArea.area, sa.func.count())
        .select_from(Case)
        .join(CaseArea, CaseArea.case_id == Case.id)
        .where(opened(filters))
        .group_by(CaseArea.area),
    )
    return {area: (int(n),) for area, n in db.session.execute(query)}


def funders(filters: ReportFilters, user: User) -> Figures:
    """Cases opened in the period by funder (id, name): (cases, of which resolved now)."""
    funder = aliased(Organisation)
    query = covered(
        filters,
        user,
        sa.select(funder.id, funder.name, sa.func.count(), count_if(Case.state == State.RESOLVED))
        .select_from(Case)
        .join(funder, funder.id == Case.funder_id)
        .where(opened(filters))
        .group_by(funder.id, funder.name),
    )
    return {(i, name): _as_ints(values) for i, name, *values in db.session.execute(query)}


def trend(filters: ReportFilters, user: User) -> Figures:
    """Cases opened and resolved by month: keys ("opened" or "resolved", year, month)."""
    found: Figures = {}
    # Two small GROUP BYs, each able to use its own date column's index, measured faster than
    # one GROUP BY over both months at once.
    for name, column, condition in (
        ("opened", Case.raised_on, opened(filters)),
        ("resolved", Case.closed_on, closed_as(State.RESOLVED, filters)),
    ):
        year, month = sa.extract("year", column), sa.extract("month", column)
        query = covered(
            filters,
            user,
            sa.select(year, month, sa.func.count())
            .select_from(Case)
            .where(condition)
            .group_by(year, month),
        )
        found.update({(name, int(y), int(m)): (int(n),) for y, m, n in db.session.execute(query)})
    return found

"""Report figures read from the monthly tallies, for whole calendar months.

The same questions `live` asks of the cases, answered from `tally_*` rows (see
`models.tallies`), so a report over a year reads a few rows per Compact and month instead of
every case. `months` is the first day of the first and of the last whole month. A filter on an
area of the Compact is not tallied; `queries` counts such reports from the cases.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from workflows.dispute import State
from workflows.outcomes import Level, OutcomeType

from .. import policy
from ..extensions import db
from ..models import (
    BLANK,
    Area,
    Organisation,
    OutcomeKind,
    TallyArea,
    TallyClosed,
    TallyDays,
    TallyOpened,
    User,
)
from .coverage import ReportFilters, in_chosen_compacts
from .live import Figures

Months = tuple[date, date]


def _covered(query: sa.Select, tally, filters: ReportFilters, user: User) -> sa.Select:
    """`query` over `tally` narrowed to the user's report scope and the filters' Compacts."""
    compact_ids = policy.report_compact_ids(user)
    if compact_ids is not None:
        query = query.where(tally.compact_id.in_(compact_ids))
    for condition in in_chosen_compacts(tally.compact_id, filters):
        query = query.where(condition)
    return query


def _in(tally, months: Months) -> sa.ColumnElement[bool]:
    return tally.month.between(*months)


def _sum(column, condition=None) -> sa.ColumnElement[int]:
    counted = column if condition is None else sa.case((condition, column), else_=0)
    return sa.func.coalesce(sa.func.sum(counted), 0)


def _total(tally, figure, filters, user, *conditions) -> sa.ScalarSelect:
    query = _covered(sa.select(_sum(figure)).where(*conditions), tally, filters, user)
    return query.scalar_subquery()


def cases_and_open(
    months: Months | None, open_upto: date | None, filters: ReportFilters, user: User
) -> tuple[tuple[int, int, int], int]:
    """(opened, resolved, withdrawn) over `months`, and the cases open at the end of the month
    starting `open_upto` (raised by then less closed by then), in one statement."""
    columns = []
    if months:
        columns += [
            _total(TallyOpened, TallyOpened.cases, filters, user, _in(TallyOpened, months)),
            *(
                _total(
                    TallyClosed,
                    TallyClosed.cases,
                    filters,
                    user,
                    _in(TallyClosed, months),
                    TallyClosed.state == state.value,
                )
                for state in (State.RESOLVED, State.WITHDRAWN)
            ),
        ]
    if open_upto:
        columns += [
            _total(TallyOpened, TallyOpened.cases, filters, user, TallyOpened.month <= open_upto),
            _total(TallyClosed, TallyClosed.cases, filters, user, TallyClosed.month <= open_upto),
        ]
    if not columns:
        return (0, 0, 0), 0
    row = [int(v) for v in db.session.execute(sa.select(*columns)).one()]
    counts = tuple(row[:3]) if months else (0, 0, 0)
    still_open = row[-2] - row[-1] if open_upto else 0
    return counts, still_open


def levels(months: Months, filters: ReportFilters, user: User) -> Figures:
    query = _covered(
        sa.select(
            TallyClosed.level,
            _sum(TallyClosed.cases, TallyClosed.state == State.RESOLVED.value),
            _sum(TallyClosed.cases, TallyClosed.state == State.WITHDRAWN.value),
        )
        .where(_in(TallyClosed, months), TallyClosed.level != BLANK)
        .group_by(TallyClosed.level),
        TallyClosed,
        filters,
        user,
    )
    return {Level(level): (int(r), int(w)) for level, r, w in db.session.execute(query)}


def resolution_days(months: Months, filters: ReportFilters, user: User) -> Figures:
    cases = sa.func.sum(TallyDays.cases)
    query = _covered(
        sa.select(TallyDays.level, TallyDays.days, cases)
        .where(_in(TallyDays, months))
        .group_by(TallyDays.level, TallyDays.days)
        .having(cases > 0),
        TallyDays,
        filters,
        user,
    )
    return {(Level(level), days): (int(n),) for level, days, n in db.session.execute(query)}


def outcomes(months: Months, filters: ReportFilters, user: User) -> Figures:
    figures = (
        TallyClosed.cases,
        TallyClosed.funding_protected,
        TallyClosed.jobs_safeguarded,
        TallyClosed.notice_days_gained,
        TallyClosed.service_users_affected,
    )
    query = _covered(
        sa.select(TallyClosed.outcome_type, *(_sum(f) for f in figures))
        .where(
            _in(TallyClosed, months),
            TallyClosed.state == State.RESOLVED.value,
            TallyClosed.outcome_kind == OutcomeKind.RESOLVED.value,
        )
        .group_by(TallyClosed.outcome_type),
        TallyClosed,
        filters,
        user,
    )
    return {
        (OutcomeType(kind) if kind else None): tuple(int(v) for v in values)
        for kind, *values in db.session.execute(query)
    }


def areas(months: Months, filters: ReportFilters, user: User) -> Figures:
    query = _covered(
        sa.select(TallyArea.area, _sum(TallyArea.cases))
        .where(_in(TallyArea, months))
        .group_by(TallyArea.area),
        TallyArea,
        filters,
        user,
    )
    return {Area(area): (int(n),) for area, n in db.session.execute(query)}


def funders(months: Months, filters: ReportFilters, user: User) -> Figures:
    cases = sa.func.sum(TallyOpened.cases)
    query = _covered(
        sa.select(Organisation.id, Organisation.name, cases, _sum(TallyOpened.resolved))
        .join(Organisation, Organisation.id == TallyOpened.funder_id)
        .where(_in(TallyOpened, months))
        .group_by(Organisation.id, Organisation.name)
        .having(cases > 0),
        TallyOpened,
        filters,
        user,
    )
    return {(i, name): (int(n), int(r)) for i, name, n, r in db.session.execute(query)}


def trend(months: Months, filters: ReportFilters, user: User) -> Figures:
    opened = _covered(
        sa.select(sa.literal("opened"), TallyOpened.month, _sum(TallyOpened.cases))
        .where(_in(TallyOpened, months))
        .group_by(TallyOpened.month),
        TallyOpened,
        filters,
        user,
    )
    resolved = _covered(
        sa.select(sa.literal("resolved"), TallyClosed.month, _sum(TallyClosed.cases))
        .where(_in(TallyClosed, months), TallyClosed.state == State.RESOLVED.value)
        .group_by(TallyClosed.month),
        TallyClosed,
        filters,
        user,
    )
    rows = db.session.execute(sa.union_all(opened, resolved))
    found: Figures = {}
    for name, month, n in rows:
        month = month if isinstance(month, date) else date.fromisoformat(str(month)[:10])
        found[(name, month.year, month.month)] = (int(n),)
    return found

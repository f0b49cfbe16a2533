"""What a report covers: its filters, the cases they select in SQL, and the filter choices.

Scope comes from `policy.scope_report_cases`, applied in SQL before anything is counted.

Which date counts: a case is *opened* on the day it was raised, *resolved* or *withdrawn* on
the day it closed, and *open* at the end of the period when it was raised by then and had not
closed by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.dispute import State

from .. import policy
from ..extensions import db
from ..models import Area, Case, CaseArea, Compact, Region, User


@dataclass(frozen=True)
class ReportFilters:
    """What the figures cover: a period (inclusive) and optionally a region, Compact, area."""

    start: date
    end: date
    region_id: int | None = None
    # A Compact's code; an upper-tier Compact's figures include its districts.
    compact: str | None = None
    area: Area | None = None


def financial_year(today: date) -> tuple[date, date]:
    """The financial year (1 April to 31 March) that contains `today`."""
    first = today.year if today.month >= 4 else today.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


def in_chosen_compacts(compact_id: sa.ColumnElement, filters: ReportFilters) -> list:
    """Conditions keeping the rows whose `compact_id` lies in the filters' region and Compact
    (an upper-tier Compact with its districts); none when the filters name neither."""
    conditions = []
    if filters.region_id:
        conditions.append(
            compact_id.in_(sa.select(Compact.id).where(Compact.region_id == filters.region_id))
        )
    if filters.compact:
        chosen = sa.select(Compact.id).where(Compact.code == filters.compact).scalar_subquery()
        conditions.append(
            compact_id.in_(
                sa.select(Compact.id).where(
                    sa.or_(Compact.id == chosen, Compact.parent_id == chosen)
                )
            )
        )
    return conditions


def covered(filters: ReportFilters, user: User, query: sa.Select) -> sa.Select:
    """`query` (over Case) narrowed to the user's scope and the filters other than dates."""
    query = policy.scope_report_cases(query, user)
    for condition in in_chosen_compacts(Case.compact_id, filters):
        query = query.where(condition)
    if filters.area:
        # Its own alias: the areas report joins `case_areas` itself, and a shared name would
        # correlate the subquery away.
        chosen = aliased(CaseArea)
        query = query.where(
            sa.exists().where(chosen.case_id == Case.id, chosen.area == filters.area)
        )
    return query


def opened(filters: ReportFilters) -> sa.ColumnElement[bool]:
    """The case was raised in the period."""
    return Case.raised_on.between(filters.start, filters.end)


def closed_as(state: State, filters: ReportFilters) -> sa.ColumnElement[bool]:
    """The case closed in the period, in `state`."""
    return sa.and_(Case.state == state, Case.closed_on.between(filters.start, filters.end))


def open_at_end(filters: ReportFilters) -> sa.ColumnElement[bool]:
    """The case had been raised by the end of the period and had not closed by then."""
    return sa.and_(
        Case.raised_on <= filters.end,
        sa.or_(Case.closed_on.is_(None), Case.closed_on > filters.end),
    )


def count_if(condition) -> sa.ColumnElement[int]:
    """How many rows meet `condition`, as an aggregate (0, never NULL, over no rows)."""
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def filter_choices(user: User) -> tuple[list[Region], list[Compact]]:
    """The regions and Compacts the user's report filters offer."""
    compacts = db.session.scalars(policy.report_compacts(user).order_by(Compact.name)).all()
    region_ids = {c.region_id for c in compacts}
    regions = db.session.scalars(
        sa.select(Region).where(Region.id.in_(region_ids)).order_by(Region.name)
    ).all()
    return list(regions), list(compacts)

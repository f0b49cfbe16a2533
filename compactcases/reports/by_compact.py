"""Cases by Compact: each Compact's own local cases and the regional cases that affect it.

The other reports count every case once, under its `compact_id` (a regional case's lead
Compact), so the monthly tallies and the regional totals need no change for regional cases.
This report is where a regional case shows under each Compact it affects: its rows may add
up to more than the region's cases, so its total counts each case once.
"""

from __future__ import annotations

import sqlalchemy as sa

from .. import policy
from ..extensions import db
from ..models import Case, CaseArea, CaseCompact, Compact, User
from .coverage import ReportFilters, in_chosen_compacts, opened


def _in_scope(compact_id: sa.ColumnElement, filters: ReportFilters, user: User) -> list:
    """Conditions keeping the Compacts the user's reports cover and the filters choose."""
    conditions = in_chosen_compacts(compact_id, filters)
    covered = policy.report_compact_ids(user)
    if covered is not None:
        conditions.append(compact_id.in_(covered))
    return conditions


def _period(filters: ReportFilters) -> list:
    conditions = [opened(filters)]
    if filters.area:
        conditions.append(
            sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == filters.area)
        )
    return conditions


def cases_by_compact(
    filters: ReportFilters, user: User
) -> tuple[list[tuple[str, int, int]], tuple[int, int]]:
    """(Compact name, local cases opened, regional cases affecting it) for each Compact with
    any, by name; and the totals counting each case once (local, regional)."""
    regional = policy.is_regional_case()
    local_rows = sa.select(
        Case.compact_id.label("compact_id"),
        sa.literal(1).label("local"),
        sa.literal(0).label("regional"),
    ).where(*_period(filters), ~regional, *_in_scope(Case.compact_id, filters, user))
    affected_rows = (
        sa.select(
            CaseCompact.compact_id.label("compact_id"),
            sa.literal(0).label("local"),
            sa.literal(1).label("regional"),
        )
        .join(Case, Case.id == CaseCompact.case_id)
        .where(*_period(filters), *_in_scope(CaseCompact.compact_id, filters, user))
    )
    both = sa.union_all(local_rows, affected_rows).subquery()
    # Each regional case once, however many of the Compacts in view it affects: asked in the
    # same statement (a Compact with no cases has no row, and then neither has the total).
    regional_total = (
        sa.select(sa.func.count(sa.distinct(CaseCompact.case_id)))
        .join(Case, Case.id == CaseCompact.case_id)
        .where(*_period(filters), *_in_scope(CaseCompact.compact_id, filters, user))
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Compact.name,
            sa.func.sum(both.c.local),
            sa.func.sum(both.c.regional),
            regional_total,
        )
        .join(Compact, Compact.id == both.c.compact_id)
        .group_by(Compact.id, Compact.name)
        .order_by(Compact.name)
    ).all()
    found = [(name, int(local), int(regional)) for name, local, regional, _ in rows]
    return found, (sum(r[1] for r in found), int(rows[0][3]) if rows else 0)

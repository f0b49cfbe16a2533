"""Finding cases: the filtered, scoped case list a page shows one page of, and the stream a
download writes out in batches."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import aliased, selectinload

from workflows import deadlines
from workflows.deadlines import DeadlineStatus
from workflows.dispute import State

from .. import clock, policy
from ..extensions import db
from ..models import Area, Case, CaseArea, Compact, Deadline, DeadlinePause, Organisation, User


@dataclass(frozen=True)
class CaseFilters:
    state: State | None = None
    compact: str | None = None
    area: Area | None = None
    q: str = ""
    oldest_first: bool = False
    # "overdue" or "soon" (due in the next 10 working days), from stored due dates.
    due: str | None = None


def search_cases(filters: CaseFilters, user: User, page: int, per_page: int) -> Pagination:
    """One page of the cases `user` may see that match `filters`, counted and sorted in SQL."""
    # The parties and Compact of one page come in three small IN queries: joining them into
    # the page query would make the database join every row it skips on later pages.
    query = _matching(filters, user).options(
        selectinload(Case.compact), selectinload(Case.funder), selectinload(Case.third_sector)
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


# Rows fetched at a time when a download streams the case list.
STREAM_BATCH = 500


def stream_cases(filters: CaseFilters, user: User) -> Iterator[Case]:
    """Every case `user` may see that matches `filters`, fetched in batches, never all at once.

    Each batch loads its Compacts, parties, areas and outcomes in a few IN queries.
    """
    query = _matching(filters, user).options(
        selectinload(Case.compact),
        selectinload(Case.funder),
        selectinload(Case.third_sector),
        selectinload(Case.area_rows),
        selectinload(Case.outcome),
    )
    # The session's identity map holds rows weakly, so a batch is freed once it is written.
    result = db.session.execute(query.execution_options(yield_per=STREAM_BATCH))
    for partition in result.scalars().partitions():
        yield from partition


def _matching(filters: CaseFilters, user: User) -> sa.Select:
    """The cases `user` may see that match `filters`, in the list's order."""
    funder = aliased(Organisation)
    third_sector = aliased(Organisation)
    query = policy.scope_cases(sa.select(Case), user)
    if filters.state:
        query = query.where(Case.state == filters.state)
    if filters.compact:
        query = query.join(Compact, Case.compact_id == Compact.id).where(
            Compact.code == filters.compact
        )
    if filters.area:
        query = query.where(
            sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == filters.area)
        )
    if filters.q.strip():
        needle = f"%{_escape_like(filters.q.strip().lower())}%"
        query = (
            query.join(funder, Case.funder_id == funder.id)
            .join(third_sector, Case.third_sector_id == third_sector.id)
            .where(
                sa.or_(
                    sa.func.lower(Case.reference).like(needle, escape="\\"),
                    sa.func.lower(Case.title).like(needle, escape="\\"),
                    sa.func.lower(funder.name).like(needle, escape="\\"),
                    sa.func.lower(third_sector.name).like(needle, escape="\\"),
                )
            )
        )
    if filters.due in ("overdue", "soon"):
        query = query.where(_has_deadline_due(filters.due, clock.today()))
    order = (
        (Case.raised_on.asc(), Case.id.asc())
        if filters.oldest_first
        else (Case.raised_on.desc(), Case.id.desc())
    )
    return query.order_by(*order)


def _has_deadline_due(due: str, today: date) -> sa.ColumnElement[bool]:
    """The case has an open deadline overdue, or due within 10 working days, and its clock is
    running (a stopped clock's due dates are only provisional)."""
    window = (
        Deadline.due_on < today
        if due == "overdue"
        else Deadline.due_on.between(today, deadlines.due_soon_until(today))
    )
    paused = sa.exists().where(DeadlinePause.case_id == Case.id, DeadlinePause.ended_on.is_(None))
    return sa.and_(
        sa.exists().where(
            Deadline.case_id == Case.id, Deadline.status == DeadlineStatus.OPEN, window
        ),
        ~paused,
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

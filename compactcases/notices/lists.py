"""Notice lists and a funder's compliance rate: filtered, counted and grouped in SQL, within
the notices a user may see (`policy.scope_notices`). A withdrawn notice is listed, marked, but
has no verdict that counts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from .. import policy
from ..extensions import db
from ..models import Compact, Notice, NoticeKind, Organisation, OrganisationKind, User


@dataclass(frozen=True)
class NoticeFilters:
    funder_id: int | None = None
    compact: str | None = None
    compliant: bool | None = None
    kind: NoticeKind | None = None
    # Only the notices no case has been opened about yet.
    without_case: bool = False


def _filtered_notices(filters: NoticeFilters, user: User, query: sa.Select) -> sa.Select:
    query = policy.scope_notices(query, user)
    if filters.without_case:
        query = query.where(Notice.case_id.is_(None))
    if filters.funder_id:
        query = query.where(Notice.funder_id == filters.funder_id)
    if filters.compact:
        query = query.join(Compact, Notice.compact_id == Compact.id).where(
            Compact.code == filters.compact
        )
    if filters.compliant is not None:
        # A withdrawn notice has no verdict that counts: it shows under neither.
        query = query.where(Notice.compliant.is_(filters.compliant), Notice.withdrawn_at.is_(None))
    if filters.kind:
        query = query.where(Notice.kind == filters.kind)
    return query


def count_notices(filters: NoticeFilters, user: User) -> int:
    """How many notices the list shows for `filters`, in one query."""
    query = _filtered_notices(filters, user, sa.select(sa.func.count(Notice.id)))
    return db.session.scalar(query)


def search_notices(filters: NoticeFilters, user: User, page: int, per_page: int) -> Pagination:
    """One page of the notices `user` may see, newest first, filtered and counted in SQL."""
    query = (
        _filtered_notices(filters, user, sa.select(Notice))
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .options(
            selectinload(Notice.compact),
            selectinload(Notice.funder),
            selectinload(Notice.recipient),
            selectinload(Notice.case),
        )
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


@dataclass(frozen=True)
class ComplianceLine:
    label: str
    total: int
    compliant: int
    shortfall_days: int  # summed over the non-compliant notices

    @property
    def rate(self) -> int | None:
        """Compliant notices as a whole percentage, or None when there are none."""
        return round(100 * self.compliant / self.total) if self.total else None


@dataclass(frozen=True)
class Compliance:
    funder: Organisation
    lines: tuple[ComplianceLine, ...]  # one per kind of notice the funder has recorded
    overall: ComplianceLine


def funder_compliance(funder: Organisation, user: User) -> Compliance:
    """The funder's notices that `user` may see, counted by kind and verdict in one GROUP BY."""
    compliant = sa.func.sum(sa.case((Notice.compliant.is_(True), 1), else_=0))
    shortfall = sa.func.sum(Notice.shortfall_days)
    query = sa.select(Notice.kind, sa.func.count(Notice.id), compliant, shortfall).where(
        Notice.funder_id == funder.id, Notice.withdrawn_at.is_(None)
    )
    rows = db.session.execute(policy.scope_notices(query, user).group_by(Notice.kind)).all()
    by_kind = {kind: (total, int(ok or 0), int(days or 0)) for kind, total, ok, days in rows}
    lines = tuple(
        ComplianceLine(kind.label, *by_kind[kind]) for kind in NoticeKind if kind in by_kind
    )
    overall = ComplianceLine(
        "All notices",
        sum(line.total for line in lines),
        sum(line.compliant for line in lines),
        sum(line.shortfall_days for line in lines),
    )
    return Compliance(funder=funder, lines=lines, overall=overall)


def get_funder(organisation_id: int) -> Organisation | None:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind is not OrganisationKind.STATUTORY:
        return None
    return organisation

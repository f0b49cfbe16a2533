"""Open deadlines across the cases, notices and funding agreements a user may see, soonest
first: the API's list of what falls due. Scoped with `policy`'s filters, in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows.deadlines import DeadlineStatus

from . import policy
from .extensions import db
from .models import Case, Deadline, FundingAgreement, Notice, User


@dataclass(frozen=True)
class DeadlinePage:
    items: list[Deadline]
    total: int
    page: int
    per_page: int


def open_deadlines(
    user: User, due_before: date | None, page: int = 1, per_page: int = 50
) -> DeadlinePage:
    """The open deadlines of the records `user` may see, due before `due_before` if given,
    but an action agreed at a meeting the user may not see (`policy.scope_deadlines`)."""
    seen = sa.or_(
        Deadline.case_id.in_(policy.scope_cases(sa.select(Case.id), user)),
        Deadline.notice_id.in_(policy.scope_notices(sa.select(Notice.id), user)),
        Deadline.agreement_id.in_(policy.scope_agreements(sa.select(FundingAgreement.id), user)),
    )
    where = [Deadline.status == DeadlineStatus.OPEN, seen]
    if due_before is not None:
        where.append(Deadline.due_on < due_before)
    total = db.session.scalar(
        policy.scope_deadlines(sa.select(sa.func.count(Deadline.id)).where(*where), user)
    )
    items = db.session.scalars(
        policy.scope_deadlines(sa.select(Deadline).where(*where), user)
        .options(joinedload(Deadline.case))
        .order_by(Deadline.due_on, Deadline.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return DeadlinePage(list(items), total, page, per_page)

"""The annual self-assessment: a Compact's return drafted, saved, submitted and reopened, and
the filing deadline the region sets for a year.

Each return is one row per Compact and year (unique), created the first time someone saves
it or when the region sets the year's deadline, whichever comes first; both create it with
``ON CONFLICT DO NOTHING``, so two first saves at once make one row. Every change to a return
names the version it was read at: a stale one is refused (`StaleReturn`, 409), never merged.
Submitting meets the return's deadline, which cancels its unsent reminders.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.periods import Unit
from workflows.self_assessment import Answers, ReturnStatus, missing, too_long

from .. import policy
from ..extensions import db
from ..models import Compact, Deadline, SelfAssessment, SelfAssessmentYear, User, utcnow
from ..reminders import planning


class StaleReturn(Exception):
    """The return (or the year) changed since the form was read."""


class ReturnRefused(Exception):
    """The change cannot be made; `errors` names each answer (field) that stops it."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


def visible_compact(code: str, user: User) -> Compact | None:
    """The Compact called `code` if `user` may read its returns, else None (404)."""
    query = policy.scope_self_assessment_compacts(
        sa.select(Compact).where(Compact.code == code), user
    )
    return db.session.scalar(query)


def year_row(region_id: int, year: int) -> SelfAssessmentYear | None:
    return db.session.scalar(
        sa.select(SelfAssessmentYear).where(
            SelfAssessmentYear.region_id == region_id, SelfAssessmentYear.year == year
        )
    )


def return_of(compact: Compact, year: int) -> SelfAssessment | None:
    return db.session.scalar(
        sa.select(SelfAssessment).where(
            SelfAssessment.compact_id == compact.id, SelfAssessment.year == year
        )
    )


def _ensure_returns(compact_ids: list[int], year: int) -> None:
    """A draft return for each Compact of `compact_ids` that has none for `year`."""
    if not compact_ids:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    db.session.execute(
        insert(SelfAssessment.__table__).on_conflict_do_nothing(
            index_elements=["compact_id", "year"]
        ),
        [
            {
                "compact_id": i,
                "year": year,
                "status": ReturnStatus.DRAFT,
                "answers": {},
                "updated_at": now,
                "version": 1,
            }
            for i in compact_ids
        ],
    )


def _deadline_for(filed: SelfAssessment, due_on: date, today: date) -> Deadline | None:
    """Open or move the return's deadline to `due_on` (none once the return is submitted)."""
    deadline = next((d for d in filed.deadlines), None)
    if filed.status is ReturnStatus.SUBMITTED:
        return deadline
    if deadline is None:
        deadline = Deadline(
            kind=DeadlineKind.SELF_ASSESSMENT,
            rule=DeadlineKind.SELF_ASSESSMENT.rule,
            status=DeadlineStatus.OPEN,
            extended_by=0,
            period_unit=Unit.CALENDAR_DAYS,
        )
        filed.deadlines.append(deadline)
    if deadline.status is DeadlineStatus.OPEN:
        deadline.starts_on = min(today, due_on - timedelta(days=1))
        deadline.period_count = (due_on - deadline.starts_on).days
        deadline.due_on = due_on
    return deadline


def set_deadline(
    region_id: int, year: int, due_on: date, version: int | None, user: User, today: date
) -> SelfAssessmentYear:
    """Set (or move) the region's filing deadline for `year`: every Compact of the region has
    a return and an open deadline on it, whose reminders are planned at once."""
    row = year_row(region_id, year)
    if row is not None and version is not None and row.version != version:
        raise StaleReturn
    if row is None:
        row = SelfAssessmentYear(region_id=region_id, year=year)
        db.session.add(row)
    if row.closed_at is not None:
        raise ReturnRefused("This year is closed: its deadline can no longer change")
    row.due_on = due_on
    compact_ids = list(
        db.session.scalars(sa.select(Compact.id).where(Compact.region_id == region_id))
    )
    _ensure_returns(compact_ids, year)
    returns = db.session.scalars(
        sa.select(SelfAssessment).where(
            SelfAssessment.compact_id.in_(compact_ids), SelfAssessment.year == year
        )
    ).all()
    deadlines = [_deadline_for(filed, due_on, today) for filed in returns]
    try:
        db.session.flush()
        planning.plan(today, [d.id for d in deadlines if d is not None])
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # Another administrator set this year's deadline at the same moment.
        db.session.rollback()
        raise StaleReturn from None
    return row


def close_year(region_id: int, year: int, user: User) -> SelfAssessmentYear:
    """Close the year: no return of it may be reopened after."""
    row = year_row(region_id, year)
    if row is None:
        raise ReturnRefused("Set the year's deadline first")
    row.closed_at = row.closed_at or utcnow()
    db.session.commit()
    return row


def _writable(compact: Compact, year: int, version: int | None) -> SelfAssessment:
    """The return to change, created if new; refused if stale or already submitted."""
    _ensure_returns([compact.id], year)
    filed = return_of(compact, year)
    if version is not None and filed.version != version:
        raise StaleReturn
    if filed.status is ReturnStatus.SUBMITTED:
        raise ReturnRefused(
            "This return has been submitted: ask the region to reopen it to change it"
        )
    return filed


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleReturn from None


def save_draft(
    compact: Compact, year: int, answers: Answers, version: int | None, user: User
) -> SelfAssessment:
    """Save the answers given so far; an incomplete draft is fine."""
    errors = too_long(answers)
    if errors:
        raise ReturnRefused("Some answers are too long", errors)
    filed = _writable(compact, year, version)
    filed.answers, filed.updated_by_id = answers, user.id
    _commit()
    return filed


def submit(
    compact: Compact, year: int, answers: Answers, version: int | None, user: User, today: date
) -> SelfAssessment:
    """Submit the return: refused, with each missing answer named and nothing saved, unless
    complete. Its deadline is met (missed, if after the due date) and its reminders stop."""
    errors = {**missing(answers), **too_long(answers)}
    if errors:
        raise ReturnRefused("The return is not complete", errors)
    filed = _writable(compact, year, version)
    filed.answers, filed.updated_by_id = answers, user.id
    filed.status, filed.submitted_at, filed.submitted_by_id = (
        ReturnStatus.SUBMITTED,
        utcnow(),
        user.id,
    )
    for deadline in filed.deadlines:
        if deadline.status is DeadlineStatus.OPEN:
            deadline.status = (
                DeadlineStatus.MET if today <= deadline.due_on else DeadlineStatus.MISSED
            )
            deadline.closed_on = today
    try:
        db.session.flush()
        planning.plan(today, [d.id for d in filed.deadlines])
    except StaleDataError:
        db.session.rollback()
        raise StaleReturn from None
    _commit()
    return filed


@dataclass(frozen=True)
class Reopening:
    reason: str
    version: int | None


def reopen(compact: Compact, year: int, asked: Reopening, user: User) -> SelfAssessment:
    """Return a submitted return to draft, for its officers to correct, until the year
    closes. Its deadline stays as it was closed: the return was filed."""
    filed = return_of(compact, year)
    if filed is None or filed.status is not ReturnStatus.SUBMITTED:
        raise ReturnRefused("Only a submitted return can be reopened")
    if asked.version is not None and asked.version != filed.version:
        raise StaleReturn
    closed = year_row(compact.region_id, year)
    if closed is not None and closed.closed_at is not None:
        raise ReturnRefused("The year is closed: its returns can no longer be reopened")
    if not asked.reason.strip():
        raise ReturnRefused("Say why the return is reopened", {"reason": "Enter a reason"})
    filed.status, filed.reopened_at = ReturnStatus.DRAFT, utcnow()
    filed.reopen_reason, filed.updated_by_id = asked.reason.strip()[:2000], user.id
    _commit()
    return filed

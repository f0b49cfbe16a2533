"""Administration of the bank holidays: a year's days in force, and adding a one-off day or
removing a published (moved) one, with the reason.

A change is one unit of work: the override, the open case deadlines counted in working days
that it moves (each case's timeline says so), the reminders of the open deadlines it can reach
set to be planned again at the next sweep (their days are counted in working days too), and
the change log's new row, which tells every other process to count with the new days.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows import bank_holidays
from workflows.bank_holidays import HolidayDay, Override
from workflows.deadlines import DeadlineStatus
from workflows.periods import WORKING_DAYS, format_date

from .. import bank_holidays as in_force
from ..agreements.services import window_moved
from ..cases.deadlines import due_date_of, pauses_of
from ..extensions import db
from ..history import record_event
from ..models import (
    BankHolidayChange,
    BankHolidayOverride,
    Case,
    CaseEventKind,
    Deadline,
    FundingAgreement,
    User,
)
from ..reminders.planning import dialect, offsets, plan_again_at_next_sweep

log = logging.getLogger("compactcases.bank_holidays")

REASON_MAX = 500


class HolidayRefused(Exception):
    """A change that cannot be made; nothing was written. `field_errors` by form field."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


@dataclass(frozen=True)
class HolidayRow:
    """One line of a year's list."""

    day: date
    status: str  # published, added or removed
    reason: str | None
    by: str | None
    at: datetime | None


def year_rows(year: int) -> list[HolidayRow]:
    """The year's bank holidays in force and the published ones removed, with the reason
    and author of each override."""
    added, removed = in_force.stored_overrides()
    overrides = {
        row.day: row
        for row in db.session.scalars(
            sa.select(BankHolidayOverride)
            .where(BankHolidayOverride.day.between(date(year, 1, 1), date(year, 12, 31)))
            .options(joinedload(BankHolidayOverride.by))
        )
    }
    rows = []
    for found in bank_holidays.days_of_year(year, added, removed):
        override = overrides.get(found.day)
        rows.append(_row(found, override))
    return rows


def _row(found: HolidayDay, override: BankHolidayOverride | None) -> HolidayRow:
    if override is None:
        return HolidayRow(found.day, found.status, None, None, None)
    by = override.by.name if override.by else None
    return HolidayRow(found.day, found.status, override.reason, by, override.created_at)


def recent_changes(limit: int = 20) -> list[BankHolidayChange]:
    return list(
        db.session.scalars(
            sa.select(BankHolidayChange)
            .options(joinedload(BankHolidayChange.by))
            .order_by(BankHolidayChange.id.desc())
            .limit(limit)
        )
    )


def _take_the_lock() -> None:
    """One change at a time: each counts the deadlines with every change before it."""
    db.session.commit()
    if dialect() == "postgresql":
        db.session.execute(sa.text("LOCK TABLE bank_holiday_overrides IN SHARE ROW EXCLUSIVE MODE"))
    else:
        db.session.execute(sa.text("BEGIN IMMEDIATE"))


def change_day(
    day: date, change: Override, reason: str, actor: User | None, today: date
) -> BankHolidayChange:
    """Add ``day`` to the bank holidays (``Override.ADDED``) or take it out (``REMOVED``),
    move the open deadlines it changes, and commit; HolidayRefused if it cannot be done."""
    reason = (reason or "").strip()
    if not reason:
        raise HolidayRefused({"reason": "Enter the reason for the change"})
    if len(reason) > REASON_MAX:
        raise HolidayRefused({"reason": f"The reason must be {REASON_MAX} characters or fewer"})
    with in_force.changing():
        _take_the_lock()
        try:
            result = _change(day, change, reason, actor, today)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    log.info(
        "Bank holiday %s %s by user %s: %s; %s open deadlines moved",
        format_date(day),
        change.value,
        actor.id if actor else None,
        reason,
        result.deadlines_moved,
    )
    return result


def _change(
    day: date, change: Override, reason: str, actor: User | None, today: date
) -> BankHolidayChange:
    added, removed = in_force.stored_overrides()
    check = (
        bank_holidays.refusal_to_add
        if change is Override.ADDED
        else bank_holidays.refusal_to_remove
    )
    refusal = check(day, added, removed)
    if refusal:
        raise HolidayRefused({"day": refusal})
    existing = db.session.scalar(
        sa.select(BankHolidayOverride).where(BankHolidayOverride.day == day)
    )
    if existing is not None:
        # Putting back a published day removed, or taking out a day added: the override goes.
        db.session.delete(existing)
    else:
        db.session.add(BankHolidayOverride(day=day, change=change, reason=reason, by=actor))
    if change is Override.ADDED:
        added, removed = added | {day}, removed - {day}
    else:
        added, removed = added - {day}, removed | {day}
    bank_holidays.use_overrides(added, removed)
    verb = "added to" if change is Override.ADDED else "removed from"
    moved = move_deadlines(
        day, actor, today, f"{format_date(day)} {verb} the bank holidays: {reason}"
    )
    # Reminders fire a number of working days from their deadline's due date: those of the
    # deadlines due after the day by more than the longest reminder can reach back all fire
    # after it and stay where they are; every other open deadline is planned again.
    reach = timedelta(days=2 * max((*offsets().before, 0)) + 14)
    plan_again_at_next_sweep(
        sa.and_(Deadline.status == DeadlineStatus.OPEN, Deadline.due_on <= day + reach)
    )
    # A Compact whose funding notice period is in working days moves its agreements' windows.
    window_moved(db.session.scalars(sa.select(FundingAgreement.compact_id).distinct()).all())
    entry = BankHolidayChange(
        day=day, change=change, reason=reason, by=actor, deadlines_moved=moved
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def move_deadlines(day: date, actor: User | None, today: date, reason: str) -> int:
    """Work out again the due dates of the open case deadlines counted in working days that
    started before ``day`` (later ones cannot count it), with the bank holidays now in force;
    each case whose deadline moved gets a timeline entry. Returns how many moved."""
    deadlines = db.session.scalars(
        sa.select(Deadline)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.period_unit == WORKING_DAYS,
            Deadline.case_id.is_not(None),
            Deadline.starts_on < day,
        )
        .options(joinedload(Deadline.case).selectinload(Case.pauses))
        .order_by(Deadline.id)
    ).all()
    moves: dict[Case, dict[str, list[str]]] = defaultdict(dict)
    for deadline in deadlines:
        case = deadline.case
        new = due_date_of(deadline, pauses_of(case), today)
        if new != deadline.due_on:
            moves[case][deadline.kind.value] = [format_date(deadline.due_on), format_date(new)]
            deadline.due_on = new
    for case, changes in moves.items():
        record_event(
            case, CaseEventKind.EDIT, actor, reason=reason, changes=changes, touches_case=False
        )
    return sum(len(changes) for changes in moves.values())


__all__ = [
    "HolidayRefused",
    "HolidayRow",
    "change_day",
    "move_deadlines",
    "recent_changes",
    "year_rows",
]

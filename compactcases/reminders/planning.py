"""Planning reminders: the reminder rows each open deadline should have, for whom and when,
written in the transaction that changes the deadline.

A reminder row is unique on (deadline, offset, recipient, channel), so it is planned once.
Planning is idempotent: rows are inserted with ``ON CONFLICT DO NOTHING`` and only ``planned``
rows are ever moved or cancelled. See `sending` for how a planned row is sent exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from workflows import reminders as rules
from workflows.deadlines import DeadlineStatus

from .. import clock
from ..extensions import db
from ..models import (
    Case,
    Deadline,
    Notice,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    utcnow,
)
from .recipients import recipients_by_deadline


def offsets() -> rules.ReminderOffsets:
    config = current_app.config
    return rules.ReminderOffsets.parse(config["REMINDER_OFFSETS"], config["REMINDER_OVERDUE_EVERY"])


def channels() -> tuple[ReminderChannel, ...]:
    names = [n.strip() for n in current_app.config["REMINDER_CHANNELS"].split(",") if n.strip()]
    return tuple(ReminderChannel(n) for n in names)


def dialect() -> str:
    return db.session.get_bind().dialect.name


@dataclass(frozen=True)
class PlanReport:
    planned: int = 0
    moved: int = 0
    cancelled: int = 0


def plan(today: date, deadline_ids: Iterable[int] | None = None) -> PlanReport:
    """Bring the reminder rows of open deadlines (all, or those of ``deadline_ids``) up to date
    as of ``today``, in the current transaction; cancel the unsent ones of closed deadlines.

    Deadlines of a case whose clock is stopped are left as they are: their due dates are only
    provisional, and their reminders wait (see `claim`) until the clock restarts.
    """
    only = None if deadline_ids is None else sorted(set(deadline_ids))
    if only is not None and not only:
        return PlanReport()
    table = Reminder.__table__
    closed = sa.select(Deadline.id).where(Deadline.status != DeadlineStatus.OPEN)
    if only is not None:
        closed = closed.where(Deadline.id.in_(only))
    cancelled = db.session.execute(
        table.update()
        .where(table.c.status == ReminderStatus.PLANNED, table.c.deadline_id.in_(closed))
        .values(status=ReminderStatus.CANCELLED, last_error="The deadline closed")
    ).rowcount

    open_condition = Deadline.status == DeadlineStatus.OPEN
    if only is not None:
        open_condition = sa.and_(open_condition, Deadline.id.in_(only))
    query = (
        sa.select(Deadline)
        .where(open_condition)
        .options(selectinload(Deadline.case).selectinload(Case.pauses))
        .order_by(Deadline.id)
    )
    open_deadlines = [
        d for d in db.session.scalars(query) if d.case is None or d.case.open_pause is None
    ]
    if not open_deadlines:
        return PlanReport(cancelled=cancelled)

    recipients = recipients_by_deadline(open_condition)

    existing_query = sa.select(
        table.c.id,
        table.c.deadline_id,
        table.c.offset_days,
        table.c.recipient_id,
        table.c.channel,
        table.c.status,
        table.c.send_on,
    ).where(
        table.c.deadline_id.in_(
            sa.select(Deadline.id).where(Deadline.status == DeadlineStatus.OPEN)
            if only is None
            else only
        )
    )
    existing: dict[int, dict[tuple, sa.Row]] = defaultdict(dict)
    for row in db.session.execute(existing_query):
        existing[row.deadline_id][(row.offset_days, row.recipient_id, row.channel)] = row

    wanted_channels = channels()
    settings = offsets()
    inserts: list[dict] = []
    moves: list[dict] = []
    cancels: list[int] = []
    for deadline in open_deadlines:
        series = rules.schedule(deadline.due_on, _opened_on(deadline), today, settings)
        by_offset = {r.offset: r for r in series}
        fresh = {r.offset for r in rules.worth_planning(series, today)}
        have = existing.get(deadline.id, {})
        wanted = set()
        for recipient in recipients.get(deadline.id, ()):
            for channel in wanted_channels:
                for reminder in series:
                    key = (reminder.offset, recipient, channel)
                    wanted.add(key)
                    row = have.get(key)
                    if row is None:
                        if reminder.offset in fresh:
                            inserts.append(
                                {
                                    "deadline_id": deadline.id,
                                    "offset_days": reminder.offset,
                                    "recipient_id": recipient,
                                    "channel": channel,
                                    "send_on": reminder.fires_on,
                                    "status": ReminderStatus.PLANNED,
                                    "attempts": 0,
                                    "created_at": utcnow(),
                                }
                            )
                    elif (
                        row.status is ReminderStatus.PLANNED
                        and row.send_on != by_offset[reminder.offset].fires_on
                    ):
                        moves.append({"rid": row.id, "new_send_on": reminder.fires_on})
        for key, row in have.items():
            if row.status is ReminderStatus.PLANNED and key not in wanted:
                # Superseded by a later overdue repeat, no longer due (the deadline moved
                # past it), or its recipient no longer concerned.
                cancels.append(row.id)

    if inserts:
        insert = postgresql.insert if dialect() == "postgresql" else sqlite.insert
        statement = insert(table).on_conflict_do_nothing(
            index_elements=["deadline_id", "offset_days", "recipient_id", "channel"]
        )
        for start in range(0, len(inserts), 500):
            db.session.execute(statement, inserts[start : start + 500])
    if moves:
        db.session.execute(
            table.update()
            .where(table.c.id == sa.bindparam("rid"), table.c.status == ReminderStatus.PLANNED)
            .values(send_on=sa.bindparam("new_send_on")),
            moves,
        )
    for start in range(0, len(cancels), 500):
        cancelled += db.session.execute(
            table.update()
            .where(
                table.c.id.in_(cancels[start : start + 500]),
                table.c.status == ReminderStatus.PLANNED,
            )
            .values(status=ReminderStatus.CANCELLED, last_error="No longer due")
        ).rowcount
    return PlanReport(planned=len(inserts), moved=len(moves), cancelled=cancelled)


def _opened_on(deadline: Deadline) -> date:
    created = clock.london(deadline.created_at).date() if deadline.created_at else clock.today()
    return min(deadline.starts_on, created)


def replan_case(case: Case, today: date) -> None:
    """Re-plan the reminders of a case's deadlines after they changed, in the caller's
    transaction (which commits)."""
    db.session.flush()
    plan(today, [d.id for d in case.deadlines])


def replan_notice(notice: Notice, today: date) -> None:
    db.session.flush()
    plan(today, [d.id for d in notice.deadlines])

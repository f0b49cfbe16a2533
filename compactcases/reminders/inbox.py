"""What people see of their reminders: the in-app inbox, the reminders on a case page, and
the administrators' list of reminders that failed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from workflows import reminders as reminder_rules

from ..extensions import db
from ..models import Case, Deadline, Reminder, ReminderChannel, ReminderStatus, User, utcnow


def unread_count(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Reminder)
        .where(
            Reminder.recipient_id == user.id,
            Reminder.channel == ReminderChannel.INBOX,
            Reminder.status == ReminderStatus.SENT,
            Reminder.read_at.is_(None),
        )
    )


def inbox(user: User, page: int, per_page: int = 25):
    """The user's in-app reminders, unread first, newest first."""
    query = (
        sa.select(Reminder)
        .where(
            Reminder.recipient_id == user.id,
            Reminder.channel == ReminderChannel.INBOX,
            Reminder.status == ReminderStatus.SENT,
        )
        .order_by(Reminder.read_at.is_not(None), Reminder.sent_at.desc(), Reminder.id.desc())
        .options(
            joinedload(Reminder.deadline).joinedload(Deadline.case),
            joinedload(Reminder.deadline).joinedload(Deadline.notice),
            joinedload(Reminder.deadline).joinedload(Deadline.agreement),
            joinedload(Reminder.deadline).joinedload(Deadline.self_assessment),
        )
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def mark_read(user: User, reminder_id: int | None = None) -> int:
    """Mark one of the user's inbox reminders read, or all of them; returns how many changed.
    Another user's reminder is not found (0)."""
    statement = sa.update(Reminder).where(
        Reminder.recipient_id == user.id,
        Reminder.channel == ReminderChannel.INBOX,
        Reminder.status == ReminderStatus.SENT,
        Reminder.read_at.is_(None),
    )
    if reminder_id is not None:
        statement = statement.where(Reminder.id == reminder_id)
    count = db.session.execute(
        statement.values(read_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return count


def owns_inbox_reminder(user: User, reminder_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(Reminder.id).where(
                Reminder.id == reminder_id,
                Reminder.recipient_id == user.id,
                Reminder.channel == ReminderChannel.INBOX,
                Reminder.status == ReminderStatus.SENT,
            )
        )
        is not None
    )


def failed_reminders(page: int, per_page: int = 50):
    query = (
        sa.select(Reminder)
        .where(Reminder.status == ReminderStatus.FAILED)
        .order_by(Reminder.send_on.desc(), Reminder.id.desc())
        .options(
            joinedload(Reminder.recipient),
            joinedload(Reminder.deadline).joinedload(Deadline.case),
            joinedload(Reminder.deadline).joinedload(Deadline.notice),
            joinedload(Reminder.deadline).joinedload(Deadline.agreement),
            joinedload(Reminder.deadline).joinedload(Deadline.self_assessment),
        )
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def retry_failed(reminder_id: int) -> bool:
    """An administrator sends a failed reminder again: back to planned, attempts reset."""
    count = db.session.execute(
        sa.update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status == ReminderStatus.FAILED)
        .values(status=ReminderStatus.PLANNED, attempts=0, next_attempt_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(count)


@dataclass(frozen=True)
class ReminderRow:
    """A reminder as the case page shows it."""

    when: str
    send_on: date
    recipient: str
    channel: str
    status: ReminderStatus
    sent_at: datetime | None
    attempts: int
    last_error: str | None


def case_reminders(case: Case) -> dict[int, list[ReminderRow]]:
    """The reminders of each of the case's deadlines, planned and sent, in one query."""
    rows = db.session.scalars(
        sa.select(Reminder)
        .join(Deadline, Reminder.deadline_id == Deadline.id)
        .where(Deadline.case_id == case.id)
        .options(joinedload(Reminder.recipient))
        .order_by(Reminder.send_on, Reminder.recipient_id, Reminder.channel)
    ).all()
    found: dict[int, list[ReminderRow]] = defaultdict(list)
    for row in rows:
        found[row.deadline_id].append(
            ReminderRow(
                when=reminder_rules.ScheduledReminder(row.offset_days, row.send_on).describe(),
                send_on=row.send_on,
                recipient=row.recipient.name,
                channel=row.channel.label,
                status=row.status,
                sent_at=row.sent_at,
                attempts=row.attempts,
                last_error=row.last_error,
            )
        )
    return found

"""Reminders of deadlines, and each user's private calendar feed."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import ReminderChannel, ReminderStatus

if TYPE_CHECKING:
    from .cases import CaseEvent
    from .deadlines import Deadline
    from .people import User


class Reminder(db.Model):
    """One message for one deadline, offset, recipient and channel: unique on those four, so
    it is planned once and sent at most once (see compactcases.reminders.sending)."""

    __tablename__ = "reminders"
    __table_args__ = (
        sa.UniqueConstraint(
            "deadline_id",
            "offset_days",
            "recipient_id",
            "channel",
            name="uq_reminders_deadline_offset_recipient_channel",
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        # What a sweep claims: planned rows whose day has come.
        sa.Index("ix_reminders_status_send_on", "status", "send_on"),
        # The inbox and its unread count in the header.
        sa.Index("ix_reminders_recipient_channel_read", "recipient_id", "channel", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(
        sa.ForeignKey("deadlines.id", ondelete="CASCADE"), index=True
    )
    # Working days before the due date (0 on the day, negative once overdue): see
    # workflows.reminders.
    offset_days: Mapped[int]
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[ReminderChannel] = mapped_column(
        enum_column(ReminderChannel, "reminder_channel")
    )
    send_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[ReminderStatus] = mapped_column(
        enum_column(ReminderStatus, "reminder_status"), default=ReminderStatus.PLANNED
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # After a failed attempt: not before this time.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # What the message said, as sent (the inbox lists it).
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    deadline: Mapped[Deadline] = relationship()
    recipient: Mapped[User] = relationship()


class CaseUpdate(db.Model):
    """One message telling one officer, on one channel, that a regional case moved: unique on
    (timeline entry, recipient, channel), planned in the move's own transaction and sent by
    the reminder sweep under the same claim as reminders (see compactcases.reminders.moves)."""

    __tablename__ = "case_updates"
    __table_args__ = (
        sa.UniqueConstraint(
            "case_event_id", "recipient_id", "channel", name="uq_case_updates_event_recipient"
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.Index("ix_case_updates_status", "status"),
        sa.Index("ix_case_updates_recipient_channel_read", "recipient_id", "channel", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_event_id: Mapped[int] = mapped_column(sa.ForeignKey("case_events.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    channel: Mapped[ReminderChannel] = mapped_column(enum_column(ReminderChannel, "update_channel"))
    status: Mapped[ReminderStatus] = mapped_column(
        enum_column(ReminderStatus, "update_status"), default=ReminderStatus.PLANNED
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    subject: Mapped[str | None] = mapped_column(sa.String(300))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case_event: Mapped[CaseEvent] = relationship()
    recipient: Mapped[User] = relationship()


class CalendarFeed(db.Model):
    """A user's private calendar address: the token in it is the only credential."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

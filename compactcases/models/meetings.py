"""Meetings on a case: who is invited, what was agreed, and the outbox of their invitations."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.meetings import MeetingStatus

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import InvitationMethod, ReminderStatus

if TYPE_CHECKING:
    from .cases import Case
    from .deadlines import Deadline
    from .documents import Document
    from .people import User


# The documents recorded with a meeting (its note's papers): case documents, linked here.
meeting_documents = sa.Table(
    "meeting_documents",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(db.Model):
    """A dated meeting on a case. `uid` is its iCalendar UID, the same in every invitation;
    `sequence` grows with each change sent to the invited (iCalendar SEQUENCE)."""

    __tablename__ = "meetings"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="order"),
        sa.CheckConstraint("sequence >= 0", name="sequence"),
        sa.Index("ix_meetings_case_starts", "case_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(sa.String(80), unique=True)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus, "meeting_status"), default=MeetingStatus.SCHEDULED
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(sa.String(300), default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    agenda: Mapped[str] = mapped_column(sa.Text, default="")
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    note: Mapped[str | None] = mapped_column(sa.Text)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    organiser_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    organiser: Mapped[User | None] = relationship(foreign_keys=[organiser_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingAttendee.id",
    )
    actions: Mapped[list[MeetingAction]] = relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="MeetingAction.id",
    )
    documents: Mapped[list[Document]] = relationship(
        secondary=meeting_documents, order_by="Document.id", passive_deletes=True
    )


class MeetingAttendee(db.Model):
    """One person invited to a meeting: a user with an account, or a name typed in.
    `attended` is set when the meeting is recorded."""

    __tablename__ = "meeting_attendees"
    __table_args__ = (
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_meeting_attendees_meeting_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    attended: Mapped[bool | None] = mapped_column()

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")
    user: Mapped[User | None] = relationship()


class MeetingAction(db.Model):
    """An action agreed at a meeting; one with a due date is a case deadline, reminded."""

    __tablename__ = "meeting_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.Text)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    owner_name: Mapped[str] = mapped_column(sa.String(120), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    deadline_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("deadlines.id", ondelete="SET NULL")
    )

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
    owner: Mapped[User | None] = relationship()
    deadline: Mapped[Deadline | None] = relationship()


class MeetingMessage(db.Model):
    """One e-mail of a meeting to one person at one sequence: unique on those three, so it is
    planned once; sent by the reminder sweep after it claims the row (see
    compactcases.meetings.outbox), never inside the request that changed the meeting."""

    __tablename__ = "meeting_messages"
    __table_args__ = (
        sa.UniqueConstraint(
            "meeting_id",
            "recipient_id",
            "sequence",
            name="uq_meeting_messages_meeting_recipient_sequence",
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.Index("ix_meeting_messages_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    sequence: Mapped[int]
    method: Mapped[InvitationMethod] = mapped_column(
        enum_column(InvitationMethod, "invitation_method")
    )
    status: Mapped[ReminderStatus] = mapped_column(
        enum_column(ReminderStatus, "meeting_message_status"), default=ReminderStatus.PLANNED
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    recipient: Mapped[User] = relationship()

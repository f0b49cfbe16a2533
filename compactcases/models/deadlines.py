"""Deadlines on cases and notices, and the spans a case's clock was stopped."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.periods import Period, Unit

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .cases import Case
    from .notices import Notice
    from .people import User


class Deadline(db.Model):
    """A dated obligation on a case or a notice, set by one rule of the Compact's rule set.

    `due_on` is stored so that overdue and due-soon lists are filtered in SQL; it is always
    computed by workflows.deadlines.deadline_due from the other columns and the case's pauses.
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        sa.CheckConstraint(
            "(case_id IS NULL) <> (notice_id IS NULL)", name="on_a_case_or_a_notice"
        ),
        sa.CheckConstraint("period_count >= 1 AND extended_by >= 0", name="period"),
        sa.Index("ix_deadlines_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    notice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind, "deadline_kind"))
    rule: Mapped[str] = mapped_column(sa.String(40))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    period_count: Mapped[int]
    period_unit: Mapped[Unit] = mapped_column(enum_column(Unit, "deadline_unit"))
    # Added to the period by agreement, in the rule's own unit.
    extended_by: Mapped[int] = mapped_column(default=0, server_default="0")
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[DeadlineStatus] = mapped_column(
        enum_column(DeadlineStatus, "deadline_status"), default=DeadlineStatus.OPEN
    )
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case | None] = relationship(back_populates="deadlines")
    notice: Mapped[Notice | None] = relationship(back_populates="deadlines")

    @property
    def period(self) -> Period:
        return Period(self.period_count, self.period_unit)

    @property
    def is_open(self) -> bool:
        return self.status is DeadlineStatus.OPEN


class DeadlinePause(db.Model):
    """A span in which a case's clock was stopped: its deadlines do not count these days."""

    __tablename__ = "deadline_pauses"
    __table_args__ = (
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="order"),
        # A case's clock is stopped once at most: two open pauses would count the days twice.
        sa.Index(
            "ix_deadline_pauses_one_open_per_case",
            "case_id",
            unique=True,
            sqlite_where=sa.text("ended_on IS NULL"),
            postgresql_where=sa.text("ended_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    started_on: Mapped[date] = mapped_column(sa.Date)
    # The day the clock counts again; None while it is still stopped.
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="pauses")
    by: Mapped[User | None] = relationship()

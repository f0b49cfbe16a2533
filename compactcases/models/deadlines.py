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
    from .agreements import FundingAgreement
    from .cases import Case
    from .notices import Notice
    from .people import User
    from .value import SelfAssessment


# The `plan_on` of a deadline whose reminders the next sweep must plan: earlier than any day a
# sweep runs. It is the column's default, so a deadline written in bulk (the demo data, an
# import) is planned at the next sweep without its writer knowing about reminders.
PLAN_AT_NEXT_SWEEP = date(2000, 1, 1)


class Deadline(db.Model):
    """A dated obligation on a case, a notice, a funding agreement or a Compact's annual
    self-assessment, set by one rule of the Compact's rule set (or by the region, for a return).

    `due_on` is stored so that overdue and due-soon lists are filtered in SQL; it is always
    computed by workflows.deadlines.deadline_due from the other columns and the case's pauses.
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        sa.CheckConstraint(
            "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + "
            "(CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END) + "
            "(CASE WHEN agreement_id IS NULL THEN 0 ELSE 1 END) + "
            "(CASE WHEN self_assessment_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="on_one_record",
        ),
        sa.CheckConstraint("period_count >= 1 AND extended_by >= 0", name="period"),
        sa.Index("ix_deadlines_status_due_on", "status", "due_on"),
        # What a sweep plans: the open deadlines whose day for planning has come. `status`
        # leads so that SQLite, without statistics, prefers it to the index above.
        sa.Index(
            "ix_deadlines_open_plan_on",
            "status",
            "plan_on",
            postgresql_where=sa.text("status = 'open'"),
            sqlite_where=sa.text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    notice_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("notices.id", ondelete="CASCADE"), index=True
    )
    # A funding agreement's notice window: due on the latest date notice of ending it may be
    # given (see workflows.agreements).
    agreement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("funding_agreements.id", ondelete="CASCADE"), index=True
    )
    # A Compact's annual self-assessment, due on the day its region set for the year.
    self_assessment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("self_assessments.id", ondelete="CASCADE"), index=True
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
    # The day this open deadline's reminder rows next need planning (the day its next overdue
    # repeat falls due); None when nothing but a change to it will (see reminders.planning).
    plan_on: Mapped[date | None] = mapped_column(
        sa.Date, default=PLAN_AT_NEXT_SWEEP, server_default=PLAN_AT_NEXT_SWEEP.isoformat()
    )

    case: Mapped[Case | None] = relationship(back_populates="deadlines")
    notice: Mapped[Notice | None] = relationship(back_populates="deadlines")
    agreement: Mapped[FundingAgreement | None] = relationship(back_populates="deadlines")
    self_assessment: Mapped[SelfAssessment | None] = relationship(back_populates="deadlines")

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


@sa.event.listens_for(Deadline, "before_update")
def _plan_again_when_changed(mapper, connection, deadline: Deadline) -> None:
    """A deadline whose dates or status change through the ORM is planned again at the next
    sweep, should its writer not re-plan it in the same transaction (the services do)."""
    state = sa.inspect(deadline)
    if any(
        state.attrs[name].history.has_changes()
        for name in ("due_on", "starts_on", "status", "created_at")
    ):
        deadline.plan_on = PLAN_AT_NEXT_SWEEP

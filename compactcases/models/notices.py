"""Funders' notices with their stored verdicts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.outcomes import MAX_FIGURE

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import NoticeEventKind, NoticeKind

if TYPE_CHECKING:
    from .agreements import FundingAgreement
    from .cases import Case
    from .deadlines import Deadline
    from .people import User
    from .places import Compact, Organisation


class Notice(db.Model):
    """A funder's notice of ending or reducing funding, or a public consultation.

    The verdict's key figures are stored with it, so that lists and compliance rates are
    counted in SQL; they are recomputed whenever the notice or its Compact's rules change.
    """

    __tablename__ = "notices"
    __table_args__ = (
        sa.CheckConstraint(
            "(kind = 'consultation' AND opens_on IS NOT NULL AND closes_on IS NOT NULL) OR "
            "(kind <> 'consultation' AND notice_given_on IS NOT NULL AND effective_on IS NOT NULL)",
            name="dates_for_kind",
        ),
        sa.CheckConstraint(
            "(amount_before IS NULL OR amount_before >= 0) AND "
            "(amount_after IS NULL OR amount_after >= 0)",
            name="amounts",
        ),
        sa.CheckConstraint(
            f"amount_before <= {MAX_FIGURE} AND amount_after <= {MAX_FIGURE}", name="amounts_bound"
        ),
        sa.Index("ix_notices_funder_compliant", "funder_id", "compliant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "notice_kind"))
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"), index=True)
    funder_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"))
    # The organisation whose funding changes; a consultation may concern no one in particular.
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(sa.String(200))
    notice_given_on: Mapped[date | None] = mapped_column(sa.Date)
    effective_on: Mapped[date | None] = mapped_column(sa.Date)
    written: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    reasons_given: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    amount_before: Mapped[int | None] = mapped_column(sa.BigInteger)
    amount_after: Mapped[int | None] = mapped_column(sa.BigInteger)
    opens_on: Mapped[date | None] = mapped_column(sa.Date)
    closes_on: Mapped[date | None] = mapped_column(sa.Date)
    case_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    # The funding agreement this notice ends or cuts, when it was recorded against one.
    agreement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("funding_agreements.id", ondelete="SET NULL"), index=True
    )
    # The verdict, as workflows.periods gave it under the Compact's rules when last computed.
    compliant: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    shortfall_days: Mapped[int] = mapped_column(default=0, server_default="0")
    required_period: Mapped[str] = mapped_column(sa.String(60))
    # Funding: the earliest compliant effective date; consultation: the earliest closing date.
    earliest_compliant_on: Mapped[date] = mapped_column(sa.Date)
    latest_notice_on: Mapped[date | None] = mapped_column(sa.Date)
    explanation: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # A withdrawn notice stays on record, shown as withdrawn, out of the compliance figures,
    # and can no longer be edited; the reason and who withdrew it are on its history.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(sa.Text)

    __mapper_args__ = {"version_id_col": version}

    compact: Mapped[Compact] = relationship()
    funder: Mapped[Organisation] = relationship(foreign_keys=[funder_id])
    recipient: Mapped[Organisation | None] = relationship(foreign_keys=[recipient_id])
    case: Mapped[Case | None] = relationship(back_populates="notices")
    created_by: Mapped[User | None] = relationship()
    agreement: Mapped[FundingAgreement | None] = relationship()
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="notice",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Deadline.due_on, Deadline.id)",
    )
    events: Mapped[list[NoticeEvent]] = relationship(
        back_populates="notice",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="NoticeEvent.occurred_at, NoticeEvent.id",
    )

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class NoticeEvent(db.Model):
    """One entry of a notice's history: an edit (what changed, old and new as shown to
    people) or its withdrawal (with the reason)."""

    __tablename__ = "notice_events"
    __table_args__ = (sa.Index("ix_notice_events_notice_occurred", "notice_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(sa.ForeignKey("notices.id", ondelete="CASCADE"))
    kind: Mapped[NoticeEventKind] = mapped_column(enum_column(NoticeEventKind, "notice_event_kind"))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # For edits: {label: [old, new]} with values as shown to people.
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    notice: Mapped[Notice] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

"""Funding agreements a funder holds with third-sector organisations, and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.agreements import WindowStatus, window_status
from workflows.labels import LabelledEnum
from workflows.outcomes import MAX_FIGURE

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .deadlines import Deadline
    from .people import User
    from .places import Compact, Organisation


class AgreementEventKind(LabelledEnum):
    RECORDED = "recorded", "Agreement recorded"
    EDITED = "edited", "Agreement changed"
    RENEWED = "renewed", "Renewed or extended"
    NOTICE = "notice", "Notice of ending recorded"
    ENDED = "ended", "Agreement ended"


class FundingAgreement(db.Model):
    """A grant or contract a funder holds with a third-sector organisation under a Compact.

    The window's dates are stored, as workflows.agreements computed them under the Compact's
    rules when last changed, so lists are sorted and missed windows counted in SQL; they are
    recomputed whenever the agreement or its Compact's rules change.
    """

    __tablename__ = "funding_agreements"
    __table_args__ = (
        sa.UniqueConstraint(
            "funder_id", "funder_reference", name="uq_funding_agreements_funder_reference"
        ),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        sa.CheckConstraint(f"annual_value >= 0 AND annual_value <= {MAX_FIGURE}", name="value"),
        sa.Index("ix_funding_agreements_latest_notice_on", "latest_notice_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    funder_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    funder_reference: Mapped[str] = mapped_column(sa.String(60))
    # Whole pounds a year.
    annual_value: Mapped[int] = mapped_column(sa.BigInteger)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    break_on: Mapped[date | None] = mapped_column(sa.Date)
    review_on: Mapped[date | None] = mapped_column(sa.Date)
    # The current window, from workflows.agreements.notice_window.
    latest_notice_on: Mapped[date] = mapped_column(sa.Date)
    latest_consultation_start: Mapped[date] = mapped_column(sa.Date)
    required_period: Mapped[str] = mapped_column(sa.String(60))
    # What closed the current window, if anything: notice given on a day, or the agreement
    # ended by decision; `renewed_on` is the day the latest renewal opened this window.
    notice_given_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date)
    renewed_on: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    funder: Mapped[Organisation] = relationship(foreign_keys=[funder_id])
    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    compact: Mapped[Compact] = relationship()
    created_by: Mapped[User | None] = relationship()
    events: Mapped[list[AgreementEvent]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AgreementEvent.occurred_at, AgreementEvent.id",
    )
    deadlines: Mapped[list[Deadline]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Deadline.due_on, Deadline.id)",
    )

    def status(self, today: date) -> WindowStatus:
        return window_status(
            today,
            self.latest_notice_on,
            self.ends_on,
            notice_given_on=self.notice_given_on,
            ended_on=self.ended_on,
            renewed=self.renewed_on is not None,
        )

    def days_left(self, today: date) -> int:
        return (self.latest_notice_on - today).days

    def __str__(self) -> str:
        return f"{self.funder_reference}: {self.title}"


class AgreementEvent(db.Model):
    """One entry of an agreement's append-only history."""

    __tablename__ = "agreement_events"
    __table_args__ = (
        sa.Index("ix_agreement_events_agreement_occurred", "agreement_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("funding_agreements.id", ondelete="CASCADE")
    )
    kind: Mapped[AgreementEventKind] = mapped_column(
        enum_column(AgreementEventKind, "agreement_event_kind")
    )
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # For changes: {field: [old, new]} with values as shown to people.
    changes: Mapped[dict | None] = mapped_column(sa.JSON)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[FundingAgreement] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

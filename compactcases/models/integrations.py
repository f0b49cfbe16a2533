"""Integrations: webhook endpoints, the events recorded for them (the outbox) and one delivery
per endpoint and event; report e-mail subscriptions and one mailing per person and period.
Each delivery and mailing is claimed exactly once, like a reminder (see
compactcases.webhooks.delivery and compactcases.subscriptions.mailing)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.report_periods import Frequency
from workflows.webhooks import DeliveryStatus, WebhookEventType

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import ReminderStatus

if TYPE_CHECKING:
    from .people import User
    from .places import Organisation


class WebhookEndpoint(db.Model):
    """Where an organisation's systems want to hear of events, and the secret that signs them.

    The secret (``whsec_`` and base64) is kept as written so deliveries can be signed; it is
    shown once, when the endpoint is made."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(sa.String(2000))
    description: Mapped[str | None] = mapped_column(sa.String(200))
    # The event type values it wants, e.g. ["case.created", "notice.non_compliant"].
    event_types: Mapped[list] = mapped_column(sa.JSON)
    secret: Mapped[str] = mapped_column(sa.String(100))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User | None] = relationship()

    def wants(self, event_type: WebhookEventType) -> bool:
        return event_type.value in (self.event_types or [])


class WebhookEvent(db.Model):
    """Something that happened, as the JSON its endpoints receive; written in the same
    transaction as the change it tells of. A `dedupe_key` makes an event found by a sweep
    (a notice window closing) unique."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[WebhookEventType] = mapped_column(
        enum_column(WebhookEventType, "webhook_event_type")
    )
    payload: Mapped[dict] = mapped_column(sa.JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)


class WebhookDelivery(db.Model):
    """One event for one endpoint: unique on the pair, so it is planned once; claimed by one
    sweep at a time and retried with a back-off until it is delivered or has failed."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        sa.Index("ix_webhook_deliveries_endpoint_created", "endpoint_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_endpoints.id", ondelete="CASCADE")
    )
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("webhook_events.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "webhook_delivery_status"), default=DeliveryStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    response_status: Mapped[int | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    endpoint: Mapped[WebhookEndpoint] = relationship()
    event: Mapped[WebhookEvent] = relationship()


class ReportSubscription(db.Model):
    """A person's wish to get the regional summary by e-mail, monthly or quarterly."""

    __tablename__ = "report_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "report_frequency"))
    subscribed_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ReportMailing(db.Model):
    """One summary e-mail for one person and period: unique on the two, so it is sent at most
    once whatever the restarts and concurrent sweeps."""

    __tablename__ = "report_mailings"
    __table_args__ = (
        sa.UniqueConstraint(
            "user_id", "frequency", "period_start", name="uq_report_mailings_user_period"
        ),
        sa.CheckConstraint("attempts >= 0", name="attempts"),
        sa.Index("ix_report_mailings_status_send_on", "status", "send_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, "report_frequency"))
    period_start: Mapped[date] = mapped_column(sa.Date)
    period_end: Mapped[date] = mapped_column(sa.Date)
    send_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[ReminderStatus] = mapped_column(
        enum_column(ReminderStatus, "reminder_status"), default=ReminderStatus.PLANNED
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

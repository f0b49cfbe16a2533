"""Webhook endpoints, their events and deliveries; report e-mail subscriptions and mailings

Revision ID: 0022
Revises: 0017
Create Date: 2026-11-29 18:00:00.000000

An administrator registers webhook endpoints for an organisation; each event is written in
the transaction of the change it tells of (webhook_events), with one delivery row per endpoint
(webhook_deliveries, unique on the pair). A person may subscribe to the regional summary by
e-mail (report_subscriptions); each summary sent is one row unique on person and period
(report_mailings).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0024"
branch_labels = None
depends_on = None

# Frozen here: the values of workflows.webhooks and workflows.report_periods when written.
EVENT_TYPES = (
    "case.created",
    "case.state_changed",
    "case.outcome_recorded",
    "notice.recorded",
    "notice.non_compliant",
    "agreement.window_closing",
    "agreement.window_missed",
    "webhook.ping",
)
DELIVERY_STATUSES = ("pending", "sending", "delivered", "failed")
FREQUENCIES = ("monthly", "quarterly")
MAILING_STATUSES = ("planned", "sending", "sent", "failed", "cancelled")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _timestamp(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _claim_columns() -> list[sa.Column]:
    return [
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        _timestamp("next_attempt_at"),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        _timestamp("claimed_at"),
    ]


def upgrade():
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _timestamp("created_at", nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_webhook_endpoints_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_webhook_endpoints_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_index(
        op.f("ix_webhook_endpoints_organisation_id"), "webhook_endpoints", ["organisation_id"]
    )
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", _enum("webhook_event_type", EVENT_TYPES), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _timestamp("occurred_at", nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_webhook_events_dedupe_key")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum("webhook_delivery_status", DELIVERY_STATUSES), nullable=False),
        *_claim_columns(),
        _timestamp("delivered_at"),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _timestamp("created_at", nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_webhook_deliveries_attempts")),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_events.id"],
            name=op.f("fk_webhook_deliveries_event_id_webhook_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    )
    op.create_index(op.f("ix_webhook_deliveries_event_id"), "webhook_deliveries", ["event_id"])
    op.create_index(
        "ix_webhook_deliveries_status_next", "webhook_deliveries", ["status", "next_attempt_at"]
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint_created",
        "webhook_deliveries",
        ["endpoint_id", "created_at"],
    )
    op.create_table(
        "report_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("frequency", _enum("report_frequency", FREQUENCIES), nullable=False),
        sa.Column("subscribed_on", sa.Date(), nullable=False),
        _timestamp("created_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_report_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_subscriptions")),
        sa.UniqueConstraint("user_id", name=op.f("uq_report_subscriptions_user_id")),
    )
    op.create_table(
        "report_mailings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("frequency", _enum("report_frequency", FREQUENCIES), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("send_on", sa.Date(), nullable=False),
        sa.Column("status", _enum("reminder_status", MAILING_STATUSES), nullable=False),
        *_claim_columns(),
        _timestamp("sent_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _timestamp("created_at", nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_report_mailings_attempts")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_report_mailings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_mailings")),
        sa.UniqueConstraint(
            "user_id", "frequency", "period_start", name="uq_report_mailings_user_period"
        ),
    )
    op.create_index("ix_report_mailings_status_send_on", "report_mailings", ["status", "send_on"])


def downgrade():
    op.drop_table("report_mailings")
    op.drop_table("report_subscriptions")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_events")
    op.drop_table("webhook_endpoints")

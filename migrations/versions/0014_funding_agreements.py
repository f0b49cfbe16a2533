"""Funding agreements with their history and notice windows; notices and deadlines may belong
to an agreement; a Compact's reminder ladder for agreements

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 09:00:00.000000

A deadline now belongs to exactly one of a case, a notice or a funding agreement (the window's
latest notice date), so an agreement's reminders are planned and sent as every other's.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# Frozen here: workflows.outcomes.MAX_FIGURE when this was written.
MAX_FIGURE = 10_000_000_000

EVENT_KINDS = ("recorded", "edited", "renewed", "notice", "ended")

ONE_RECORD = (
    "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN agreement_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def upgrade():
    op.create_table(
        "funding_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("funder_reference", sa.String(length=60), nullable=False),
        sa.Column("annual_value", sa.BigInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("break_on", sa.Date(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("latest_notice_on", sa.Date(), nullable=False),
        sa.Column("latest_consultation_start", sa.Date(), nullable=False),
        sa.Column("required_period", sa.String(length=60), nullable=False),
        sa.Column("notice_given_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("renewed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_funding_agreements_dates_in_order")
        ),
        sa.CheckConstraint(
            f"annual_value >= 0 AND annual_value <= {MAX_FIGURE}",
            name=op.f("ck_funding_agreements_value"),
        ),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_funding_agreements_compact_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_funding_agreements_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["funder_id"],
            ["organisations.id"],
            name=op.f("fk_funding_agreements_funder_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_funding_agreements_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_agreements")),
        sa.UniqueConstraint(
            "funder_id", "funder_reference", name="uq_funding_agreements_funder_reference"
        ),
    )
    with op.batch_alter_table("funding_agreements") as batch:
        batch.create_index(batch.f("ix_funding_agreements_funder_id"), ["funder_id"])
        batch.create_index(batch.f("ix_funding_agreements_organisation_id"), ["organisation_id"])
        batch.create_index(batch.f("ix_funding_agreements_compact_id"), ["compact_id"])
        batch.create_index("ix_funding_agreements_latest_notice_on", ["latest_notice_on"])

    op.create_table(
        "agreement_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                *EVENT_KINDS,
                name="agreement_event_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_agreement_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["funding_agreements.id"],
            name=op.f("fk_agreement_events_agreement_id_funding_agreements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_events")),
    )
    op.create_index(
        "ix_agreement_events_agreement_occurred",
        "agreement_events",
        ["agreement_id", "occurred_at"],
    )

    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("agreement_id", sa.Integer(), nullable=True))
        batch.drop_constraint(batch.f("ck_deadlines_on_a_case_or_a_notice"), type_="check")
        batch.create_check_constraint("on_one_record", ONE_RECORD)
        batch.create_foreign_key(
            batch.f("fk_deadlines_agreement_id_funding_agreements"),
            "funding_agreements",
            ["agreement_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(batch.f("ix_deadlines_agreement_id"), ["agreement_id"])

    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("agreement_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_notices_agreement_id_funding_agreements"),
            "funding_agreements",
            ["agreement_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_notices_agreement_id"), ["agreement_id"])

    with op.batch_alter_table("compacts") as batch:
        batch.add_column(sa.Column("agreement_reminders", sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table("compacts") as batch:
        batch.drop_column("agreement_reminders")
    with op.batch_alter_table("notices") as batch:
        batch.drop_index(batch.f("ix_notices_agreement_id"))
        batch.drop_constraint(batch.f("fk_notices_agreement_id_funding_agreements"), "foreignkey")
        batch.drop_column("agreement_id")
    op.execute(sa.text("DELETE FROM deadlines WHERE agreement_id IS NOT NULL"))
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_index(batch.f("ix_deadlines_agreement_id"))
        batch.drop_constraint(batch.f("fk_deadlines_agreement_id_funding_agreements"), "foreignkey")
        batch.drop_constraint(batch.f("ck_deadlines_on_one_record"), type_="check")
        batch.create_check_constraint(
            "on_a_case_or_a_notice", "(case_id IS NULL) <> (notice_id IS NULL)"
        )
        batch.drop_column("agreement_id")
    op.drop_index("ix_agreement_events_agreement_occurred", table_name="agreement_events")
    op.drop_table("agreement_events")
    op.drop_table("funding_agreements")

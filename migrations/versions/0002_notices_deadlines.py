"""Notices, Compact rules, deadlines and pauses; new case event kinds

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:03:28.953042

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "compact_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column(
            "unit",
            sa.Enum(
                "months",
                "weeks",
                "calendar_days",
                "working_days",
                name="period_unit",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("count >= 1", name=op.f("ck_compact_rules_count")),
        sa.ForeignKeyConstraint(
            ["compact_id"],
            ["compacts.id"],
            name=op.f("fk_compact_rules_compact_id_compacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compact_rules")),
        sa.UniqueConstraint("compact_id", "name", name="uq_compact_rules_compact_id_name"),
    )
    op.create_table(
        "deadline_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ended_on IS NULL OR ended_on >= started_on", name=op.f("ck_deadline_pauses_order")
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_deadline_pauses_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_deadline_pauses_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_pauses")),
    )
    with op.batch_alter_table("deadline_pauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_pauses_case_id"), ["case_id"], unique=False)

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "funding_end",
                "funding_reduction",
                "consultation",
                name="notice_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notice_given_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("written", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("reasons_given", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("amount_before", sa.BigInteger(), nullable=True),
        sa.Column("amount_after", sa.BigInteger(), nullable=True),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("compliant", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("shortfall_days", sa.Integer(), server_default="0", nullable=False),
        sa.Column("required_period", sa.String(length=60), nullable=False),
        sa.Column("earliest_compliant_on", sa.Date(), nullable=False),
        sa.Column("latest_notice_on", sa.Date(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(kind = 'consultation' AND opens_on IS NOT NULL AND closes_on IS NOT NULL) OR "
            "(kind <> 'consultation' AND notice_given_on IS NOT NULL AND effective_on IS NOT NULL)",
            name=op.f("ck_notices_dates_for_kind"),
        ),
        sa.CheckConstraint(
            "(amount_before IS NULL OR amount_before >= 0) AND "
            "(amount_after IS NULL OR amount_after >= 0)",
            name=op.f("ck_notices_amounts"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_notices_case_id_cases"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_notices_compact_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_notices_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["funder_id"], ["organisations.id"], name=op.f("fk_notices_funder_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["organisations.id"],
            name=op.f("fk_notices_recipient_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_compact_id"), ["compact_id"], unique=False)
        batch_op.create_index(
            "ix_notices_funder_compliant", ["funder_id", "compliant"], unique=False
        )

    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "acknowledge",
                "conclude_conciliation",
                "conclude_mediation",
                "notice_issue_by",
                "consultation_closes",
                name="deadline_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("period_count", sa.Integer(), nullable=False),
        sa.Column(
            "period_unit",
            sa.Enum(
                "months",
                "weeks",
                "calendar_days",
                "working_days",
                name="deadline_unit",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("extended_by", sa.Integer(), server_default="0", nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "met",
                "missed",
                "cancelled",
                name="deadline_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(case_id IS NULL) <> (notice_id IS NULL)",
            name=op.f("ck_deadlines_on_a_case_or_a_notice"),
        ),
        sa.CheckConstraint(
            "period_count >= 1 AND extended_by >= 0", name=op.f("ck_deadlines_period")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_deadlines_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notices.id"],
            name=op.f("fk_deadlines_notice_id_notices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlines")),
    )
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadlines_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadlines_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index("ix_deadlines_status_due_on", ["status", "due_on"], unique=False)

    _case_event_kinds(NEW_EVENT_KINDS)


def downgrade():
    op.execute(sa.text("DELETE FROM case_events WHERE kind IN ('pause', 'resume', 'extension')"))
    _case_event_kinds(OLD_EVENT_KINDS)
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_status_due_on")
        batch_op.drop_index(batch_op.f("ix_deadlines_notice_id"))
        batch_op.drop_index(batch_op.f("ix_deadlines_case_id"))

    op.drop_table("deadlines")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_funder_compliant")
        batch_op.drop_index(batch_op.f("ix_notices_compact_id"))
        batch_op.drop_index(batch_op.f("ix_notices_case_id"))

    op.drop_table("notices")
    with op.batch_alter_table("deadline_pauses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_pauses_case_id"))

    op.drop_table("deadline_pauses")
    op.drop_table("compact_rules")


OLD_EVENT_KINDS = ("created", "transition", "edit", "note")
NEW_EVENT_KINDS = (*OLD_EVENT_KINDS, "pause", "resume", "extension")


def _case_event_kinds(kinds: tuple[str, ...]) -> None:
    """Replace the CHECK constraint that lists the case event kinds (autogenerate does not see
    changes to an enum's values). Batch mode rebuilds the table on SQLite."""
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_case_event_kind"), type_="check")
        batch_op.create_check_constraint("case_event_kind", sa.text(f"kind IN ({allowed})"))

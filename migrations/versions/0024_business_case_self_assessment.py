"""The business case's proxies; the annual self-assessment, its years and their deadlines

Revision ID: 0024
Revises: 0017
Create Date: 2026-11-29 18:00:00.000000

A deadline may now belong to a Compact's annual self-assessment (due on the day its region
set for the year), so a late return is reminded of as every other deadline is.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0017"
branch_labels = None
depends_on = None

# Frozen here: workflows.business_case.MAX_PROXY_PENCE when this was written.
MAX_PROXY_PENCE = 100_000_000

OLD_KINDS = (
    "acknowledge",
    "conclude_conciliation",
    "conclude_mediation",
    "notice_issue_by",
    "consultation_closes",
)
NEW_KINDS = (*OLD_KINDS, "self_assessment")

OLD_ONE_RECORD = (
    "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN agreement_id IS NULL THEN 0 ELSE 1 END) = 1"
)
NEW_ONE_RECORD = (
    "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN agreement_id IS NULL THEN 0 ELSE 1 END) + "
    "(CASE WHEN self_assessment_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "value_proxies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("proxy_kind", "job", "service_user"), nullable=False),
        sa.Column("low_pence", sa.BigInteger(), nullable=False),
        sa.Column("high_pence", sa.BigInteger(), nullable=False),
        sa.Column("central_pence", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            f"low_pence >= 0 AND high_pence >= low_pence AND high_pence <= {MAX_PROXY_PENCE}",
            name=op.f("ck_value_proxies_range"),
        ),
        sa.CheckConstraint(
            "central_pence IS NULL OR (central_pence >= low_pence AND central_pence <= high_pence)",
            name=op.f("ck_value_proxies_central"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_value_proxies_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_proxies")),
        sa.UniqueConstraint("kind", name=op.f("uq_value_proxies_kind")),
    )
    op.create_table(
        "self_assessment_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_self_assessment_years_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_years")),
        sa.UniqueConstraint("region_id", "year", name="uq_self_assessment_years"),
    )
    op.create_table(
        "self_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", _enum("return_status", "draft", "submitted"), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_self_assessments_compact_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_self_assessments_submitted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_self_assessments_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessments")),
        sa.UniqueConstraint("compact_id", "year", name="uq_self_assessments"),
    )
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("self_assessment_id", sa.Integer(), nullable=True))
        batch.drop_constraint(batch.f("ck_deadlines_on_one_record"), type_="check")
        batch.create_check_constraint("on_one_record", NEW_ONE_RECORD)
        batch.drop_constraint(batch.f("ck_deadlines_deadline_kind"), type_="check")
        batch.create_check_constraint(
            "deadline_kind", "kind IN (" + ", ".join(f"'{k}'" for k in NEW_KINDS) + ")"
        )
        batch.create_foreign_key(
            batch.f("fk_deadlines_self_assessment_id_self_assessments"),
            "self_assessments",
            ["self_assessment_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index(batch.f("ix_deadlines_self_assessment_id"), ["self_assessment_id"])


def downgrade():
    op.execute(sa.text("DELETE FROM deadlines WHERE self_assessment_id IS NOT NULL"))
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_index(batch.f("ix_deadlines_self_assessment_id"))
        batch.drop_constraint(
            batch.f("fk_deadlines_self_assessment_id_self_assessments"), "foreignkey"
        )
        batch.drop_constraint(batch.f("ck_deadlines_deadline_kind"), type_="check")
        batch.create_check_constraint(
            "deadline_kind", "kind IN (" + ", ".join(f"'{k}'" for k in OLD_KINDS) + ")"
        )
        batch.drop_constraint(batch.f("ck_deadlines_on_one_record"), type_="check")
        batch.create_check_constraint("on_one_record", OLD_ONE_RECORD)
        batch.drop_column("self_assessment_id")
    op.drop_table("self_assessments")
    op.drop_table("self_assessment_years")
    op.drop_table("value_proxies")

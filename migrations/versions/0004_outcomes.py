"""Outcomes: how each closed case ended, and the working days it took

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 04:15:30.632715

"""

import sqlalchemy as sa
from alembic import op

from workflows.periods import working_days_between

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("outcome_kind", "resolved", "withdrawn"), nullable=False),
        sa.Column(
            "level",
            _enum(
                "outcome_level", "before_conciliation", "local_conciliation", "regional_mediation"
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome_type",
            _enum(
                "outcome_type",
                "agreement_reached",
                "funding_reinstated",
                "notice_extended",
                "decision_upheld",
                "partially_resolved",
                "no_agreement",
                "referred_national",
            ),
            nullable=True,
        ),
        sa.Column("breach_found", _enum("breach_found", "yes", "no", "partly"), nullable=True),
        sa.Column("funding_protected", sa.BigInteger(), nullable=True),
        sa.Column("jobs_safeguarded", sa.Integer(), nullable=True),
        sa.Column("notice_days_gained", sa.Integer(), nullable=True),
        sa.Column("service_users_affected", sa.Integer(), nullable=True),
        sa.Column("agreed_actions", sa.Text(), nullable=True),
        sa.Column("learning", sa.Text(), nullable=True),
        sa.Column("learning_shareable", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(funding_protected IS NULL OR funding_protected >= 0)"
            " AND (jobs_safeguarded IS NULL OR jobs_safeguarded >= 0)"
            " AND (notice_days_gained IS NULL OR notice_days_gained >= 0)"
            " AND (service_users_affected IS NULL OR service_users_affected >= 0)",
            name=op.f("ck_outcomes_figures_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_outcomes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_outcomes_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("case_id", name=op.f("uq_outcomes_case_id")),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_outcomes_kind_level", ["kind", "level"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_days_to_close", sa.Integer(), nullable=True))

    # Cases closed before this revision get their working days counted now, as closing would.
    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("raised_on", sa.Date),
        sa.column("closed_on", sa.Date),
        sa.column("working_days_to_close", sa.Integer),
    )
    closed = connection.execute(
        sa.select(cases.c.id, cases.c.raised_on, cases.c.closed_on).where(
            cases.c.closed_on.is_not(None)
        )
    ).all()
    if closed:
        connection.execute(
            sa.update(cases)
            .where(cases.c.id == sa.bindparam("case_id"))
            .values(working_days_to_close=sa.bindparam("days")),
            [
                {"case_id": row.id, "days": working_days_between(row.raised_on, row.closed_on)}
                for row in closed
            ],
        )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("working_days_to_close")

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_kind_level")

    op.drop_table("outcomes")

"""Bounds: money and outcome figures as capped BIGINT, one open pause per case

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-28 06:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# workflows.dispute.MAX_FIGURE when this migration was written; frozen here so that the
# migration builds the same schema whatever that constant becomes.
MAX_FIGURE = 10_000_000_000
OUTCOME_COUNTS = ("jobs_safeguarded", "notice_days_gained", "service_users_affected")
OPEN = "ended_on IS NULL"


def upgrade():
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        for column in OUTCOME_COUNTS:
            batch_op.alter_column(
                column, existing_type=sa.Integer(), type_=sa.BigInteger(), existing_nullable=True
            )
        batch_op.create_check_constraint(
            op.f("ck_outcomes_figures_bound"),
            f"funding_protected <= {MAX_FIGURE} AND jobs_safeguarded <= {MAX_FIGURE}"
            f" AND notice_days_gained <= {MAX_FIGURE} AND service_users_affected <= {MAX_FIGURE}",
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_cases_amount_bound"), f"amount_at_stake <= {MAX_FIGURE}"
        )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_notices_amounts_bound"),
            f"amount_before <= {MAX_FIGURE} AND amount_after <= {MAX_FIGURE}",
        )

    # Racing requests could stop a case's clock twice. Keep the first open pause and close any
    # later one on the day it started, so it covers no day and the index below can be built.
    op.execute(
        "UPDATE deadline_pauses SET ended_on = started_on "
        "WHERE ended_on IS NULL AND id > ("
        "SELECT MIN(earlier.id) FROM deadline_pauses AS earlier "
        "WHERE earlier.case_id = deadline_pauses.case_id AND earlier.ended_on IS NULL)"
    )
    with op.batch_alter_table("deadline_pauses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_deadline_pauses_one_open_per_case",
            ["case_id"],
            unique=True,
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )


def downgrade():
    with op.batch_alter_table("deadline_pauses", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_deadline_pauses_one_open_per_case",
            sqlite_where=sa.text(OPEN),
            postgresql_where=sa.text(OPEN),
        )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notices_amounts_bound"), type_="check")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_cases_amount_bound"), type_="check")
    # A figure above 2³¹ − 1 recorded since cannot go back into an INTEGER column: PostgreSQL
    # refuses the downgrade rather than lose it.
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_outcomes_figures_bound"), type_="check")
        for column in OUTCOME_COUNTS:
            batch_op.alter_column(
                column, existing_type=sa.BigInteger(), type_=sa.Integer(), existing_nullable=True
            )

"""Deadlines say when their reminders next need planning, so a sweep plans only those

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-09 09:00:00.000000

Every existing open deadline gets the column's default, "plan at the next sweep", so the first
sweep after the upgrade plans each of them once and sets its real day.
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

# Frozen here: compactcases.models.deadlines.PLAN_AT_NEXT_SWEEP when this was written.
PLAN_AT_NEXT_SWEEP = "2000-01-01"


def upgrade():
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("plan_on", sa.Date(), server_default=PLAN_AT_NEXT_SWEEP))
    op.execute(
        sa.text("UPDATE deadlines SET plan_on = :day WHERE status = 'open'").bindparams(
            sa.bindparam("day", date.fromisoformat(PLAN_AT_NEXT_SWEEP), type_=sa.Date)
        )
    )
    op.create_index(
        "ix_deadlines_open_plan_on",
        "deadlines",
        ["status", "plan_on"],
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )


def downgrade():
    op.drop_index("ix_deadlines_open_plan_on", table_name="deadlines")
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_column("plan_on")

"""Bank holidays an administrator adds or removes, and the log of those changes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10 09:00:00.000000

One override a day: a day added to England's published bank holidays, or one of them removed.
The log keeps every change for good; its latest row is the version each process compares with
the bank holidays it counts with.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _change(name: str) -> sa.Enum:
    return sa.Enum(
        "added", "removed", name=name, native_enum=False, create_constraint=True, length=32
    )


def upgrade():
    op.create_table(
        "bank_holiday_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("change", _change("bank_holiday_override"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_bank_holiday_overrides_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_holiday_overrides")),
        sa.UniqueConstraint("day", name=op.f("uq_bank_holiday_overrides_day")),
    )
    op.create_table(
        "bank_holiday_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("change", _change("bank_holiday_change"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadlines_moved", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_bank_holiday_changes_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_holiday_changes")),
    )


def downgrade():
    op.drop_table("bank_holiday_changes")
    op.drop_table("bank_holiday_overrides")

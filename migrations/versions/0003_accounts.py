"""Accounts: passwords, sign-in attempts, private notes, escalation date

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 04:04:15.639917

"""

import sqlalchemy as sa
from alembic import op

# The timeline gains meetings and mediator assignments: the kind's CHECK constraint is widened.
OLD_KINDS = ("created", "transition", "edit", "note", "pause", "resume", "extension")
NEW_KINDS = (*OLD_KINDS, "meeting", "assignment")


def _event_kinds(kinds: tuple[str, ...]) -> None:
    values = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("case_events", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_case_event_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_case_event_kind"), f"kind IN ({values})"
        )


# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_attempts_address_at", ["address", "attempted_at"], unique=False
        )
        batch_op.create_index(
            "ix_sign_in_attempts_email_at", ["email", "attempted_at"], unique=False
        )

    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("private", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_on", sa.Date(), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True)
        )

    _event_kinds(NEW_KINDS)


def downgrade():
    op.execute(
        "DELETE FROM case_events WHERE kind NOT IN ("
        + ", ".join(f"'{kind}'" for kind in OLD_KINDS)
        + ")"
    )
    _event_kinds(OLD_KINDS)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("last_signed_in_at")
        batch_op.drop_column("password_hash")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("escalated_on")

    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_column("private")

    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempts_email_at")
        batch_op.drop_index("ix_sign_in_attempts_address_at")

    op.drop_table("sign_in_attempts")

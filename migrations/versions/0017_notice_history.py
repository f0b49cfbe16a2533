"""Notices can be edited and withdrawn: their own history, and when and why one was withdrawn

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 15:30:00.000000

A withdrawn notice stays on record (withdrawn_at, withdrawn_reason) and leaves the compliance
figures; each edit and the withdrawal is an entry in notice_events, with who and when.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notices") as batch_op:
        batch_op.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_reason", sa.Text(), nullable=True))
    op.create_table(
        "notice_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "edit",
                "withdrawn",
                name="notice_event_kind",
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
            ["notice_id"],
            ["notices.id"],
            name=op.f("fk_notice_events_notice_id_notices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_notice_events_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_events")),
    )
    op.create_index(
        "ix_notice_events_notice_occurred", "notice_events", ["notice_id", "occurred_at"]
    )


def downgrade():
    op.drop_index("ix_notice_events_notice_occurred", table_name="notice_events")
    op.drop_table("notice_events")
    with op.batch_alter_table("notices") as batch_op:
        batch_op.drop_column("withdrawn_reason")
        batch_op.drop_column("withdrawn_at")

"""Letters: Compacts' own letter templates, organisations' postal addresses, and the timeline's
"acknowledgement recorded" and "letter generated" entries

Revision ID: 0020
Revises: 0018
Create Date: 2026-11-29 18:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# The timeline's kinds before and after: the CHECK constraint is recreated with every member.
OLD_KINDS = (
    "created",
    "transition",
    "edit",
    "note",
    "meeting",
    "assignment",
    "pause",
    "resume",
    "extension",
    "reminder",
    "document_added",
    "document_removed",
    "document_purged",
    "meeting_scheduled",
    "meeting_changed",
    "meeting_cancelled",
)
NEW_KINDS = (*OLD_KINDS, "acknowledgement", "letter")
LETTER_KINDS = ("acknowledgement", "invitation", "escalation", "outcome", "breach")


def _event_kinds(kinds: tuple[str, ...]) -> None:
    values = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("case_events", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_case_event_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_case_event_kind"), f"kind IN ({values})"
        )


def upgrade():
    # Plain ALTER TABLE (no batch copy): the search triggers name the organisations table.
    op.add_column("organisations", sa.Column("address", sa.Text(), nullable=True))
    op.create_table(
        "letter_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                *LETTER_KINDS,
                name="letter_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["compact_id"],
            ["compacts.id"],
            name=op.f("fk_letter_templates_compact_id_compacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_letter_templates_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_templates")),
        sa.UniqueConstraint("compact_id", "kind", name="uq_letter_templates_compact_id_kind"),
    )
    _event_kinds(NEW_KINDS)


def downgrade():
    op.execute(
        "DELETE FROM case_events WHERE kind NOT IN ("
        + ", ".join(f"'{kind}'" for kind in OLD_KINDS)
        + ")"
    )
    _event_kinds(OLD_KINDS)
    op.drop_table("letter_templates")
    op.drop_column("organisations", "address")

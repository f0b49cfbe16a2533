"""Regional cases: every party of a case as a list, the Compacts a regional case affects,
"referred to the region" timeline entries, and the outbox telling officers a case moved

Revision ID: 0023
Revises: 0017
Create Date: 2026-11-29 18:00:00.000000

Every existing case gets its two parties (the lead funder and the lead third-sector
organisation) in `case_parties`; no case is regional yet, so `case_compacts` starts empty.
`cases` itself is not rebuilt, so its search and tally triggers stay as they are.
"""

import sqlalchemy as sa
from alembic import op

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
    "acknowledgement",
    "letter",
)
NEW_KINDS = (*OLD_KINDS, "referral")
SIDES = ("third_sector", "funder")
CHANNELS = ("email", "inbox")
STATUSES = ("planned", "sending", "sent", "failed", "cancelled")

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0020"
branch_labels = None
depends_on = None


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _event_kinds(kinds: tuple[str, ...]) -> None:
    values = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("case_events", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_case_event_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_case_event_kind"), f"kind IN ({values})"
        )


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["case_id"], ["cases.id"], name=op.f(f"fk_{table}_case_id_cases"), ondelete="CASCADE"
    )


def upgrade():
    # First, while no new table refers to the timeline that SQLite's batch copy rebuilds.
    _event_kinds(NEW_KINDS)
    op.create_table(
        "case_parties",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("side", _enum(SIDES, "party_side"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _case_fk("case_parties"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_case_parties_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("case_id", "organisation_id", name=op.f("pk_case_parties")),
    )
    op.create_index(
        "ix_case_parties_organisation_case", "case_parties", ["organisation_id", "case_id"]
    )
    op.create_table(
        "case_compacts",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _case_fk("case_compacts"),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_case_compacts_compact_id_compacts")
        ),
        sa.PrimaryKeyConstraint("case_id", "compact_id", name=op.f("pk_case_compacts")),
    )
    op.create_index("ix_case_compacts_compact_case", "case_compacts", ["compact_id", "case_id"])
    op.create_table(
        "case_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_event_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("channel", _enum(CHANNELS, "update_channel"), nullable=False),
        sa.Column("status", _enum(STATUSES, "update_status"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_case_updates_attempts")),
        sa.ForeignKeyConstraint(
            ["case_event_id"],
            ["case_events.id"],
            name=op.f("fk_case_updates_case_event_id_case_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_case_updates_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_updates")),
        sa.UniqueConstraint(
            "case_event_id", "recipient_id", "channel", name="uq_case_updates_event_recipient"
        ),
    )
    op.create_index("ix_case_updates_status", "case_updates", ["status"])
    op.create_index(
        "ix_case_updates_recipient_channel_read",
        "case_updates",
        ["recipient_id", "channel", "read_at"],
    )
    op.execute(
        "INSERT INTO case_parties (case_id, organisation_id, side, position)"
        " SELECT id, funder_id, 'funder', 0 FROM cases"
    )
    op.execute(
        "INSERT INTO case_parties (case_id, organisation_id, side, position)"
        " SELECT id, third_sector_id, 'third_sector', 1 FROM cases"
    )


def downgrade():
    op.execute(
        "DELETE FROM case_events WHERE kind NOT IN ("
        + ", ".join(f"'{kind}'" for kind in OLD_KINDS)
        + ")"
    )
    op.drop_index("ix_case_updates_recipient_channel_read", table_name="case_updates")
    op.drop_index("ix_case_updates_status", table_name="case_updates")
    op.drop_table("case_updates")
    _event_kinds(OLD_KINDS)
    op.drop_index("ix_case_compacts_compact_case", table_name="case_compacts")
    op.drop_table("case_compacts")
    op.drop_index("ix_case_parties_organisation_case", table_name="case_parties")
    op.drop_table("case_parties")

"""Meetings on a case: attendees, agreed actions, and the outbox of their invitations

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29 18:00:00.000000

A meeting is scheduled, changed, cancelled and recorded on its case's timeline (three new kinds
of timeline entry); an action agreed at it with a due date is a case deadline of the new kind
`meeting_action`; documents recorded with a meeting are case documents linked to it
(meeting_documents); each e-mail with its iCalendar invitation is a row of meeting_messages, unique
on (meeting, recipient, sequence) and sent by the reminder sweep.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# Frozen here: the timeline's and the deadlines' kinds before and after this revision.
OLD_EVENT_KINDS = (
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
)
NEW_EVENT_KINDS = (*OLD_EVENT_KINDS, "meeting_scheduled", "meeting_changed", "meeting_cancelled")
OLD_DEADLINE_KINDS = (
    "acknowledge",
    "conclude_conciliation",
    "conclude_mediation",
    "notice_issue_by",
    "consultation_closes",
    "self_assessment",
)
NEW_DEADLINE_KINDS = (*OLD_DEADLINE_KINDS, "meeting_action")
STATUSES = ("planned", "sending", "sent", "failed", "cancelled")


def _check(table: str, name: str, values: tuple[str, ...]) -> None:
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table(table, recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
        batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), f"kind IN ({listed})")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def _outbox_columns() -> list[sa.Column]:
    return [
        sa.Column("status", _enum("meeting_message_status", *STATUSES), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=80), nullable=False),
        sa.Column(
            "status", _enum("meeting_status", "scheduled", "held", "cancelled"), nullable=False
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("sequence", sa.Integer(), server_default="0", nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("organiser_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meetings_order")),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_meetings_sequence")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_meetings_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_meetings_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organiser_id"], ["users.id"], name=op.f("fk_meetings_organiser_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("uid", name=op.f("uq_meetings_uid")),
    )
    op.create_index("ix_meetings_case_starts", "meetings", ["case_id", "starts_at"])
    op.create_table(
        "meeting_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_attendees_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_meeting_attendees_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendees")),
        sa.UniqueConstraint("meeting_id", "user_id", name="uq_meeting_attendees_meeting_user"),
    )
    op.create_index(op.f("ix_meeting_attendees_meeting_id"), "meeting_attendees", ["meeting_id"])
    op.create_index(op.f("ix_meeting_attendees_user_id"), "meeting_attendees", ["user_id"])
    op.create_table(
        "meeting_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("owner_name", sa.String(length=120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_actions_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_meeting_actions_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["deadlines.id"],
            name=op.f("fk_meeting_actions_deadline_id_deadlines"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_actions")),
    )
    op.create_index(op.f("ix_meeting_actions_meeting_id"), "meeting_actions", ["meeting_id"])
    op.create_table(
        "meeting_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("method", _enum("invitation_method", "request", "cancel"), nullable=False),
        *_outbox_columns(),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_meeting_messages_attempts")),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_messages_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_meeting_messages_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_messages")),
        sa.UniqueConstraint(
            "meeting_id",
            "recipient_id",
            "sequence",
            name="uq_meeting_messages_meeting_recipient_sequence",
        ),
    )
    op.create_index("ix_meeting_messages_status", "meeting_messages", ["status"])
    op.create_table(
        "meeting_documents",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_documents_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_meeting_documents_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "document_id", name=op.f("pk_meeting_documents")),
    )
    _check("case_events", "case_event_kind", NEW_EVENT_KINDS)
    _check("deadlines", "deadline_kind", NEW_DEADLINE_KINDS)


def downgrade():
    op.execute("DELETE FROM deadlines WHERE kind = 'meeting_action'")
    _check("deadlines", "deadline_kind", OLD_DEADLINE_KINDS)
    kept = ", ".join(f"'{kind}'" for kind in OLD_EVENT_KINDS)
    op.execute(f"DELETE FROM case_events WHERE kind NOT IN ({kept})")
    _check("case_events", "case_event_kind", OLD_EVENT_KINDS)
    op.drop_table("meeting_documents")
    op.drop_index("ix_meeting_messages_status", table_name="meeting_messages")
    op.drop_table("meeting_messages")
    op.drop_index(op.f("ix_meeting_actions_meeting_id"), table_name="meeting_actions")
    op.drop_table("meeting_actions")
    op.drop_index(op.f("ix_meeting_attendees_user_id"), table_name="meeting_attendees")
    op.drop_index(op.f("ix_meeting_attendees_meeting_id"), table_name="meeting_attendees")
    op.drop_table("meeting_attendees")
    op.drop_index("ix_meetings_case_starts", table_name="meetings")
    op.drop_table("meetings")

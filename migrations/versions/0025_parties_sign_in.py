"""The parties sign in: organisation users, invitations, responses on a case, and each
person's choice of case e-mails

Revision ID: 0025
Revises: 0023
Create Date: 2026-11-29 21:00:00.000000

`users.role` gains `organisation`; `case_events.kind` gains `response`; `users.case_emails`
(on for everyone) lets a person turn off the e-mails about their cases; `invitations` holds
the one-time links that let a person of an organisation make their account.
"""

import sqlalchemy as sa
from alembic import op

OLD_ROLES = ("officer", "mediator", "funder", "viewer", "admin")
NEW_ROLES = (*OLD_ROLES, "organisation")
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
    "referral",
)
NEW_KINDS = (*OLD_KINDS, "response")

# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0023"
branch_labels = None
depends_on = None


def _values(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _event_kinds(kinds: tuple[str, ...]) -> None:
    # In place on PostgreSQL (case_updates refers to case_events); rebuilt on SQLite.
    with op.batch_alter_table("case_events", recreate="auto") as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_case_event_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_case_event_kind"), f"kind IN ({_values(kinds)})"
        )


def _roles(roles: tuple[str, ...]) -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_constraint(op.f("ck_users_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_users_role"), f"role IN ({_values(roles)})")


def upgrade():
    _roles(NEW_ROLES)
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(
            sa.Column("case_emails", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    _event_kinds(NEW_KINDS)
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                *NEW_ROLES,
                name="invitation_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_invitations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"], ["users.id"], name=op.f("fk_invitations_invited_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_invitations_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["users.id"], name=op.f("fk_invitations_revoked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitations_token_hash")),
    )
    op.create_index(
        "ix_invitations_organisation_created",
        "invitations",
        ["organisation_id", "created_at"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_invitations_organisation_created", table_name="invitations")
    op.drop_table("invitations")
    op.execute(f"DELETE FROM case_events WHERE kind NOT IN ({_values(OLD_KINDS)})")
    _event_kinds(OLD_KINDS)
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("case_emails")
    op.execute(f"UPDATE users SET active = false WHERE role NOT IN ({_values(OLD_ROLES)})")
    op.execute(f"UPDATE users SET role = 'viewer' WHERE role NOT IN ({_values(OLD_ROLES)})")
    _roles(OLD_ROLES)

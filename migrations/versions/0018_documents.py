"""Documents on cases, notices and funding agreements; the database storage backend's blobs;
"document added", "document removed" and "document's file erased" timeline entries

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# The timeline gains the document entries: the kind's CHECK constraint is widened (every member).
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
)
NEW_KINDS = (*OLD_KINDS, "document_added", "document_removed", "document_purged")


def _event_kinds(kinds: tuple[str, ...]) -> None:
    values = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("case_events", recreate="always") as batch_op:
        batch_op.drop_constraint(op.f("ck_case_events_case_event_kind"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_case_events_case_event_kind"), f"kind IN ({values})"
        )


def _user(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_documents_{column}_users")
    )


def upgrade():
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum(
                "private",
                "parties",
                name="document_visibility",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by_id", sa.Integer(), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_by_id", sa.Integer(), nullable=True),
        sa.Column("purged_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN agreement_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_documents_one_owner"),
        ),
        sa.CheckConstraint("size >= 0", name=op.f("ck_documents_size")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_documents_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name=op.f("fk_documents_notice_id_notices")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["funding_agreements.id"],
            name=op.f("fk_documents_agreement_id_funding_agreements"),
        ),
        _user("uploaded_by_id"),
        _user("removed_by_id"),
        _user("purged_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
    )
    op.create_index("ix_documents_sha256", "documents", ["sha256"])
    op.create_index(op.f("ix_documents_case_id"), "documents", ["case_id"])
    op.create_index(op.f("ix_documents_notice_id"), "documents", ["notice_id"])
    op.create_index(op.f("ix_documents_agreement_id"), "documents", ["agreement_id"])
    op.create_table(
        "document_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_document_blobs")),
    )
    _event_kinds(NEW_KINDS)


def downgrade():
    op.execute(
        "DELETE FROM case_events"
        " WHERE kind IN ('document_added', 'document_removed', 'document_purged')"
    )
    _event_kinds(OLD_KINDS)
    op.drop_table("document_blobs")
    op.drop_index(op.f("ix_documents_agreement_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_notice_id"), table_name="documents")
    op.drop_index(op.f("ix_documents_case_id"), table_name="documents")
    op.drop_index("ix_documents_sha256", table_name="documents")
    op.drop_table("documents")

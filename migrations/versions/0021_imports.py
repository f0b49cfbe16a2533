"""Spreadsheet imports: organisations' aliases, the records imported rows became, uploads

Revision ID: 0021
Revises: 0017
Create Date: 2026-11-29 18:00:00.000000

organisation_aliases: other names an organisation is matched by in imported files.
imported_records: (kind, scope, source reference) -> the record and a hash of its row, unique,
so that a file imported twice (or twice at once) creates each record once.
import_uploads: files uploaded on the import page, kept between preview and confirmation.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0022"
branch_labels = None
depends_on = None

KINDS = ("cases", "notices", "agreements", "organisations")


def _kind(name):
    return sa.Enum(*KINDS, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "organisation_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_aliases_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_aliases")),
        sa.UniqueConstraint("alias", name=op.f("uq_organisation_aliases_alias")),
    )
    op.create_index(
        op.f("ix_organisation_aliases_organisation_id"),
        "organisation_aliases",
        ["organisation_id"],
    )
    op.create_table(
        "imported_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _kind("import_kind"), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("source_reference", sa.String(length=60), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_records")),
        sa.UniqueConstraint("kind", "scope", "source_reference", name="uq_imported_records_source"),
    )
    op.create_table(
        "import_uploads",
        sa.Column("id", sa.String(length=43), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _kind("upload_kind"), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_import_uploads_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_uploads")),
    )
    op.create_index(op.f("ix_import_uploads_user_id"), "import_uploads", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_import_uploads_user_id"), table_name="import_uploads")
    op.drop_table("import_uploads")
    op.drop_table("imported_records")
    op.drop_index(
        op.f("ix_organisation_aliases_organisation_id"), table_name="organisation_aliases"
    )
    op.drop_table("organisation_aliases")

"""A concern's answers kept on the server while it is being raised

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 10:00:00.000000

`concern_drafts` holds, for each organisation user raising a concern online, the answers given
so far on the question pages (one draft an account), until the concern is sent.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "concern_drafts",
        sa.Column("user_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_concern_drafts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_concern_drafts")),
    )


def downgrade():
    op.drop_table("concern_drafts")

"""Lead mediators: a flag on users for the mediators who assign the region's escalated cases

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-14 09:00:00.000000

Every existing account starts as not a lead: mediators keep taking unassigned cases
themselves, and administrators can assign as before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("lead_mediator", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("lead_mediator")

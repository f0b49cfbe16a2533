"""Index case areas by (area, case_id), so an area's cases are read from the index alone

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-03 09:00:00.000000

The case list filtered by area reads the ids of that area's cases as one list; with the case
id in the index it never visits the table. The index on area alone is its prefix, so it goes.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_case_areas_area_case", "case_areas", ["area", "case_id"])
    op.drop_index("ix_case_areas_area", table_name="case_areas")


def downgrade():
    op.create_index("ix_case_areas_area", "case_areas", ["area"])
    op.drop_index("ix_case_areas_area_case", table_name="case_areas")

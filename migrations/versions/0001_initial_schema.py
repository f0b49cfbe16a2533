"""Initial schema: regions, Compacts, organisations, users, cases and timeline

Revision ID: 0001
Revises:
Create Date: 2026-11-28 03:50:16.326910

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table(
        "regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
        sa.UniqueConstraint("code", name=op.f("uq_regions_code")),
    )
    op.create_table(
        "compacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "tier",
            sa.Enum(
                "upper",
                "district",
                name="tier",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["compacts.id"], name=op.f("fk_compacts_parent_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_compacts_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_compacts")),
        sa.UniqueConstraint("code", name=op.f("uq_compacts_code")),
    )
    with op.batch_alter_table("compacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_compacts_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_compacts_region_id"), ["region_id"], unique=False)

    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "statutory",
                "third_sector",
                name="organisation_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "type",
            sa.Enum(
                "council",
                "nhs",
                "police",
                "fire_rescue",
                "government",
                "charity",
                "cvs",
                "community_group",
                "social_enterprise",
                name="organisation_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_organisations_compact_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_organisations_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisations_compact_id"), ["compact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_organisations_region_id"), ["region_id"], unique=False)

    op.create_table(
        "reference_counters",
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_reference_counters_compact_id_compacts")
        ),
        sa.PrimaryKeyConstraint("compact_id", "year", name=op.f("pk_reference_counters")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "officer",
                "mediator",
                "funder",
                "viewer",
                "admin",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("compact_id", sa.Integer(), nullable=True),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_users_compact_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_users_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_users_region_id_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("compact_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("funder_id", sa.Integer(), nullable=False),
        sa.Column("third_sector_id", sa.Integer(), nullable=False),
        sa.Column(
            "raised_by",
            sa.Enum(
                "third_sector",
                "funder",
                name="side",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("amount_at_stake", sa.BigInteger(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "raised",
                "local_conciliation",
                "regional_mediation",
                "resolved",
                "withdrawn",
                name="case_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "previous_state",
            sa.Enum(
                "raised",
                "local_conciliation",
                "regional_mediation",
                "resolved",
                "withdrawn",
                name="previous_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("mediator_id", sa.Integer(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "amount_at_stake IS NULL OR amount_at_stake >= 0", name=op.f("ck_cases_amount")
        ),
        sa.CheckConstraint("funder_id <> third_sector_id", name=op.f("ck_cases_different_parties")),
        sa.ForeignKeyConstraint(
            ["compact_id"], ["compacts.id"], name=op.f("fk_cases_compact_id_compacts")
        ),
        sa.ForeignKeyConstraint(
            ["funder_id"], ["organisations.id"], name=op.f("fk_cases_funder_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["users.id"], name=op.f("fk_cases_mediator_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["users.id"], name=op.f("fk_cases_officer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["third_sector_id"],
            ["organisations.id"],
            name=op.f("fk_cases_third_sector_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_cases_reference")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_compact_raised_on", ["compact_id", "raised_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_funder_id"), ["funder_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_mediator_id"), ["mediator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_officer_id"), ["officer_id"], unique=False)
        batch_op.create_index("ix_cases_raised_on_id", ["raised_on", "id"], unique=False)
        batch_op.create_index("ix_cases_state_raised_on", ["state", "raised_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cases_third_sector_id"), ["third_sector_id"], unique=False
        )

    op.create_table(
        "case_areas",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "area",
            sa.Enum(
                "funding",
                "commissioning",
                "consultation",
                "volunteering",
                "equality",
                "community_groups",
                "bme",
                name="area",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_areas_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "area", name=op.f("pk_case_areas")),
    )
    with op.batch_alter_table("case_areas", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_areas_area"), ["area"], unique=False)

    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "transition",
                "edit",
                "note",
                name="case_event_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("event", sa.String(length=32), nullable=True),
        sa.Column(
            "from_state",
            sa.Enum(
                "raised",
                "local_conciliation",
                "regional_mediation",
                "resolved",
                "withdrawn",
                name="from_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "raised",
                "local_conciliation",
                "regional_mediation",
                "resolved",
                "withdrawn",
                name="to_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_case_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_events_case_occurred", ["case_id", "occurred_at"], unique=False
        )


def downgrade():

    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index("ix_case_events_case_occurred")

    op.drop_table("case_events")
    with op.batch_alter_table("case_areas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_areas_area"))

    op.drop_table("case_areas")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_third_sector_id"))
        batch_op.drop_index("ix_cases_state_raised_on")
        batch_op.drop_index("ix_cases_raised_on_id")
        batch_op.drop_index(batch_op.f("ix_cases_officer_id"))
        batch_op.drop_index(batch_op.f("ix_cases_mediator_id"))
        batch_op.drop_index(batch_op.f("ix_cases_funder_id"))
        batch_op.drop_index("ix_cases_compact_raised_on")

    op.drop_table("cases")
    op.drop_table("users")
    op.drop_table("reference_counters")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisations_region_id"))
        batch_op.drop_index(batch_op.f("ix_organisations_compact_id"))

    op.drop_table("organisations")
    with op.batch_alter_table("compacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_compacts_region_id"))
        batch_op.drop_index(batch_op.f("ix_compacts_parent_id"))

    op.drop_table("compacts")
    op.drop_table("regions")

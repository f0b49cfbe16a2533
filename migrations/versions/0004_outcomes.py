"""Outcomes: how each closed case ended, and the working days it took

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 04:15:30.632715

"""

from bisect import bisect_right
from datetime import date

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


# England's bank holidays that fall on a weekday, as the `holidays` package gave them when this
# revision was written (substitute days included). Frozen here, with the count below, so a later
# change to workflows.periods or to the package cannot change what this revision computes.
_BANK_HOLIDAYS = {
    2000: "0103 0421 0424 0501 0529 0828 1225 1226",
    2001: "0101 0413 0416 0507 0528 0827 1225 1226",
    2002: "0101 0329 0401 0506 0603 0604 0826 1225 1226",
    2003: "0101 0418 0421 0505 0526 0825 1225 1226",
    2004: "0101 0409 0412 0503 0531 0830 1227 1228",
    2005: "0103 0325 0328 0502 0530 0829 1226 1227",
    2006: "0102 0414 0417 0501 0529 0828 1225 1226",
    2007: "0101 0406 0409 0507 0528 0827 1225 1226",
    2008: "0101 0321 0324 0505 0526 0825 1225 1226",
    2009: "0101 0410 0413 0504 0525 0831 1225 1228",
    2010: "0101 0402 0405 0503 0531 0830 1227 1228",
    2011: "0103 0422 0425 0429 0502 0530 0829 1226 1227",
    2012: "0102 0406 0409 0507 0604 0605 0827 1225 1226",
    2013: "0101 0329 0401 0506 0527 0826 1225 1226",
    2014: "0101 0418 0421 0505 0526 0825 1225 1226",
    2015: "0101 0403 0406 0504 0525 0831 1225 1228",
    2016: "0101 0325 0328 0502 0530 0829 1226 1227",
    2017: "0102 0414 0417 0501 0529 0828 1225 1226",
    2018: "0101 0330 0402 0507 0528 0827 1225 1226",
    2019: "0101 0419 0422 0506 0527 0826 1225 1226",
    2020: "0101 0410 0413 0508 0525 0831 1225 1228",
    2021: "0101 0402 0405 0503 0531 0830 1227 1228",
    2022: "0103 0415 0418 0502 0602 0603 0829 0919 1226 1227",
    2023: "0102 0407 0410 0501 0508 0529 0828 1225 1226",
    2024: "0101 0329 0401 0506 0527 0826 1225 1226",
    2025: "0101 0418 0421 0505 0526 0825 1225 1226",
    2026: "0101 0403 0406 0504 0525 0831 1225 1228",
    2027: "0101 0326 0329 0503 0531 0830 1227 1228",
    2028: "0103 0414 0417 0501 0529 0828 1225 1226",
    2029: "0101 0330 0402 0507 0528 0827 1225 1226",
    2030: "0101 0419 0422 0506 0527 0826 1225 1226",
    2031: "0101 0411 0414 0505 0526 0825 1225 1226",
    2032: "0101 0326 0329 0503 0531 0830 1227 1228",
    2033: "0103 0415 0418 0502 0530 0829 1226 1227",
    2034: "0102 0407 0410 0501 0529 0828 1225 1226",
    2035: "0101 0323 0326 0507 0528 0827 1225 1226",
    2036: "0101 0411 0414 0505 0526 0825 1225 1226",
    2037: "0101 0403 0406 0504 0525 0831 1225 1228",
    2038: "0101 0423 0426 0503 0531 0830 1227 1228",
    2039: "0103 0408 0411 0502 0530 0829 1226 1227",
    2040: "0102 0330 0402 0507 0528 0827 1225 1226",
    2041: "0101 0419 0422 0506 0527 0826 1225 1226",
    2042: "0101 0404 0407 0505 0526 0825 1225 1226",
    2043: "0101 0327 0330 0504 0525 0831 1225 1228",
    2044: "0101 0415 0418 0502 0530 0829 1226 1227",
    2045: "0102 0407 0410 0501 0529 0828 1225 1226",
    2046: "0101 0323 0326 0507 0528 0827 1225 1226",
    2047: "0101 0412 0415 0506 0527 0826 1225 1226",
    2048: "0101 0403 0406 0504 0525 0831 1225 1228",
    2049: "0101 0416 0419 0503 0531 0830 1227 1228",
    2050: "0103 0408 0411 0502 0530 0829 1226 1227",
    2051: "0102 0331 0403 0501 0529 0828 1225 1226",
    2052: "0101 0419 0422 0506 0527 0826 1225 1226",
    2053: "0101 0404 0407 0505 0526 0825 1225 1226",
    2054: "0101 0327 0330 0504 0525 0831 1225 1228",
    2055: "0101 0416 0419 0503 0531 0830 1227 1228",
    2056: "0103 0331 0403 0501 0529 0828 1225 1226",
    2057: "0101 0420 0423 0507 0528 0827 1225 1226",
    2058: "0101 0412 0415 0506 0527 0826 1225 1226",
    2059: "0101 0328 0331 0505 0526 0825 1225 1226",
    2060: "0101 0416 0419 0503 0531 0830 1227 1228",
    2061: "0103 0408 0411 0502 0530 0829 1226 1227",
    2062: "0102 0324 0327 0501 0529 0828 1225 1226",
    2063: "0101 0413 0416 0507 0528 0827 1225 1226",
    2064: "0101 0404 0407 0505 0526 0825 1225 1226",
    2065: "0101 0327 0330 0504 0525 0831 1225 1228",
    2066: "0101 0409 0412 0503 0531 0830 1227 1228",
    2067: "0103 0401 0404 0502 0530 0829 1226 1227",
    2068: "0102 0420 0423 0507 0528 0827 1225 1226",
    2069: "0101 0412 0415 0506 0527 0826 1225 1226",
    2070: "0101 0328 0331 0505 0526 0825 1225 1226",
    2071: "0101 0417 0420 0504 0525 0831 1225 1228",
    2072: "0101 0408 0411 0502 0530 0829 1226 1227",
    2073: "0102 0324 0327 0501 0529 0828 1225 1226",
    2074: "0101 0413 0416 0507 0528 0827 1225 1226",
    2075: "0101 0405 0408 0506 0527 0826 1225 1226",
    2076: "0101 0417 0420 0504 0525 0831 1225 1228",
    2077: "0101 0409 0412 0503 0531 0830 1227 1228",
    2078: "0103 0401 0404 0502 0530 0829 1226 1227",
    2079: "0102 0421 0424 0501 0529 0828 1225 1226",
    2080: "0101 0405 0408 0506 0527 0826 1225 1226",
    2081: "0101 0328 0331 0505 0526 0825 1225 1226",
    2082: "0101 0417 0420 0504 0525 0831 1225 1228",
    2083: "0101 0402 0405 0503 0531 0830 1227 1228",
    2084: "0103 0324 0327 0501 0529 0828 1225 1226",
    2085: "0101 0413 0416 0507 0528 0827 1225 1226",
    2086: "0101 0329 0401 0506 0527 0826 1225 1226",
    2087: "0101 0418 0421 0505 0526 0825 1225 1226",
    2088: "0101 0409 0412 0503 0531 0830 1227 1228",
    2089: "0103 0401 0404 0502 0530 0829 1226 1227",
    2090: "0102 0414 0417 0501 0529 0828 1225 1226",
    2091: "0101 0406 0409 0507 0528 0827 1225 1226",
    2092: "0101 0328 0331 0505 0526 0825 1225 1226",
    2093: "0101 0410 0413 0504 0525 0831 1225 1228",
    2094: "0101 0402 0405 0503 0531 0830 1227 1228",
    2095: "0103 0422 0425 0502 0530 0829 1226 1227",
    2096: "0102 0413 0416 0507 0528 0827 1225 1226",
    2097: "0101 0329 0401 0506 0527 0826 1225 1226",
    2098: "0101 0418 0421 0505 0526 0825 1225 1226",
    2099: "0101 0410 0413 0504 0525 0831 1225 1228",
    2100: "0101 0326 0329 0503 0531 0830 1227 1228",
}
_HOLIDAY_ORDINALS = sorted(
    date(year, int(day[:2]), int(day[2:])).toordinal()
    for year, days in _BANK_HOLIDAYS.items()
    for day in days.split()
)


def _weekdays_to(ordinal: int) -> int:
    """Mondays to Fridays among the days with ordinals 1 to ``ordinal`` (day 1 is a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return 5 * weeks + min(rest, 5)


def _working_days_between(start: date, end: date) -> int:
    """Working days in ``start < d <= end`` (negative when ``end`` is before ``start``), as
    workflows.periods.working_days_between counted them for the dates cases can hold
    (2000 to 2100); outside those years only weekends are skipped."""
    a, b = start.toordinal(), end.toordinal()
    holidays = bisect_right(_HOLIDAY_ORDINALS, b) - bisect_right(_HOLIDAY_ORDINALS, a)
    return _weekdays_to(b) - _weekdays_to(a) - holidays


def upgrade():
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("outcome_kind", "resolved", "withdrawn"), nullable=False),
        sa.Column(
            "level",
            _enum(
                "outcome_level", "before_conciliation", "local_conciliation", "regional_mediation"
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome_type",
            _enum(
                "outcome_type",
                "agreement_reached",
                "funding_reinstated",
                "notice_extended",
                "decision_upheld",
                "partially_resolved",
                "no_agreement",
                "referred_national",
            ),
            nullable=True,
        ),
        sa.Column("breach_found", _enum("breach_found", "yes", "no", "partly"), nullable=True),
        sa.Column("funding_protected", sa.BigInteger(), nullable=True),
        sa.Column("jobs_safeguarded", sa.Integer(), nullable=True),
        sa.Column("notice_days_gained", sa.Integer(), nullable=True),
        sa.Column("service_users_affected", sa.Integer(), nullable=True),
        sa.Column("agreed_actions", sa.Text(), nullable=True),
        sa.Column("learning", sa.Text(), nullable=True),
        sa.Column("learning_shareable", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(funding_protected IS NULL OR funding_protected >= 0)"
            " AND (jobs_safeguarded IS NULL OR jobs_safeguarded >= 0)"
            " AND (notice_days_gained IS NULL OR notice_days_gained >= 0)"
            " AND (service_users_affected IS NULL OR service_users_affected >= 0)",
            name=op.f("ck_outcomes_figures_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_outcomes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_outcomes_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("case_id", name=op.f("uq_outcomes_case_id")),
    )
    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.create_index("ix_outcomes_kind_level", ["kind", "level"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("working_days_to_close", sa.Integer(), nullable=True))

    # Cases closed before this revision get their working days counted now, as closing would.
    connection = op.get_bind()
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("raised_on", sa.Date),
        sa.column("closed_on", sa.Date),
        sa.column("working_days_to_close", sa.Integer),
    )
    closed = connection.execute(
        sa.select(cases.c.id, cases.c.raised_on, cases.c.closed_on).where(
            cases.c.closed_on.is_not(None)
        )
    ).all()
    if closed:
        connection.execute(
            sa.update(cases)
            .where(cases.c.id == sa.bindparam("case_id"))
            .values(working_days_to_close=sa.bindparam("days")),
            [
                {"case_id": row.id, "days": _working_days_between(row.raised_on, row.closed_on)}
                for row in closed
            ],
        )


def downgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("working_days_to_close")

    with op.batch_alter_table("outcomes", schema=None) as batch_op:
        batch_op.drop_index("ix_outcomes_kind_level")

    op.drop_table("outcomes")

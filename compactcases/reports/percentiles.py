"""Exact percentiles in SQL, the same on SQLite and PostgreSQL.

Percentiles are exact, by linear interpolation between the two nearest ranks (the definition
of PostgreSQL's percentile_cont): for n values sorted ascending, the p-th percentile sits at
position h = (n - 1) * p (counting from 0), and is x[floor h] plus (h - floor h) times
(x[floor h + 1] - x[floor h]). Both databases run the same window-function query, which
returns only the one or two middle rows per group.
"""

from __future__ import annotations

from fractions import Fraction

import sqlalchemy as sa

from ..extensions import db

# Percentiles asked for, as exact fractions so that positions are integer arithmetic in SQL.
MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def _positions(n, p: Fraction) -> tuple:
    """The 1-based ranks either side of the p-th percentile of n values, as SQL expressions."""
    # `//` is integer (floor) division on both databases; `/` would be true division.
    lower = (n - 1) * p.numerator // p.denominator + 1
    upper = ((n - 1) * p.numerator + p.denominator - 1) // p.denominator + 1
    return lower, upper


def percentiles_by(
    key: sa.ColumnElement | None,
    days: sa.ColumnElement,
    query: sa.Select,
    fractions: tuple[Fraction, ...],
) -> dict:
    """{group: (n, {p: value})} for `days` over `query`'s rows, grouped by `key` (None: one
    group, keyed None).

    `query` must select from the rows to measure; only the middle rows of each group leave the
    database. Integer division truncates on both databases, and every operand is a
    non-negative integer, so the ranks agree on SQLite and PostgreSQL.
    """
    group = key if key is not None else sa.null()
    ranked = query.add_columns(
        group.label("group_key"),
        days.label("days"),
        sa.func.row_number().over(partition_by=key, order_by=days).label("rank"),
        sa.func.count().over(partition_by=key).label("n"),
    ).subquery()
    wanted = [position for p in fractions for position in _positions(ranked.c.n, p)]
    rows = db.session.execute(
        sa.select(ranked.c.group_key, ranked.c.n, ranked.c.rank, ranked.c.days).where(
            sa.or_(*(ranked.c.rank == position for position in wanted))
        )
    ).all()
    by_group: dict = {}
    for group, n, rank, value in rows:
        by_group.setdefault(group, (int(n), {}))[1][int(rank)] = int(value)
    result = {}
    for group, (n, at) in by_group.items():
        result[group] = (n, {p: interpolate(at, n, p) for p in fractions})
    return result


def interpolate(at: dict[int, int], n: int, p: Fraction) -> float:
    """The p-th percentile from the values at the 1-based ranks either side of it."""
    position = (n - 1) * p
    lower = int(position) + 1
    fraction = position - int(position)
    upper = lower + 1 if fraction else lower
    return float(at[lower] + fraction * (at[upper] - at[lower]))

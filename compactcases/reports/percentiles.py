"""Exact percentiles in SQL, the same on SQLite and PostgreSQL.

Percentiles are exact, by linear interpolation between the two nearest ranks (the definition
of PostgreSQL's percentile_cont): for n values sorted ascending, the p-th percentile sits at
position h = (n - 1) * p (counting from 0), and is x[floor h] plus (h - floor h) times
(x[floor h + 1] - x[floor h]). Both databases run the same GROUP BY on (group, value), which
returns one row per distinct value; the ranks are found by adding up the counts.
"""

from __future__ import annotations

from fractions import Fraction

import sqlalchemy as sa

from ..extensions import db

# Percentiles asked for, as exact fractions so that positions are integer arithmetic in SQL.
MEDIAN = Fraction(1, 2)
P90 = Fraction(9, 10)


def histograms(
    key: sa.ColumnElement | None, days: sa.ColumnElement, query: sa.Select
) -> dict[object, list[tuple[int, int]]]:
    """{group: [(value, how many rows have it), ...] ascending} of `days` over `query`'s rows,
    grouped by `key` (None: one group, keyed None), in one GROUP BY.

    `query` must select from the rows to measure. Only one row per distinct (group, value)
    leaves the database: working days take few values, so this is small however many cases.
    """
    keys = (key,) if key is not None else ()
    rows = db.session.execute(
        query.add_columns(*keys, days, sa.func.count()).group_by(*keys, days)
    ).all()
    found: dict[object, list[tuple[int, int]]] = {}
    for row in rows:
        group = row[0] if key is not None else None
        value, count = row[-2], row[-1]
        found.setdefault(group, []).append((int(value), int(count)))
    return {group: sorted(values) for group, values in found.items()}


def merged(*parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One histogram from several (for example every level's, for all levels)."""
    counts: dict[int, int] = {}
    for part in parts:
        for value, count in part:
            counts[value] = counts.get(value, 0) + count
    return sorted(counts.items())


def percentiles_of(
    histogram: list[tuple[int, int]], fractions: tuple[Fraction, ...]
) -> tuple[int, dict[Fraction, float]]:
    """(n, {p: the p-th percentile}) of the values an ascending histogram counts."""
    n = sum(count for _, count in histogram)
    wanted = {rank for p in fractions for rank in _ranks(n, p)}
    at: dict[int, int] = {}
    seen = 0
    for value, count in histogram:
        for rank in wanted:
            if seen < rank <= seen + count:
                at[rank] = value
        seen += count
    return n, {p: interpolate(at, n, p) for p in fractions}


def percentiles_by(
    key: sa.ColumnElement | None,
    days: sa.ColumnElement,
    query: sa.Select,
    fractions: tuple[Fraction, ...],
) -> dict:
    """{group: (n, {p: value})} for `days` over `query`'s rows, grouped by `key` (None: one
    group, keyed None), from one GROUP BY on (group, days)."""
    return {
        group: percentiles_of(histogram, fractions)
        for group, histogram in histograms(key, days, query).items()
    }


def _ranks(n: int, p: Fraction) -> tuple[int, int]:
    """The 1-based ranks either side of the p-th percentile of n values."""
    position = (n - 1) * p
    lower = int(position) + 1
    return lower, lower + 1 if position - int(position) else lower


def interpolate(at: dict[int, int], n: int, p: Fraction) -> float:
    """The p-th percentile from the values at the 1-based ranks either side of it."""
    position = (n - 1) * p
    lower = int(position) + 1
    fraction = position - int(position)
    upper = lower + 1 if fraction else lower
    return float(at[lower] + fraction * (at[upper] - at[lower]))

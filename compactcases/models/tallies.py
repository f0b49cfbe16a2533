"""Report tallies: the figures the reports add up, kept per Compact and month by the database.

The reports ask the same few questions of every case: when it was raised and against which
funder, when it closed and how, how many working days it took, which areas it concerned.
Counting those over every case on every request is a scan of `cases` per report, which grows
with the archive. These four tables hold the answers already added up per Compact and calendar
month, so a report over whole months reads a few rows per Compact-month however many cases
there are:

- `tally_opened`: cases raised, by funder, and how many of those are resolved now;
- `tally_closed`: cases closed (resolved or withdrawn), by how they ended, with the outcome's
  figures summed; a closed case without its outcome row yet counts under blank outcome keys;
- `tally_days`: resolved cases with an outcome, by level and working days to resolution;
- `tally_areas`: cases raised, by area of the Compact.

Triggers on `cases`, `outcomes` and `case_areas` (not ORM events, so bulk writes count too)
keep them exact: a change takes away what the old row contributed and adds what the new row
contributes, through an upsert that adds to the stored figures. Adding commutes, so two
transactions changing the same Compact-month never lose each other's change (the upsert takes
the row's lock on PostgreSQL; SQLite has one writer). A figure may fall back to zero and its
row stay; readers leave zero rows out. A case deleted outright takes its contributions with it
(`BEFORE DELETE`, while its outcome and areas still exist; the cascade then finds no case).

`rebuild_tallies` counts everything afresh from the cases: the bulk demo seeder loads with the
triggers off and counts once at the end. The 0015 migration holds a frozen copy of this SQL;
on SQLite a later batch migration that rebuilds `cases`, `outcomes` or `case_areas` drops
their triggers and must create them again (tests/test_migrations.py checks they work).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

BLANK = ""  # the outcome keys of a closed case that has no outcome row
_KEY = sa.String(32)


class TallyOpened(db.Model):
    __tablename__ = "tally_opened"

    compact_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(primary_key=True)
    funder_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    cases: Mapped[int] = mapped_column(default=0)
    resolved: Mapped[int] = mapped_column(default=0)


class TallyClosed(db.Model):
    __tablename__ = "tally_closed"

    compact_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(_KEY, primary_key=True)
    level: Mapped[str] = mapped_column(_KEY, primary_key=True)
    outcome_type: Mapped[str] = mapped_column(_KEY, primary_key=True)
    outcome_kind: Mapped[str] = mapped_column(_KEY, primary_key=True)
    cases: Mapped[int] = mapped_column(default=0)
    funding_protected: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    jobs_safeguarded: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    notice_days_gained: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    service_users_affected: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class TallyDays(db.Model):
    __tablename__ = "tally_days"

    compact_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(_KEY, primary_key=True)
    days: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    cases: Mapped[int] = mapped_column(default=0)


class TallyArea(db.Model):
    __tablename__ = "tally_areas"

    compact_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    month: Mapped[date] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(_KEY, primary_key=True)
    cases: Mapped[int] = mapped_column(default=0)


TALLIES = (TallyOpened, TallyClosed, TallyDays, TallyArea)
FIGURES = ("funding_protected", "jobs_safeguarded", "notice_days_gained", "service_users_affected")

# --- what one row contributes --------------------------------------------------------------
# Each function gives the SELECT of the rows (at most one per key) that row `r` (a trigger's
# OLD or NEW) adds to a tally, each figure multiplied by `s` (1 or -1); `m` is the dialect's
# "first day of the month of" function.
Month = Callable[[str], str]
Part = Callable[[str, str, Month], str]


def _closed(c: str) -> str:
    return f"{c}.closed_on IS NOT NULL AND {c}.state IN ('resolved', 'withdrawn')"


def _resolved_and_measured(c: str) -> str:
    return (
        f"{c}.state = 'resolved' AND {c}.closed_on IS NOT NULL"
        f" AND {c}.working_days_to_close IS NOT NULL"
    )


def _figures(o: str, s: str) -> str:
    return ", ".join(f"{s} * coalesce({o}.{f}, 0)" for f in FIGURES)


def opened_by_case(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT {r}.compact_id, {m(r + '.raised_on')}, {r}.funder_id, {s},"
        f" {s} * CASE WHEN {r}.state = 'resolved' THEN 1 ELSE 0 END WHERE {r}.id IS NOT NULL"
    )


def closed_by_case(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT {r}.compact_id, {m(r + '.closed_on')}, {r}.state, coalesce(o.level, ''),"
        f" coalesce(o.outcome_type, ''), coalesce(o.kind, ''), {s}, {_figures('o', s)}"
        f" FROM (SELECT 1 AS one) AS one LEFT JOIN outcomes o ON o.case_id = {r}.id"
        f" WHERE {_closed(r)}"
    )


def closed_by_outcome(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT c.compact_id, {m('c.closed_on')}, c.state, {r}.level,"
        f" coalesce({r}.outcome_type, ''), {r}.kind, {s}, {_figures(r, s)}"
        f" FROM cases c WHERE c.id = {r}.case_id AND {_closed('c')}"
    )


def closed_without_outcome(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT c.compact_id, {m('c.closed_on')}, c.state, '', '', '', {s}, 0, 0, 0, 0"
        f" FROM cases c WHERE c.id = {r}.case_id AND {_closed('c')}"
    )


def days_by_case(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT {r}.compact_id, {m(r + '.closed_on')}, o.level, {r}.working_days_to_close, {s}"
        f" FROM outcomes o WHERE o.case_id = {r}.id AND {_resolved_and_measured(r)}"
    )


def days_by_outcome(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT c.compact_id, {m('c.closed_on')}, {r}.level, c.working_days_to_close, {s}"
        f" FROM cases c WHERE c.id = {r}.case_id AND {_resolved_and_measured('c')}"
    )


def areas_by_case(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT {r}.compact_id, {m(r + '.raised_on')}, a.area, {s}"
        f" FROM case_areas a WHERE a.case_id = {r}.id"
    )


def areas_by_area(r: str, s: str, m: Month) -> str:
    return (
        f"SELECT c.compact_id, {m('c.raised_on')}, {r}.area, {s}"
        f" FROM cases c WHERE c.id = {r}.case_id"
    )


def _upsert(tally: type[db.Model], select: str) -> str:
    table = tally.__table__
    keys = [c.name for c in table.primary_key.columns]
    figures = [c.name for c in table.columns if c.name not in keys]
    adds = ", ".join(f"{f} = {table.name}.{f} + excluded.{f}" for f in figures)
    columns = ", ".join(keys + figures)
    return (
        f"INSERT INTO {table.name} ({columns}) {select}"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}"
    )


# What each table's rows contribute, and to which tally.
_CASE_PARTS = (
    (TallyOpened, opened_by_case),
    (TallyClosed, closed_by_case),
    (TallyDays, days_by_case),
    (TallyArea, areas_by_case),
)
_OUTCOME_PARTS = ((TallyClosed, closed_by_outcome), (TallyDays, days_by_outcome))
_AREA_PARTS = ((TallyArea, areas_by_area),)
# The columns whose change moves a case's contributions.
_CASE_COLUMNS = (
    "compact_id",
    "raised_on",
    "funder_id",
    "state",
    "closed_on",
    "working_days_to_close",
)


def _changes(parts, row: str, sign: str, m: Month) -> list[str]:
    return [_upsert(tally, part(row, sign, m)) for tally, part in parts]


def _statements(m: Month) -> dict[tuple[str, str], list[str]]:
    """For each (table, operation) the statements its trigger runs, in order."""
    removed, added = "-1", "1"
    # An outcome row moves its closed case from the blank outcome keys to its own, and back.
    blank_out = _upsert(TallyClosed, closed_without_outcome("NEW", removed, m))
    blank_in = _upsert(TallyClosed, closed_without_outcome("OLD", added, m))
    return {
        ("cases", "INSERT"): _changes(_CASE_PARTS, "NEW", added, m),
        ("cases", "UPDATE"): _changes(_CASE_PARTS, "OLD", removed, m)
        + _changes(_CASE_PARTS, "NEW", added, m),
        ("cases", "DELETE"): _changes(_CASE_PARTS, "OLD", removed, m),
        ("outcomes", "INSERT"): [blank_out, *_changes(_OUTCOME_PARTS, "NEW", added, m)],
        ("outcomes", "UPDATE"): _changes(_OUTCOME_PARTS, "OLD", removed, m)
        + _changes(_OUTCOME_PARTS, "NEW", added, m),
        ("outcomes", "DELETE"): [*_changes(_OUTCOME_PARTS, "OLD", removed, m), blank_in],
        ("case_areas", "INSERT"): _changes(_AREA_PARTS, "NEW", added, m),
        ("case_areas", "UPDATE"): _changes(_AREA_PARTS, "OLD", removed, m)
        + _changes(_AREA_PARTS, "NEW", added, m),
        ("case_areas", "DELETE"): _changes(_AREA_PARTS, "OLD", removed, m),
    }


def _sqlite_month(column: str) -> str:
    return f"date({column}, 'start of month')"


def _postgres_month(column: str) -> str:
    return f"date_trunc('month', {column})::date"


def _timing(table: str, operation: str) -> str:
    # A case's outcome and areas still exist before it is deleted; the cascade that follows
    # then finds no case, so nothing is taken away twice.
    return "BEFORE" if (table, operation) == ("cases", "DELETE") else "AFTER"


def _event(table: str, operation: str) -> str:
    if (table, operation) == ("cases", "UPDATE"):
        return f"UPDATE OF {', '.join(_CASE_COLUMNS)}"
    return operation


def sqlite_triggers() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) for SQLite: one trigger per table and operation."""
    found = []
    for (table, operation), statements in _statements(_sqlite_month).items():
        name = f"tally_{table}_{operation.lower()}"
        # Every SELECT above has a WHERE, which SQLite needs before an upsert's ON CONFLICT.
        body = "".join(f" {s};" for s in statements)
        found.append(
            (
                name,
                f"CREATE TRIGGER {name} {_timing(table, operation)} {_event(table, operation)}"
                f" ON {table} FOR EACH ROW BEGIN{body} END",
            )
        )
    return found


def postgres_triggers() -> list[tuple[str, str, str, str]]:
    """(table, name, function, trigger) for PostgreSQL: a function and trigger per table and
    operation, each statement run from PL/pgSQL."""
    found = []
    for (table, operation), statements in _statements(_postgres_month).items():
        name = f"tally_{table}_{operation.lower()}"
        body = " ".join(f"{s};" for s in statements)
        returned = "OLD" if _timing(table, operation) == "BEFORE" else "NULL"
        found.append(
            (
                table,
                name,
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS TRIGGER LANGUAGE plpgsql AS $$"
                f" BEGIN {body} RETURN {returned}; END $$",
                f"CREATE TRIGGER {name} {_timing(table, operation)} {_event(table, operation)}"
                f" ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()",
            )
        )
    return found


# --- counting afresh -----------------------------------------------------------------------


def _rebuild_statements(m: Month) -> list[str]:
    figures = ", ".join(f"sum(coalesce(o.{f}, 0))" for f in FIGURES)
    return [
        "INSERT INTO tally_opened (compact_id, month, funder_id, cases, resolved)"
        f" SELECT compact_id, {m('raised_on')}, funder_id, count(*),"
        " sum(CASE WHEN state = 'resolved' THEN 1 ELSE 0 END) FROM cases GROUP BY 1, 2, 3",
        "INSERT INTO tally_closed (compact_id, month, state, level, outcome_type, outcome_kind,"
        f" cases, {', '.join(FIGURES)})"
        f" SELECT c.compact_id, {m('c.closed_on')}, c.state, coalesce(o.level, ''),"
        f" coalesce(o.outcome_type, ''), coalesce(o.kind, ''), count(*), {figures}"
        f" FROM cases c LEFT JOIN outcomes o ON o.case_id = c.id WHERE {_closed('c')}"
        " GROUP BY 1, 2, 3, 4, 5, 6",
        "INSERT INTO tally_days (compact_id, month, level, days, cases)"
        f" SELECT c.compact_id, {m('c.closed_on')}, o.level, c.working_days_to_close, count(*)"
        " FROM cases c JOIN outcomes o ON o.case_id = c.id"
        f" WHERE {_resolved_and_measured('c')} GROUP BY 1, 2, 3, 4",
        "INSERT INTO tally_areas (compact_id, month, area, cases)"
        f" SELECT c.compact_id, {m('c.raised_on')}, a.area, count(*)"
        " FROM cases c JOIN case_areas a ON a.case_id = c.id GROUP BY 1, 2, 3",
    ]


def _month_function(connection: sa.Connection) -> Month:
    return _postgres_month if connection.dialect.name == "postgresql" else _sqlite_month


def rebuild_tallies(connection: sa.Connection) -> None:
    """Count every tally afresh from the cases, their outcomes and areas."""
    for tally in TALLIES:
        connection.execute(sa.delete(tally))
    for statement in _rebuild_statements(_month_function(connection)):
        connection.exec_driver_sql(statement)


def create_tally_triggers(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        for _table, _name, function, trigger in postgres_triggers():
            connection.exec_driver_sql(function)
            connection.exec_driver_sql(trigger)
    else:
        for _name, trigger in sqlite_triggers():
            connection.exec_driver_sql(trigger)


def drop_tally_triggers(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        for table, name, _function, _trigger in postgres_triggers():
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name, _trigger in sqlite_triggers():
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


def _create(_metadata: sa.MetaData, connection: sa.Connection, **_) -> None:
    # `create_all` may run over tables that already exist: start the triggers afresh.
    drop_tally_triggers(connection)
    create_tally_triggers(connection)


def _drop(_metadata: sa.MetaData, connection: sa.Connection, **_) -> None:
    if sa.inspect(connection).has_table("cases"):
        drop_tally_triggers(connection)


sa.event.listen(db.metadata, "after_create", _create)
sa.event.listen(db.metadata, "before_drop", _drop)

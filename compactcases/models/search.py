"""The text index behind case search: one `case_search` entry per case holding its reference,
title, summary and the names of its two parties, kept in step by the database's own triggers.

PostgreSQL keeps a weighted `tsvector` in a table with a GIN index; SQLite an FTS5 virtual table
whose rowid is the case's id. Triggers (not ORM events) keep it current, so bulk inserts, the
demo seeder and a renamed organisation are indexed as surely as a form's save.

Neither shape can be declared as a SQLAlchemy table that both databases share, so the index is
created and dropped beside the models' tables (`create_all` and `drop_all` here, the 0009
migration for real databases) and left out of schema comparison by `include_name`.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db

SEARCH_TABLE = "case_search"

# The reference is indexed as its parts ("BIR 2026 0007") so that a query for the full
# reference or only its number finds it; weights rank a match in the reference or title first.
POSTGRES_CREATE = (
    """
    CREATE TABLE case_search (
        case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
        document TSVECTOR NOT NULL
    )
    """,
    "CREATE INDEX ix_case_search_document ON case_search USING GIN (document)",
    """
    CREATE FUNCTION case_search_document(
        reference TEXT, title TEXT, summary TEXT, funder TEXT, third_sector TEXT
    ) RETURNS TSVECTOR LANGUAGE SQL IMMUTABLE AS $$
        SELECT setweight(to_tsvector('simple', replace(reference, '-', ' ')), 'A')
            || setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', funder || ' ' || third_sector), 'B')
            || setweight(to_tsvector('english', summary), 'C')
    $$
    """,
    """
    CREATE FUNCTION case_search_case_changed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO case_search (case_id, document)
        SELECT NEW.id, case_search_document(NEW.reference, NEW.title, NEW.summary, f.name, t.name)
        FROM organisations f, organisations t
        WHERE f.id = NEW.funder_id AND t.id = NEW.third_sector_id
        ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION case_search_party_renamed() RETURNS TRIGGER LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE case_search s
        SET document = case_search_document(c.reference, c.title, c.summary, f.name, t.name)
        FROM cases c, organisations f, organisations t
        WHERE s.case_id = c.id AND f.id = c.funder_id AND t.id = c.third_sector_id
          AND (c.funder_id = NEW.id OR c.third_sector_id = NEW.id);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER case_search_case_changed
    AFTER INSERT OR UPDATE OF reference, title, summary, funder_id, third_sector_id ON cases
    FOR EACH ROW EXECUTE FUNCTION case_search_case_changed()
    """,
    """
    CREATE TRIGGER case_search_party_renamed
    AFTER UPDATE OF name ON organisations
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION case_search_party_renamed()
    """,
)
POSTGRES_DROP = (
    "DROP TRIGGER IF EXISTS case_search_party_renamed ON organisations",
    "DROP TRIGGER IF EXISTS case_search_case_changed ON cases",
    "DROP FUNCTION IF EXISTS case_search_party_renamed()",
    "DROP FUNCTION IF EXISTS case_search_case_changed()",
    "DROP TABLE IF EXISTS case_search",
    "DROP FUNCTION IF EXISTS case_search_document(TEXT, TEXT, TEXT, TEXT, TEXT)",
)

_SQLITE_ENTRY = """
    INSERT INTO case_search (rowid, reference, title, summary, parties)
    SELECT c.id, c.reference, c.title, c.summary, f.name || ' ' || t.name
    FROM cases c
    JOIN organisations f ON f.id = c.funder_id
    JOIN organisations t ON t.id = c.third_sector_id
    WHERE {where};
"""
# Porter stemming matches PostgreSQL's English configuration closely enough ("clubs" finds
# "club"); the prefix indexes make the prefix terms every query word becomes cheap.
SQLITE_CREATE = (
    """
    CREATE VIRTUAL TABLE case_search USING fts5(
        reference, title, summary, parties,
        tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3'
    )
    """,
    "CREATE TRIGGER case_search_case_added AFTER INSERT ON cases BEGIN"
    + _SQLITE_ENTRY.format(where="c.id = NEW.id")
    + "END",
    "CREATE TRIGGER case_search_case_changed"
    " AFTER UPDATE OF reference, title, summary, funder_id, third_sector_id ON cases BEGIN"
    " DELETE FROM case_search WHERE rowid = OLD.id;"
    + _SQLITE_ENTRY.format(where="c.id = NEW.id")
    + "END",
    "CREATE TRIGGER case_search_case_removed AFTER DELETE ON cases BEGIN"
    " DELETE FROM case_search WHERE rowid = OLD.id; END",
    "CREATE TRIGGER case_search_party_renamed AFTER UPDATE OF name ON organisations"
    " WHEN OLD.name IS NOT NEW.name BEGIN"
    " DELETE FROM case_search WHERE rowid IN"
    " (SELECT id FROM cases WHERE funder_id = NEW.id OR third_sector_id = NEW.id);"
    + _SQLITE_ENTRY.format(where="c.funder_id = NEW.id OR c.third_sector_id = NEW.id")
    + "END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS case_search_party_renamed",
    "DROP TRIGGER IF EXISTS case_search_case_removed",
    "DROP TRIGGER IF EXISTS case_search_case_changed",
    "DROP TRIGGER IF EXISTS case_search_case_added",
    "DROP TABLE IF EXISTS case_search",
)


def create_search_index(connection: sa.Connection) -> None:
    """Create the index, its triggers and its entries for the cases already there."""
    if connection.dialect.name == "postgresql":
        for statement in POSTGRES_CREATE:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(
            "INSERT INTO case_search (case_id, document)"
            " SELECT c.id, case_search_document(c.reference, c.title, c.summary, f.name, t.name)"
            " FROM cases c JOIN organisations f ON f.id = c.funder_id"
            " JOIN organisations t ON t.id = c.third_sector_id"
        )
    else:
        for statement in SQLITE_CREATE:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(_SQLITE_ENTRY.format(where="1 = 1"))


def drop_search_index(connection: sa.Connection) -> None:
    statements = POSTGRES_DROP if connection.dialect.name == "postgresql" else SQLITE_DROP
    for statement in statements:
        connection.exec_driver_sql(statement)


def _triggers(dialect: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(create, drop) statements of the triggers alone, for `dialect`."""
    if dialect == "postgresql":
        return POSTGRES_CREATE[-2:], POSTGRES_DROP[:2]
    return SQLITE_CREATE[1:], SQLITE_DROP[:4]


def stop_indexing(connection: sa.Connection) -> int:
    """Turn the triggers off for a bulk load; returns the last case id indexed so far, to give
    to `index_cases_after` when the load is done."""
    for statement in _triggers(connection.dialect.name)[1]:
        connection.exec_driver_sql(statement)
    return connection.execute(sa.text("SELECT coalesce(max(id), 0) FROM cases")).scalar_one()


def index_cases_after(connection: sa.Connection, last_id: int) -> None:
    """Index every case added after `last_id` in one statement, and turn the triggers on."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                "INSERT INTO case_search (case_id, document)"
                " SELECT c.id,"
                " case_search_document(c.reference, c.title, c.summary, f.name, t.name)"
                " FROM cases c JOIN organisations f ON f.id = c.funder_id"
                " JOIN organisations t ON t.id = c.third_sector_id WHERE c.id > :last"
                " ON CONFLICT (case_id) DO NOTHING"
            ),
            {"last": last_id},
        )
    else:
        connection.execute(
            sa.text(_SQLITE_ENTRY.format(where="c.id > :last").rstrip().rstrip(";")),
            {"last": last_id},
        )
    for statement in _triggers(connection.dialect.name)[0]:
        connection.exec_driver_sql(statement)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """For schema comparison (tests and `flask db migrate`): leave out the search index and, on
    SQLite, the shadow tables FTS5 keeps for it (`case_search_data`, `..._idx`, ...), which
    are not models and would otherwise read as tables to drop."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def _rebuild(_metadata: sa.MetaData, connection: sa.Connection, **_) -> None:
    # `create_all` may run over tables that already exist: start the index afresh.
    drop_search_index(connection)
    create_search_index(connection)


def _drop(_metadata: sa.MetaData, connection: sa.Connection, **_) -> None:
    drop_search_index(connection)


sa.event.listen(db.metadata, "after_create", _rebuild)
sa.event.listen(db.metadata, "before_drop", _drop)

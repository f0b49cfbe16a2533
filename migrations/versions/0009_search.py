"""Case search index: PostgreSQL full text (tsvector, GIN) or SQLite FTS5, kept by triggers

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 09:00:00.000000

The statements are frozen copies of compactcases/models/search.py as it stood for this
revision. On SQLite the triggers belong to `cases` and `organisations`: a later batch migration
that rebuilds either table drops them, and must create them again (tests/test_migrations.py
checks that a case added after upgrading is found).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

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
    """
    INSERT INTO case_search (case_id, document)
    SELECT c.id, case_search_document(c.reference, c.title, c.summary, f.name, t.name)
    FROM cases c
    JOIN organisations f ON f.id = c.funder_id
    JOIN organisations t ON t.id = c.third_sector_id
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
    _SQLITE_ENTRY.format(where="1 = 1"),
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS case_search_party_renamed",
    "DROP TRIGGER IF EXISTS case_search_case_removed",
    "DROP TRIGGER IF EXISTS case_search_case_changed",
    "DROP TRIGGER IF EXISTS case_search_case_added",
    "DROP TABLE IF EXISTS case_search",
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    for statement in POSTGRES_CREATE if _postgres() else SQLITE_CREATE:
        op.execute(statement)


def downgrade():
    for statement in POSTGRES_DROP if _postgres() else SQLITE_DROP:
        op.execute(statement)

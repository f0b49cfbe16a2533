"""The migrations build, on an empty database, exactly the schema the models declare."""

from __future__ import annotations

import ast
import importlib.util
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from compactcases import create_app
from compactcases.config import TestConfig
from compactcases.extensions import db
from compactcases.models import Case, CaseEvent, CaseEventKind, Outcome, OutcomeKind, utcnow
from compactcases.models import search as search_index
from tests.app.test_report_tallies import counted_afresh, stored_tallies
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from workflows.dispute import State
from workflows.outcomes import Breach, Level, OutcomeType


@pytest.fixture
def empty_database_url(database_reason, tmp_path):
    """A new, empty database of the kind under test, removed afterwards."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(TEST_DATABASE_URL).set(database=name).render_as_string(False)
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _every_enum_value_is_accepted() -> None:
    """Enum columns are VARCHAR with a CHECK constraint, which autogenerate does not compare:
    a member added to an enum without widening its constraint would fail only in production."""
    from compactcases.demo import seed

    seed()
    case_id = db.session.scalar(sa.select(Case.id).limit(1))
    for kind in CaseEventKind:
        db.session.execute(
            sa.insert(CaseEvent.__table__).values(case_id=case_id, kind=kind, occurred_at=utcnow())
        )
    for state in State:
        db.session.execute(sa.update(Case.__table__).where(Case.id == case_id).values(state=state))
    outcome_id = db.session.scalar(sa.select(Outcome.id).limit(1))
    for column, members in (
        ("kind", OutcomeKind),
        ("level", Level),
        ("outcome_type", OutcomeType),
        ("breach_found", Breach),
    ):
        for member in members:
            db.session.execute(
                sa.update(Outcome.__table__)
                .where(Outcome.id == outcome_id)
                .values({column: member.value})
            )
    db.session.commit()


def _cases_added_after_upgrading_are_indexed() -> None:
    """The index's triggers survived every later revision (on SQLite a batch migration that
    rebuilds `cases` drops them): each case added by the demo has its entry."""
    with db.engine.connect() as connection:
        cases = connection.execute(sa.text("SELECT count(*) FROM cases")).scalar_one()
        entries = connection.execute(sa.text("SELECT count(*) FROM case_search")).scalar_one()
    assert cases > 0
    assert entries == cases


def _cases_added_after_upgrading_are_tallied() -> None:
    """The report tallies' triggers survived every later revision: what they hold after the
    demo was added through them is what counting afresh finds."""
    with db.engine.connect() as connection:
        stored = stored_tallies(connection)
        assert stored == counted_afresh(connection)
    assert sum(row[-2] for row in stored["tally_opened"]) > 0


def test_upgrade_on_an_empty_database_matches_the_models(empty_database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # The search index is no model (see compactcases/models/search.py): left out here
            # as it is for `flask db migrate`, and checked below by what it finds.
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": search_index.include_name}
            )
            differences = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert differences == []
        assert {"cases", "case_events", "compacts", "organisations", "users"} <= tables
        _every_enum_value_is_accepted()
        _cases_added_after_upgrading_are_indexed()
        _cases_added_after_upgrading_are_tallied()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) == {"alembic_version"}
        db.engine.dispose()


MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_migration_imports_the_application_or_the_rules():
    """A revision computes with code frozen inside it: importing live code would let a later
    change alter what an old revision does."""
    versions = sorted((MIGRATIONS / "versions").glob("*.py"))
    assert versions
    for path in versions:
        live = {
            name
            for name in _imported_modules(path)
            if name.split(".")[0] in {"compactcases", "workflows"}
        }
        assert live == set(), f"{path.name} imports {sorted(live)}"


def _outcomes_revision():
    path = MIGRATIONS / "versions" / "0004_outcomes.py"
    spec = importlib.util.spec_from_file_location("outcomes_revision", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("raised", "closed", "days"),
    [
        (date(2026, 3, 2), date(2026, 3, 9), 5),  # a plain week
        (date(2026, 3, 30), date(2026, 4, 7), 4),  # Good Friday and Easter Monday 2026
        (date(2026, 12, 21), date(2027, 1, 4), 7),  # Christmas, Boxing Day's substitute, New Year
        (date(2022, 6, 1), date(2022, 6, 6), 1),  # the Platinum Jubilee's two days
        (date(2022, 9, 16), date(2022, 9, 20), 1),  # the State Funeral
        (date(2023, 5, 5), date(2023, 5, 9), 1),  # the Coronation
        (date(2026, 3, 9), date(2026, 3, 2), -5),  # counted backwards
        (date(2026, 3, 2), date(2026, 3, 2), 0),
    ],
)
def test_the_outcomes_revision_counts_working_days_as_they_were_counted(raised, closed, days):
    assert _outcomes_revision()._working_days_between(raised, closed) == days


def test_the_outcomes_revision_fills_in_the_working_days_of_cases_already_closed(
    empty_database_url,
):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade(revision="0003")
        now = utcnow()
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO regions (id, code, name) VALUES (1, 'WM', 'W')")
            )
            connection.execute(
                sa.text(
                    "INSERT INTO compacts (id, code, name, tier, region_id)"
                    " VALUES (1, 'BIR', 'Birmingham', 'upper', 1)"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO organisations (id, name, kind, type, region_id) VALUES"
                    " (1, 'Council', 'statutory', 'council', 1),"
                    " (2, 'Youth', 'third_sector', 'charity', 1)"
                )
            )
            for case_id, closed_on in ((1, date(2027, 1, 4)), (2, None)):
                connection.execute(
                    sa.text(
                        "INSERT INTO cases (id, reference, compact_id, title, summary, funder_id,"
                        " third_sector_id, raised_by, state, raised_on, closed_on, created_at,"
                        " updated_at, version) VALUES (:id, :reference, 1, 'A dispute', 'Why',"
                        " 1, 2, 'third_sector', :state, :raised_on, :closed_on, :now, :now, 1)"
                    ),
                    {
                        "id": case_id,
                        "reference": f"BIR-2026-000{case_id}",
                        "state": "resolved" if closed_on else "raised",
                        "raised_on": date(2026, 12, 21),
                        "closed_on": closed_on,
                        "now": now,
                    },
                )
        upgrade(revision="0004")
        with db.engine.connect() as connection:
            counted = dict(
                connection.execute(
                    sa.text("SELECT id, working_days_to_close FROM cases ORDER BY id")
                ).all()
            )
        # 22 December 2026 to 4 January 2027 less Christmas, Boxing Day's substitute and New Year.
        assert counted == {1: 7, 2: None}
        upgrade()
        with db.engine.connect() as connection:
            # The search revision indexed the cases already there.
            indexed = connection.execute(sa.text("SELECT count(*) FROM case_search")).scalar_one()
        assert indexed == 2
        with db.engine.connect() as connection:
            # The tallies revision counted the cases already there: both raised in December
            # 2026, one resolved in January 2027.
            opened = connection.execute(sa.text("SELECT month, cases FROM tally_opened")).all()
            closed = connection.execute(
                sa.text("SELECT month, state, cases FROM tally_closed")
            ).all()
        assert [(str(m)[:10], n) for m, n in opened] == [("2026-12-01", 2)]
        assert [(str(m)[:10], state, n) for m, state, n in closed] == [
            ("2027-01-01", "resolved", 1)
        ]
        downgrade(revision="base")
        db.engine.dispose()

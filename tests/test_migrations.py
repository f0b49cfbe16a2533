"""The migrations build, on an empty database, exactly the schema the models declare."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from compactcases import create_app
from compactcases.config import TestConfig
from compactcases.extensions import db
from compactcases.models import Case, CaseEvent, CaseEventKind, Outcome, OutcomeKind, utcnow
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


def test_upgrade_on_an_empty_database_matches_the_models(empty_database_url):
    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_url

    app = create_app(Config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            tables = set(sa.inspect(connection).get_table_names())
        assert differences == []
        assert {"cases", "case_events", "compacts", "organisations", "users"} <= tables
        _every_enum_value_is_accepted()
        downgrade(revision="base")
        with db.engine.connect() as connection:
            assert set(sa.inspect(connection).get_table_names()) == {"alembic_version"}
        db.engine.dispose()

"""The backup the README describes, run for real: pg_dump a seeded database in custom format,
pg_restore it into a new one, and find every table's rows and the migration revision there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(
    not ON_POSTGRES or shutil.which("pg_dump") is None,
    reason="backups are of PostgreSQL, with its pg_dump and pg_restore",
)

ROOT = Path(__file__).resolve().parents[2]


def _recreate(admin: sa.Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))


def _drop(admin: sa.Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _contents(url: str) -> dict[str, int | str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            found: dict[str, int | str] = {
                table: connection.scalar(sa.text(f'SELECT count(*) FROM "{table}"'))
                for table in tables
            }
            found["revision"] = connection.scalar(
                sa.text("SELECT version_num FROM alembic_version")
            )
    finally:
        engine.dispose()
    return found


def test_a_dump_restores_into_a_new_database_with_everything_in_it(tmp_path):
    url = sa.engine.make_url(TEST_DATABASE_URL)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    source_name, restored_name = f"{url.database}_backup", f"{url.database}_restored"
    source = url.set(database=source_name).render_as_string(hide_password=False)
    restored = url.set(database=restored_name).render_as_string(hide_password=False)
    _recreate(admin, source_name)
    _recreate(admin, restored_name)
    try:
        env = {**os.environ, "DATABASE_URL": source, "COMPACTCASES_ENV": "development"}
        flask = [sys.executable, "-m", "flask", "--app", "app"]
        for command in (["db", "upgrade"], ["demo", "seed"]):
            subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)
        dump = tmp_path / "compactcases.dump"
        # pg_dump and pg_restore take libpq's own URLs, without SQLAlchemy's driver name.
        libpq = url.set(drivername="postgresql")
        source_libpq = libpq.set(database=source_name).render_as_string(hide_password=False)
        restored_libpq = libpq.set(database=restored_name).render_as_string(hide_password=False)
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={dump}", source_libpq],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={restored_libpq}", str(dump)],
            check=True,
            capture_output=True,
        )
        before, after = _contents(source), _contents(restored)
        assert before["cases"] > 0 and before["reminders"] >= 0
        assert after == before
    finally:
        _drop(admin, source_name)
        _drop(admin, restored_name)
        admin.dispose()

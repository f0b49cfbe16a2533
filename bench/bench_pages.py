"""Benchmark: the fixed cost of one signed-in page, through the Flask test client, with the
number of SQL statements each page issues.

Builds a SQLite file (or the PostgreSQL database named) with the migrations and the demo's
standard set, signs in as the administrator, then requests the case list and a case page
in interleaved rounds and prints the median wall time, the median CPU time of this process
(which, with SQLite in the same process, includes the database's work and is steadier than wall
time on a shared machine) and the statement count of each.
With --profile it prints a pyinstrument profile of each page instead (pyinstrument is not a
dependency of the project; install it where this script can import it).

Run: PYTHONPATH=. .venv/bin/python bench/bench_pages.py [--rounds 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from compactcases import create_app
from compactcases.config import DevelopmentConfig, database_url
from compactcases.demo import seed
from compactcases.extensions import db

PASSWORD = "bench pages password"
EMAIL = "admin@example.org"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = database_url(args.database_url or f"sqlite:///{Path(folder) / 'pages.db'}")

        class Config(DevelopmentConfig):
            SQLALCHEMY_DATABASE_URI = url
            SCHEDULER_ENABLED = False
            # As production runs: templates are not re-read from disk on every request.
            TEMPLATES_AUTO_RELOAD = False
            DEBUG = False

        app = create_app(Config)
        app.jinja_env.auto_reload = False
        with app.app_context():
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            upgrade()
            seed()
            with db.engine.begin() as connection:
                connection.execute(
                    sa.text("UPDATE users SET password_hash = :hash"),
                    {"hash": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")},
                )
                reference = connection.scalar(
                    sa.text("SELECT reference FROM cases ORDER BY id LIMIT 1")
                )
            db.session.remove()
            engine = db.engine

        client = app.test_client()
        page = client.get("/sign-in").get_data(as_text=True)
        token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
        answer = client.post(
            "/sign-in", data={"csrf_token": token, "email": EMAIL, "password": PASSWORD}
        )
        assert answer.status_code == 302, answer.status_code

        statements = []
        sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        pages = [("case list /cases", "/cases"), ("case page", f"/cases/{reference}")]
        counts = {}
        for label, path in pages:
            for _ in range(3):
                assert client.get(path).status_code == 200
            statements.clear()
            client.get(path)
            counts[label] = len(statements)

        if args.profile:
            from pyinstrument import Profiler

            for label, path in pages:
                profiler = Profiler(interval=0.0005)
                profiler.start()
                for _ in range(50):
                    client.get(path)
                profiler.stop()
                print(f"== {label}, 50 requests")
                print(profiler.output_text(unicode=False, color=False, show_all=False))
            return

        wall = {label: [] for label, _ in pages}
        cpu = {label: [] for label, _ in pages}
        for _ in range(args.rounds):
            for label, path in pages:
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                cpu[label].append(time.process_time() - started_cpu)
                wall[label].append(time.perf_counter() - started)
        print(f"{engine.dialect.name}, {args.rounds} rounds")
        print(f"| {'page':<18} | wall ms (median) | CPU ms (median) | SQL statements |")
        print(f"| {'-' * 18} | ---------------: | --------------: | -------------: |")
        for label, _ in pages:
            print(
                f"| {label:<18} | {statistics.median(wall[label]) * 1000:>16.2f} "
                f"| {statistics.median(cpu[label]) * 1000:>15.2f} | {counts[label]:>14} |"
            )


if __name__ == "__main__":
    main()

"""Benchmark: importing a spreadsheet of historical cases, in rows a second, against the demo
seeder's bulk load of as many generated cases (Core inserts with the search and tally triggers
off: the fastest way this application knows to add cases).

Scenarios: the file checked only (a dry run), imported into an empty region (every row a new
case with its timeline, outcome or stage deadline), and imported again (every row unchanged).

Run: PYTHONPATH=. .venv/bin/python bench/bench_import.py [--rows 10000] [--database-url URL]
With no --database-url it uses a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.record import record
from compactcases import create_app
from compactcases.config import DevelopmentConfig, database_url
from compactcases.demo import seed
from compactcases.extensions import db
from compactcases.imports.columns import headers
from compactcases.imports.services import run_import
from compactcases.models import Case, ImportKind

STATES = ("resolved", "resolved", "withdrawn", "raised", "local_conciliation", "regional_mediation")


def spreadsheet(rows: int) -> bytes:
    """`rows` historical Birmingham cases, dates in the three written styles."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers(ImportKind.CASES), restval="")
    writer.writeheader()
    styles = (lambda d: d.strftime("%d/%m/%Y"), date.isoformat, lambda d: f"{d.day} {d:%B %Y}")
    for i in range(rows):
        raised = date(2012, 1, 2) + timedelta(days=(i * 7) % 4700)
        state = STATES[i % len(STATES)]
        escalated = raised + timedelta(days=30) if state == "regional_mediation" else None
        closed = raised + timedelta(days=60) if state in ("resolved", "withdrawn") else None
        shown = styles[i % 3]
        writer.writerow(
            {
                "source_reference": f"LOG-{i:06d}",
                "compact": "BIR",
                "title": f"Grant ended with short notice ({i})",
                "summary": "The council ended the grant with six weeks' notice.",
                "funder": "Birmingham City Council",
                "third_sector_organisation": "Sparkbrook Youth Project",
                "areas": "funding; consultation" if i % 2 else "funding",
                "amount_at_stake": f"£{(i % 90 + 10) * 1000:,}",
                "raised_on": shown(raised),
                "state": state,
                "escalated_on": shown(escalated) if escalated else "",
                "closed_on": shown(closed) if closed else "",
                "outcome_type": "funding_reinstated" if state == "resolved" else "",
                "breach_found": "yes" if state == "resolved" else "",
                "funding_protected": "£12,000" if state == "resolved" else "",
                "withdrawal_reason": "Settled between the parties" if state == "withdrawn" else "",
            }
        )
    return out.getvalue().encode("utf-8")


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}")

        class Config(DevelopmentConfig):
            SQLALCHEMY_DATABASE_URI = url
            SCHEDULER_ENABLED = False

        app = create_app(Config)
        with app.app_context():
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            upgrade()
            seed()
            dialect = db.engine.dialect.name
            content = spreadsheet(args.rows)
            n = args.rows

            def load(**options):
                return lambda: run_import(ImportKind.CASES, "log.csv", content, None, **options)

            checked, summary = timed(load(dry_run=True))
            assert summary.errors == [], summary.errors[:3]
            imported, summary = timed(load())
            assert summary.created == n, summary
            again, summary = timed(load())
            assert summary.unchanged == n, summary
            floor, _ = timed(lambda: seed(cases=n))
            total = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
            print(f"{dialect}: {n:,} case rows; {total:,} cases stored at the end")
            print(f"{'scenario':<34} {'seconds':>8} {'rows/s':>9} {'floor':>8} {'ratio':>6}")
            for name, seconds, base in (
                ("check only (dry run)", checked, 0.0),
                ("import, every row new", imported, floor),
                ("import again, every row unchanged", again, 0.0),
            ):
                rate = f"{n / seconds:,.0f} rows/s"
                ratio = f"{seconds / base:6.2f}" if base else "     -"
                print(f"{name:<34} {seconds:8.2f} {rate:>9} {base or 0:8.2f} {ratio}")
                record("import", f"{name} ({dialect})", seconds, base, f"{n:,} rows, {rate}")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()

"""Benchmark: the reminder sweep at 10k, 100k or 1M open deadlines, against its floor.

Builds a fresh database with the migrations and seeds one open deadline on each of N cases
with a bulk INSERT ... SELECT (no ORM objects), due 3 to 45 weeks ahead, so that nothing is due
on the day swept. Then, each sweep in a process of its own so its peak RSS is its own:
- the first sweep after the bulk write, which plans every deadline (time, rows, peak RSS);
- the steady sweep, nothing new to plan and nothing due, median of interleaved rounds against
  the floor: the two hand-written indexed queries that find what is due (open deadlines whose
  plan_on has come, planned reminders whose day has come), on a plain connection.

Run: make bench (10k), make bench BENCH_SWEEP_SIZES="10000 100000 1000000", or
  PYTHONPATH=. .venv/bin/python bench/bench_sweep.py --deadlines 100000 [--database-url URL]
With no --database-url it uses a new SQLite file in a temporary folder. A PostgreSQL database
given is emptied first (its public schema is dropped).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.record import record
from compactcases import create_app
from compactcases.config import DevelopmentConfig, database_url
from compactcases.demo.bulk import indexed_and_counted_at_the_end
from compactcases.extensions import db
from compactcases.models import (
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Region,
    Role,
    Tier,
    User,
)

# A Monday; the deadlines fall due 3 to 45 weeks later.
TODAY = date(2027, 3, 1)
ROUNDS = 7

CASES = """
INSERT INTO cases (reference, compact_id, title, summary, funder_id, third_sector_id,
                   raised_by, state, officer_id, raised_on, created_at, updated_at, version)
SELECT 'BEN-' || n, :compact, 'Dispute ' || n, 'Generated for the sweep benchmark', :funder,
       :charity, 'third_sector', 'raised', :officer, :today, {now}, {now}, 1
FROM {series}
"""
DEADLINES = """
INSERT INTO deadlines (case_id, kind, rule, starts_on, period_count, period_unit, extended_by,
                       due_on, status, created_at)
SELECT id, 'acknowledge', 'acknowledge', raised_on, 5, 'working_days', 0,
       {due}, 'open', {now}
FROM cases WHERE compact_id = :compact
"""
SERIES = {
    "postgresql": "generate_series(1, :n) AS n",
    "sqlite": "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :n)"
    " SELECT n FROM s)",
}
NOW = {"postgresql": "now()", "sqlite": "datetime('now')"}
DUE = {
    "postgresql": "raised_on + (21 + id % 300)",
    "sqlite": "date(raised_on, '+' || (21 + id % 300) || ' days')",
}
FLOOR = (
    "SELECT id FROM deadlines WHERE status = 'open' AND plan_on <= :today"
    " ORDER BY plan_on LIMIT 500",
    "SELECT id FROM reminders WHERE status = 'planned' AND send_on <= :today"
    " ORDER BY send_on, id LIMIT 100",
)


def make_app(url: str):
    class Config(DevelopmentConfig):
        SQLALCHEMY_DATABASE_URI = database_url(url)
        SCHEDULER_ENABLED = False

    return create_app(Config)


def build(url: str, deadlines: int) -> float:
    """A fresh schema and `deadlines` open deadlines; returns the seconds the bulk write took."""
    app = make_app(url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        region = Region(code="BN", name="Bench")
        compact = Compact(code="BEN", name="Bench", tier=Tier.UPPER, region=region)
        parties = [
            Organisation(name=name, kind=kind, type=kind_type, region=region, compact=compact)
            for name, kind, kind_type in (
                ("Bench Council", OrganisationKind.STATUTORY, OrganisationType.COUNCIL),
                ("Bench Charity", OrganisationKind.THIRD_SECTOR, OrganisationType.CHARITY),
            )
        ]
        officer = User(
            email="officer@bench.test", name="Bench Officer", role=Role.OFFICER, active=True
        )
        officer.compact, officer.region = compact, region
        officer.set_password("not-used-here-1", method="pbkdf2:sha256:1000")
        db.session.add_all([region, compact, *parties, officer])
        db.session.commit()
        dialect = db.engine.dialect.name
        params = {
            "compact": compact.id,
            "funder": parties[0].id,
            "charity": parties[1].id,
            "officer": officer.id,
            "today": TODAY,
            "n": deadlines,
        }
        started = time.perf_counter()
        # As the demo seeder loads: search entries and report tallies written once at the end.
        with indexed_and_counted_at_the_end():
            db.session.execute(
                sa.text(CASES.format(now=NOW[dialect], series=SERIES[dialect])), params
            )
            db.session.execute(
                sa.text(DEADLINES.format(now=NOW[dialect], due=DUE[dialect])),
                {"compact": compact.id},
            )
            db.session.commit()
        if dialect == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        return time.perf_counter() - started


def child(url: str, rounds: int) -> None:
    """In a process of its own: `rounds` sweeps as of TODAY; prints their times and report
    and this process's peak RSS as JSON."""
    from compactcases.reminders.sending import sweep

    app = make_app(url)
    with app.app_context():
        times, reports = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            report = sweep(TODAY)
            times.append(time.perf_counter() - started)
            reports.append((report.planned, report.sent))
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"times": times, "reports": reports, "peak_mb": peak_kb / 1024}))


def run_child(url: str, rounds: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", "--rounds", str(rounds), "--database-url", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def floor_and_steady(url: str, rounds: int) -> tuple[list[float], list[float], float]:
    """Interleaved rounds: the floor on a plain connection, then one steady sweep."""
    from compactcases.reminders.sending import sweep

    app = make_app(url)
    with app.app_context():
        sweep(TODAY)  # warm: imports, connection pool, holiday calendar
        engine = db.engine
        floors, steadies = [], []
        with engine.connect() as connection:
            for _ in range(rounds):
                started = time.perf_counter()
                for query in FLOOR:
                    connection.execute(sa.text(query), {"today": TODAY}).all()
                connection.commit()
                floors.append(time.perf_counter() - started)
                started = time.perf_counter()
                report = sweep(TODAY)
                steadies.append(time.perf_counter() - started)
                assert (report.planned, report.sent) == (0, 0), report.summary()
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return floors, steadies, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadlines", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the steady sweep on a database an earlier run seeded and swept",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.database_url, args.rounds)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        kind = sa.engine.make_url(database_url(url)).get_backend_name()
        seeded, first = None, None
        if not args.reuse:
            seeded = build(url, args.deadlines)
            first = run_child(url, 1)
        steady_child = run_child(url, 1)
        # The floor and the steady sweep are compared in one process; run it as a child too,
        # so that this process's own seeding does not count in its peak RSS.
        output = subprocess.run(
            [sys.executable, "-c", PAIRED, url, str(args.rounds)],
            check=True,
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        ).stdout
        floors, steadies, paired_mb = json.loads(output.strip().splitlines()[-1])
    floor, steady = statistics.median(floors), statistics.median(steadies)
    n = f"{args.deadlines:,}"
    print(f"Reminder sweep on {kind}, {n} open deadlines (median of {args.rounds} rounds)")
    if first is not None:
        print(f"  bulk seeding (INSERT ... SELECT)         {seeded:9.2f} s")
        print(
            f"  first sweep after seeding                {first['times'][0]:9.2f} s"
            f"  planned {first['reports'][0][0]:,} rows, peak RSS {first['peak_mb']:.0f} MB"
        )
    print(
        f"  steady sweep, nothing to plan or send    {steady * 1000:9.2f} ms"
        f"  peak RSS {max(steady_child['peak_mb'], paired_mb):.0f} MB"
    )
    print(f"  floor (indexed queries finding due work) {floor * 1000:9.2f} ms")
    print(f"  ratio steady / floor                     {steady / floor:9.2f} x")
    peak = max(steady_child["peak_mb"], paired_mb)
    record("sweep", f"steady sweep, {n} open deadlines", steady, floor, f"{kind}, {peak:.0f} MB")
    if first is not None:
        planned = first["reports"][0][0]
        note = f"{kind}, {planned:,} rows planned, {first['peak_mb']:.0f} MB"
        record("sweep", f"first sweep, {n} open deadlines", first["times"][0], 0, note)


PAIRED = """
import json, sys
sys.argv = sys.argv[:1] + sys.argv[1:]
from bench.bench_sweep import floor_and_steady
floors, steadies, mb = floor_and_steady(sys.argv[1], int(sys.argv[2]))
print(json.dumps([floors, steadies, mb]))
"""


if __name__ == "__main__":
    main()

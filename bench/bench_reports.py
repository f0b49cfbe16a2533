"""Benchmark: every report, its CSV, the overview, the case page and the API case detail, each
against hand-written SQL giving the same answer (the floor), measured in the same run.

Seeds the demo region plus N generated cases (or reuses a database seeded by an earlier run
with --reuse), gives one case a 2,000-entry timeline, then runs interleaved rounds: in each
round every scenario runs its service once and its floor once. Prints the median of each, and
their ratio. Reports are timed at the service the page calls (`queries.report`); CSVs, the
case page and the API answer through the Flask test client, so rendering counts.

Run: make bench, or
  PYTHONPATH=. .venv/bin/python bench/bench_reports.py [--cases 10000] [--database-url URL]
      [--sqlite-file PATH] [--reuse] [--rounds 7]
With neither --database-url nor --sqlite-file it uses a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from bench.record import record
from compactcases import create_app, localtime
from compactcases.config import DevelopmentConfig, database_url
from compactcases.demo import seed, set_demo_passwords
from compactcases.extensions import db
from compactcases.models import Case, CaseEvent, CaseEventKind, User
from compactcases.reports import coverage, queries

PASSWORD = "bench-password-1"
LONG_TIMELINE = 2000

# The floors before the tallies: the plainest SQL giving each report's figures from the cases
# for an administrator over the financial year (no region, Compact or area filter).
CLOSED = "c.closed_on BETWEEN :s AND :e"
FLOORS = {
    "cases": """
        SELECT sum(CASE WHEN c.raised_on BETWEEN :s AND :e THEN 1 ELSE 0 END),
               sum(CASE WHEN c.raised_on <= :e AND (c.closed_on IS NULL OR c.closed_on > :e)
                   THEN 1 ELSE 0 END),
               sum(CASE WHEN c.state = 'resolved' AND {closed} THEN 1 ELSE 0 END),
               sum(CASE WHEN c.state = 'withdrawn' AND {closed} THEN 1 ELSE 0 END)
        FROM cases c""",
    "levels": """
        SELECT o.level, sum(CASE WHEN c.state = 'resolved' THEN 1 ELSE 0 END),
               sum(CASE WHEN c.state = 'withdrawn' THEN 1 ELSE 0 END)
        FROM cases c JOIN outcomes o ON o.case_id = c.id
        WHERE {closed} AND c.state IN ('resolved', 'withdrawn') GROUP BY o.level""",
    "time-to-resolution": """
        SELECT o.level, c.working_days_to_close, count(*)
        FROM cases c JOIN outcomes o ON o.case_id = c.id
        WHERE c.state = 'resolved' AND {closed} AND c.working_days_to_close IS NOT NULL
        GROUP BY o.level, c.working_days_to_close""",
    "outcomes": """
        SELECT o.outcome_type, count(*), coalesce(sum(o.funding_protected), 0),
               coalesce(sum(o.jobs_safeguarded), 0), coalesce(sum(o.notice_days_gained), 0),
               coalesce(sum(o.service_users_affected), 0)
        FROM cases c JOIN outcomes o ON o.case_id = c.id
        WHERE c.state = 'resolved' AND {closed} AND o.kind = 'resolved'
        GROUP BY o.outcome_type""",
    "areas": """
        SELECT a.area, count(*) FROM cases c JOIN case_areas a ON a.case_id = c.id
        WHERE c.raised_on BETWEEN :s AND :e GROUP BY a.area""",
    "funders": """
        SELECT f.name, count(*), sum(CASE WHEN c.state = 'resolved' THEN 1 ELSE 0 END)
        FROM cases c JOIN organisations f ON f.id = c.funder_id
        WHERE c.raised_on BETWEEN :s AND :e
        GROUP BY f.id, f.name ORDER BY count(*) DESC, f.name""",
    "trend": """
        SELECT CASE WHEN c.raised_on BETWEEN :s AND :e THEN {raised_month} END,
               CASE WHEN c.state = 'resolved' AND {closed} THEN {closed_month} END, count(*)
        FROM cases c
        WHERE c.raised_on BETWEEN :s AND :e OR (c.state = 'resolved' AND {closed})
        GROUP BY 1, 2""",
    "compliance": """
        SELECT f.name, count(n.id), sum(CASE WHEN n.compliant THEN 1 ELSE 0 END),
               coalesce(sum(n.shortfall_days), 0)
        FROM notices n JOIN organisations f ON f.id = n.funder_id
        WHERE coalesce(n.notice_given_on, n.opens_on) BETWEEN :s AND :e
        GROUP BY f.id, f.name ORDER BY count(n.id) DESC, f.name""",
}
# The same figures read from the monthly tallies (models/tallies.py), for the whole months
# :ms..:me of the financial year: the floor the reports are measured against now.
IN_MONTHS = "month BETWEEN :ms AND :me"
TALLY_FLOORS = {
    "cases": f"""
        SELECT (SELECT sum(cases) FROM tally_opened WHERE {IN_MONTHS}),
               (SELECT sum(cases) FROM tally_opened WHERE month <= :me)
               - (SELECT sum(cases) FROM tally_closed WHERE month <= :me),
               (SELECT sum(cases) FROM tally_closed WHERE {IN_MONTHS} AND state = 'resolved'),
               (SELECT sum(cases) FROM tally_closed WHERE {IN_MONTHS} AND state = 'withdrawn')""",
    "levels": f"""
        SELECT level, sum(CASE WHEN state = 'resolved' THEN cases ELSE 0 END),
               sum(CASE WHEN state = 'withdrawn' THEN cases ELSE 0 END)
        FROM tally_closed WHERE {IN_MONTHS} AND level <> '' GROUP BY level""",
    "time-to-resolution": f"""
        SELECT level, days, sum(cases) FROM tally_days WHERE {IN_MONTHS}
        GROUP BY level, days HAVING sum(cases) > 0""",
    "outcomes": f"""
        SELECT outcome_type, sum(cases), sum(funding_protected), sum(jobs_safeguarded),
               sum(notice_days_gained), sum(service_users_affected)
        FROM tally_closed
        WHERE {IN_MONTHS} AND state = 'resolved' AND outcome_kind = 'resolved'
        GROUP BY outcome_type""",
    "areas": f"SELECT area, sum(cases) FROM tally_areas WHERE {IN_MONTHS} GROUP BY area",
    "funders": f"""
        SELECT f.name, sum(t.cases), sum(t.resolved)
        FROM tally_opened t JOIN organisations f ON f.id = t.funder_id WHERE t.{IN_MONTHS}
        GROUP BY f.id, f.name HAVING sum(t.cases) > 0 ORDER BY 2 DESC, f.name""",
    "trend": f"""
        SELECT 'opened', month, sum(cases) FROM tally_opened WHERE {IN_MONTHS} GROUP BY month
        UNION ALL
        SELECT 'resolved', month, sum(cases) FROM tally_closed
        WHERE {IN_MONTHS} AND state = 'resolved' GROUP BY month""",
    "compliance": FLOORS["compliance"],
}
MONTH = {
    "postgresql": "to_char({}, 'YYYY-MM')",
    "sqlite": "strftime('%Y-%m', {})",
}
CASE_PAGE_FLOOR = (
    """SELECT c.*, cp.name, f.name, t.name, o.name, m.name FROM cases c
       JOIN compacts cp ON cp.id = c.compact_id
       JOIN organisations f ON f.id = c.funder_id
       JOIN organisations t ON t.id = c.third_sector_id
       LEFT JOIN users o ON o.id = c.officer_id LEFT JOIN users m ON m.id = c.mediator_id
       WHERE c.reference = :ref""",
    "SELECT area FROM case_areas WHERE case_id = :id",
    "SELECT * FROM deadlines WHERE case_id = :id ORDER BY due_on, id",
    "SELECT * FROM outcomes WHERE case_id = :id",
    "SELECT count(*) FROM case_events WHERE case_id = :id",
    """SELECT e.kind, e.event, e.from_state, e.to_state, e.reason, e.changes, e.private,
              u.name, e.occurred_at
       FROM case_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = :id
       ORDER BY e.occurred_at DESC, e.id DESC LIMIT 50""",
)


def floor_sql(name: str, dialect: str, over_cases: bool = False) -> str:
    """The floor of report `name`: over the tallies, or over the cases themselves."""
    if not over_cases:
        return TALLY_FLOORS[name]
    month = MONTH[dialect]
    return FLOORS[name].format(
        closed=CLOSED,
        raised_month=month.format("c.raised_on"),
        closed_month=month.format("c.closed_on"),
    )


def measure(scenarios: dict[str, tuple[Callable, Callable]], rounds: int, note: str = "") -> None:
    """Interleaved rounds after one warm-up of each; prints medians and ratios."""
    samples = {name: ([], []) for name in scenarios}
    for service, floor in scenarios.values():
        service(), floor()
    for _ in range(rounds):
        for name, (service, floor) in scenarios.items():
            for fn, into in ((service, samples[name][0]), (floor, samples[name][1])):
                started = time.perf_counter()
                fn()
                into.append(time.perf_counter() - started)
    print(f"{'scenario':<34} {'service ms':>11} {'floor ms':>10} {'ratio':>6}")
    for name, (served, floors) in samples.items():
        s, f = statistics.median(served), statistics.median(floors)
        print(f"{name:<34} {s * 1000:>11.1f} {f * 1000:>10.1f} {s / f:>6.2f}")
        record("reports", name, s, f, note)


def prepare(args) -> None:
    """A fresh schema seeded with the demo region and N generated cases."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    upgrade()
    started = time.perf_counter()
    seed()
    report = seed(cases=args.cases)
    print(f"seeded {report.cases_added:,} cases in {time.perf_counter() - started:.1f}s")
    case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()).limit(1))
    actors = db.session.scalars(sa.select(User.id).limit(5)).all()
    base = db.session.scalar(
        sa.select(sa.func.max(CaseEvent.occurred_at)).where(CaseEvent.case_id == case.id)
    )
    db.session.add_all(
        CaseEvent(
            case_id=case.id,
            kind=CaseEventKind.NOTE,
            reason=f"Bench note {n}: a meeting was held and the funder agreed to reply.",
            actor_id=actors[n % len(actors)],
            occurred_at=base + timedelta(minutes=n + 1),
        )
        for n in range(LONG_TIMELINE - 1)
    )
    set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sqlite-file", default=None)
    parser.add_argument("--reuse", action="store_true", help="use the data an earlier run seeded")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = args.sqlite_file or str(Path(folder) / "bench.db")
        url = database_url(args.database_url or f"sqlite:///{path}")

        class Config(DevelopmentConfig):
            SQLALCHEMY_DATABASE_URI = url
            # A script, not a server: no reminder sweeps while it measures.
            SCHEDULER_ENABLED = False

        app = create_app(Config)
        with app.app_context():
            if not args.reuse:
                prepare(args)
            dialect = db.engine.dialect.name
            admin = db.session.scalar(sa.select(User).filter_by(email="admin@example.org"))
            cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
            start, end = coverage.financial_year(localtime.today())
            filters = coverage.ReportFilters(start, end)
            params = {"s": start, "e": end, "ms": start.replace(day=1), "me": end.replace(day=1)}
            long_case, short_case = db.session.execute(
                sa.text(
                    "SELECT (SELECT c.reference FROM cases c JOIN case_events e ON "
                    "e.case_id = c.id GROUP BY c.reference ORDER BY count(*) DESC LIMIT 1), "
                    "(SELECT c.reference FROM cases c JOIN case_events e ON e.case_id = c.id "
                    "GROUP BY c.reference HAVING count(*) = 3 LIMIT 1)"
                )
            ).one()
            print(f"{dialect}: {cases:,} cases; {args.rounds} interleaved rounds, medians")

            client = app.test_client()
            page = client.get("/sign-in").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            signed = client.post(
                "/sign-in",
                data={"csrf_token": token, "email": "admin@example.org", "password": PASSWORD},
            )
            assert signed.status_code == 302, "the bench could not sign in"
            api_token = client.post(
                "/api/v1/tokens", json={"email": "admin@example.org", "password": PASSWORD}
            ).json["token"]

            def raw(*statements: str, params=params, as_csv: bool = False) -> Callable:
                def run() -> None:
                    with db.engine.connect() as connection:
                        for statement in statements:
                            rows = connection.execute(sa.text(statement), params).fetchall()
                            if as_csv:
                                csv.writer(io.StringIO()).writerows(rows)

                return run

            def get(url: str, **kwargs) -> Callable:
                def run() -> None:
                    response = client.get(url, **kwargs)
                    assert response.status_code == 200, (url, response.status_code)
                    response.get_data()

                return run

            def service(name: str) -> Callable:
                def run() -> None:
                    queries.report(name, filters, admin)

                return run

            def overview() -> None:
                queries.all_reports(filters, admin)

            scenarios: dict[str, tuple[Callable, Callable]] = {}
            for name in queries.REPORTS:
                scenarios[f"report {name}"] = (service(name), raw(floor_sql(name, dialect)))
                scenarios[f"report {name}.csv"] = (
                    get(f"/reports/{name}.csv"),
                    raw(floor_sql(name, dialect), as_csv=True),
                )
            every_floor = raw(*(floor_sql(name, dialect) for name in queries.REPORTS))
            over_cases = raw(*(floor_sql(name, dialect, True) for name in queries.REPORTS))
            scenarios["overview (8 reports, service)"] = (overview, every_floor)
            scenarios["/reports overview page"] = (get("/reports"), every_floor)
            # The floor the overview had before the tallies: every report counted over cases.
            scenarios["overview vs. floor over cases"] = (overview, over_cases)
            for label, reference in (("3", short_case), (f"{LONG_TIMELINE:,}", long_case)):
                ids = {"ref": reference}
                with db.engine.connect() as connection:
                    ids["id"] = connection.execute(
                        sa.text("SELECT id FROM cases WHERE reference = :ref"), ids
                    ).scalar_one()
                scenarios[f"case page, {label} events"] = (
                    get(f"/cases/{reference}"),
                    raw(*CASE_PAGE_FLOOR, params=ids),
                )
                scenarios[f"API case detail, {label} events"] = (
                    get(
                        f"/api/v1/cases/{reference}",
                        headers={"Authorization": f"Bearer {api_token}"},
                    ),
                    raw(*CASE_PAGE_FLOOR, params=ids),
                )
            measure(scenarios, args.rounds, f"{dialect}, {cases:,} cases")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()

"""Benchmark: the case list, text search, the API list and the case list download at scale,
each against hand-written SQL giving the same answer, measured in the same run.

Builds a fresh database with the migrations, seeds the demo region plus N generated cases,
then times each operation (the service its page or API view calls) and its floor in
interleaved rounds, and prints the median of each with their ratio.

Run: make bench, or
  PYTHONPATH=. .venv/bin/python bench/bench_case_list.py [--cases 100000] [--database-url URL]
With no --database-url it uses a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import jsonify
from flask_migrate import upgrade

from bench.record import record
from compactcases import create_app, localtime
from compactcases.api.case_views import case_page_body
from compactcases.cases import search as case_search
from compactcases.config import DevelopmentConfig, database_url
from compactcases.demo import seed
from compactcases.extensions import db
from compactcases.models import Area, User
from compactcases.reports import exports
from workflows.dispute import State

PER_PAGE = 25
CAP = case_search.COUNT_CAP

# The floor for a page: the page chosen on `cases` alone (plus the joins its filter needs),
# then joined for the names shown, and the count capped as the service caps it.
# Each row's officer, mediator and next open deadline (its unit, and whether the clock is
# stopped), read for the page's rows only.
NEXT_DUE = "(SELECT min(d.due_on) FROM deadlines d WHERE d.case_id = c.id AND d.status = 'open')"
WORK_COLUMNS = f""", uo.name, um.name, {NEXT_DUE},
       (SELECT d.period_unit FROM deadlines d WHERE d.case_id = c.id AND d.status = 'open'
        ORDER BY d.due_on, d.id LIMIT 1),
       EXISTS (SELECT 1 FROM deadline_pauses p WHERE p.case_id = c.id AND p.ended_on IS NULL)"""
WORK_JOINS = """LEFT JOIN users uo ON uo.id = c.officer_id
LEFT JOIN users um ON um.id = c.mediator_id"""
BY_DATE = "c.raised_on DESC, c.id DESC"
# The whole list by next deadline: each case's earliest open deadline from one GROUP BY.
NEXT_DUE_JOIN = """(SELECT c.*, n.next_due FROM cases c LEFT JOIN (SELECT case_id,
    min(due_on) AS next_due FROM deadlines WHERE status = 'open' AND case_id IS NOT NULL
    GROUP BY case_id) n ON n.case_id = c.id) c"""
BY_DEADLINE = "c.next_due IS NULL, c.next_due, c.raised_on DESC, c.id DESC"
RAW_PAGE = (
    """
SELECT c.reference, c.title, c.state, c.raised_on, c.closed_on, cp.code, cp.name,
       f.id, f.name, t.id, t.name"""
    + WORK_COLUMNS
    + """
FROM (SELECT c.* FROM {source} {where}
      ORDER BY {order} LIMIT {limit} OFFSET {offset}) c
JOIN compacts cp ON cp.id = c.compact_id
JOIN organisations f ON f.id = c.funder_id
JOIN organisations t ON t.id = c.third_sector_id
"""
    + WORK_JOINS
    + """
ORDER BY {order}
"""
)
# Overdue: an open deadline before today, the clock running.
OVERDUE = """WHERE EXISTS (SELECT 1 FROM deadlines d WHERE d.case_id = c.id AND d.status = 'open'
                     AND d.due_on < :today)
  AND NOT EXISTS (SELECT 1 FROM deadline_pauses p WHERE p.case_id = c.id AND p.ended_on IS NULL)"""
RAW_COUNT = "SELECT count(*) FROM (SELECT 1 FROM {source} {where} LIMIT {cap}) x"
# A party's cases: its organisation is the lead funder or any party of the case.
PARTY = """WHERE (c.funder_id = :org OR EXISTS (SELECT 1 FROM case_parties p
                 WHERE p.case_id = c.id AND p.organisation_id = :org))"""

# The text index as each database holds it (see compactcases/models/search.py). A search
# ranks the newest `RANKED_MATCHES` matches by their index entry's id, and counts up to that.
SEARCH = {
    "postgresql": {
        "source": "cases c JOIN case_search s ON s.case_id = c.id",
        "where": "WHERE s.document @@ to_tsquery('english', :tsq)",
        "ranked": """
            SELECT n.*, -ts_rank(n.document, to_tsquery('english', :tsq)) AS rank
            FROM (SELECT c.*, s.document FROM cases c JOIN case_search s ON s.case_id = c.id
                  WHERE s.document @@ to_tsquery('english', :tsq)
                  ORDER BY s.case_id DESC LIMIT {ranked}) n
        """,
    },
    "sqlite": {
        "source": "case_search s JOIN cases c ON c.id = s.rowid",
        "where": "WHERE case_search MATCH :fts",
        "ranked": """
            SELECT c.*, bm25(case_search, 10.0, 8.0, 1.0, 4.0) AS rank
            FROM case_search s JOIN cases c ON c.id = s.rowid WHERE case_search MATCH :fts
            ORDER BY s.rowid DESC LIMIT {ranked}
        """,
    },
}
RAW_SEARCH_PAGE = (
    """
SELECT c.reference, c.title, c.state, c.raised_on, c.closed_on, cp.code, cp.name,
       f.id, f.name, t.id, t.name"""
    + WORK_COLUMNS.replace("{", "{{").replace("}", "}}")
    + """
FROM (SELECT * FROM ({ranked}) n ORDER BY rank, raised_on DESC, id DESC LIMIT {limit}) c
JOIN compacts cp ON cp.id = c.compact_id
JOIN organisations f ON f.id = c.funder_id
JOIN organisations t ON t.id = c.third_sector_id
"""
    + WORK_JOINS
    + """
ORDER BY c.rank, c.raised_on DESC, c.id DESC
"""
)

RAW_CSV = """
SELECT c.reference, c.title, cp.name, f.name, t.name,
       (SELECT {aggregate} FROM case_areas a WHERE a.case_id = c.id),
       c.state, c.raised_on, c.closed_on, c.working_days_to_close, c.amount_at_stake,
       o.kind, o.level, o.outcome_type, o.funding_protected, o.jobs_safeguarded,
       o.notice_days_gained, o.service_users_affected
FROM cases c
JOIN compacts cp ON cp.id = c.compact_id
JOIN organisations f ON f.id = c.funder_id
JOIN organisations t ON t.id = c.third_sector_id
LEFT JOIN outcomes o ON o.case_id = c.id
ORDER BY c.raised_on DESC, c.id DESC
"""

LISTS = [
    # label, filters, page, where (on `cases c`), parameters
    ("list: first page", case_search.CaseFilters(), 1, "", {}),
    (
        "list: state = conciliation",
        case_search.CaseFilters(state=State.LOCAL_CONCILIATION),
        1,
        "WHERE c.state = :state",
        {"state": "local_conciliation"},
    ),
    (
        "list: Compact = BIR",
        case_search.CaseFilters(compact="BIR"),
        1,
        "WHERE c.compact_id = (SELECT id FROM compacts WHERE code = :code)",
        {"code": "BIR"},
    ),
    (
        "list: area = volunteering",
        case_search.CaseFilters(area=Area.VOLUNTEERING),
        1,
        "WHERE c.id IN (SELECT a.case_id FROM case_areas a WHERE a.area = :area)",
        {"area": "volunteering"},
    ),
    ("list: page 200", case_search.CaseFilters(), 200, "", {}),
    ("list: overdue", case_search.CaseFilters(due="overdue"), 1, OVERDUE, {"today": None}),
    (
        "list: next deadline first",
        case_search.CaseFilters(by_deadline=True),
        1,
        "",
        {"order": BY_DEADLINE, "source": NEXT_DUE_JOIN},
    ),
]
# label, query, the PostgreSQL tsquery and the FTS5 query the service builds from it.
SEARCHES = [
    ("search: 'youth'", "youth", "'youth':*", '"youth"*'),
    ("search: 'grant cut'", "grant cut", "'grant':* & 'cut':*", '"grant"* AND "cut"*'),
    ("search: reference", None, None, None),  # filled in from the database
]


def _reference_search(reference: str) -> tuple:
    code, year, number = reference.lower().split("-")
    pg = f"'{code}':* & ('{year}' | '{int(year):04d}') & ('{number}' | '{int(number):04d}')"
    fts = f'"{code}"* AND ("{year}" OR "{int(year):04d}") AND ("{number}" OR "{int(number):04d}")'
    return ("search: reference", reference, pg, fts)


def _raw_page(connection, dialect: str, where: str, params: dict, page: int, q: bool) -> None:
    if q:
        parts = SEARCH[dialect]
        ranked = parts["ranked"].format(ranked=case_search.RANKED_MATCHES)
        page_sql = RAW_SEARCH_PAGE.format(ranked=ranked, limit=PER_PAGE + 1)
        cap = min(CAP, case_search.RANKED_MATCHES)
    else:
        parts = {"source": params.get("source", "cases c"), "where": where}
        order = params.get("order", BY_DATE)
        page_sql = RAW_PAGE.format(
            **parts, order=order, limit=PER_PAGE + 1, offset=(page - 1) * PER_PAGE
        )
        cap = CAP
    params = {k: v for k, v in params.items() if k not in ("order", "source")}
    if "today" in params:
        params["today"] = localtime.today()
    connection.execute(sa.text(page_sql), params).fetchall()
    connection.execute(
        sa.text(RAW_COUNT.format(source=parts["source"], where=parts["where"], cap=cap + 1)),
        params,
    ).scalar_one()


def measure(pairs: list[tuple[str, Callable, Callable]], rounds: int, note: str = "") -> None:
    """Time each (service, floor) pair once a round, interleaved, after one warm-up each;
    print the medians and their ratio."""
    for _, service, floor in pairs:
        service()
        floor()
    samples = {label: ([], []) for label, _, _ in pairs}
    for _ in range(rounds):
        for label, service, floor in pairs:
            for fn, times in zip((service, floor), samples[label], strict=True):
                started = time.perf_counter()
                fn()
                times.append(time.perf_counter() - started)
    for label, (service_times, floor_times) in samples.items():
        s, f = statistics.median(service_times), statistics.median(floor_times)
        print(f"{label:<30} {s * 1000:>11.2f} {f * 1000:>11.2f} {s / f:>6.2f}", flush=True)
        record("case list", label, s, f, note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--csv-rounds", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = database_url(args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}")

        class Config(DevelopmentConfig):
            SQLALCHEMY_DATABASE_URI = url
            # A script, not a server: no reminder sweeps while it measures.
            SCHEDULER_ENABLED = False

        app = create_app(Config)
        with app.app_context():
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            upgrade()
            started = time.perf_counter()
            seed()
            report = seed(cases=args.cases)
            dialect = db.engine.dialect.name
            print(
                f"{dialect}: seeded {report.cases_added:,} cases "
                f"in {time.perf_counter() - started:.1f}s",
                flush=True,
            )
            with db.engine.begin() as connection:
                connection.execute(sa.text("ANALYZE"))
            # The administrator's scope is every case, like the raw SQL it is compared with.
            admin = db.session.scalar(sa.select(User).filter_by(email="admin@example.org"))
            reference = db.session.scalar(
                sa.text("SELECT reference FROM cases WHERE id <= 5000 ORDER BY id DESC LIMIT 1")
            )
            searches = [*SEARCHES[:-1], _reference_search(reference)]
            print(f"{'operation':<30} {'service ms':>11} {'floor ms':>11} {'ratio':>6}")

            def listed(filters, page, user=admin):
                def service():
                    found = case_search.search_cases(filters, user, page=page, per_page=PER_PAGE)
                    [(c.reference, c.compact_name, c.funder_name) for c in found.items]
                    db.session.remove()

                return service

            def floor(where, params, page, q=False):
                def run():
                    with db.engine.connect() as connection:
                        _raw_page(connection, dialect, where, params, page, q)

                return run

            pairs = [
                (label, listed(filters, page), floor(where, params, page))
                for label, filters, page, where, params in LISTS
            ]
            for label, q, tsq, fts in searches:
                params = {"tsq": tsq, "fts": fts}
                pairs.append(
                    (
                        label,
                        listed(case_search.CaseFilters(q=q), 1),
                        floor("", params, 1, q=True),
                    )
                )

            def api_list():
                # What the API view does after parsing the request, JSON written out included.
                with app.test_request_context("/api/v1/cases"):
                    found = case_search.search_cases(
                        case_search.CaseFilters(), admin, page=1, per_page=PER_PAGE
                    )
                    jsonify(case_page_body(found)).get_data()
                db.session.remove()

            pairs.append(("API list: first page", api_list, floor("", {}, 1)))
            # A party's own list: the cases its organisation is a party to (lead or not), with
            # the deadlines it may see; the floor takes the same cases and every deadline.
            funder = db.session.scalar(sa.select(User).filter_by(email="funder.bcc@example.org"))
            org = {"org": funder.organisation_id}
            pairs += [
                (
                    "party list: first page",
                    listed(case_search.CaseFilters(), 1, funder),
                    floor(PARTY, org, 1),
                ),
                (
                    "party list: next deadline",
                    listed(case_search.CaseFilters(by_deadline=True), 1, funder),
                    floor(PARTY, {**org, "order": BY_DEADLINE, "source": NEXT_DUE_JOIN}, 1),
                ),
            ]
            note = f"{dialect}, {report.cases_added:,} generated cases"
            measure(pairs, args.rounds, note)

            def csv_service():
                with app.test_request_context("/cases.csv"):
                    response = exports.case_csv_response(
                        "cases.csv", case_search.stream_cases(case_search.CaseFilters(), admin)
                    )
                    for _ in response.response:
                        pass
                db.session.remove()

            aggregate = (
                "string_agg(a.area, ',')"
                if dialect == "postgresql"
                else "group_concat(a.area, ',')"
            )

            def csv_floor():
                with db.engine.connect() as connection:
                    result = connection.execution_options(stream_results=True).execute(
                        sa.text(RAW_CSV.format(aggregate=aggregate))
                    )
                    buffer = io.StringIO()
                    writer = csv.writer(buffer)
                    for partition in result.partitions(1000):
                        writer.writerows(partition)
                        buffer.seek(0)
                        buffer.truncate()

            measure([("/cases.csv, every case", csv_service, csv_floor)], args.csv_rounds, note)
            db.session.remove()
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.engine.dispose()


if __name__ == "__main__":
    main()

"""Benchmark: the case list at scale, against the same queries in raw SQL.

Builds a fresh database with the migrations, seeds the demo region plus N generated cases,
then times one page of the case list (the service the page calls) for several filters, and the
same page and count written as raw SQL on the same connection pool. Reports the ratio.

Run: make bench, or
  PYTHONPATH=. .venv/bin/python bench/bench_case_list.py [--cases 100000] [--database-url URL]
With no --database-url it uses a new SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from compactcases import create_app
from compactcases.cases import search as case_search
from compactcases.config import DevelopmentConfig, database_url
from compactcases.demo import seed
from compactcases.extensions import db
from compactcases.models import Area, User
from workflows.dispute import State

PER_PAGE = 25

# The floor: the best hand-written SQL for the same page and count. The page is chosen on
# `cases` alone (plus only the joins the filter needs), then joined for the names shown.
RAW_SELECT = """
SELECT c.id, c.reference, c.title, c.state, c.raised_on, cp.name, f.name, t.name
FROM (SELECT c.* FROM cases c {joins} {where}
      ORDER BY c.raised_on DESC, c.id DESC LIMIT {limit} OFFSET {offset}) c
JOIN compacts cp ON cp.id = c.compact_id
JOIN organisations f ON f.id = c.funder_id
JOIN organisations t ON t.id = c.third_sector_id
ORDER BY c.raised_on DESC, c.id DESC
"""
RAW_COUNT = "SELECT count(*) FROM cases c {joins} {where}"
PARTIES = (
    "JOIN organisations f ON f.id = c.funder_id JOIN organisations t ON t.id = c.third_sector_id"
)

SCENARIOS = [
    ("first page, no filter", case_search.CaseFilters(), 1, "", "", {}),
    (
        "state = local conciliation",
        case_search.CaseFilters(state=State.LOCAL_CONCILIATION),
        1,
        "",
        "WHERE c.state = :state",
        {"state": "local_conciliation"},
    ),
    (
        "Compact = BIR",
        case_search.CaseFilters(compact="BIR"),
        1,
        "JOIN compacts cp ON cp.id = c.compact_id",
        "WHERE cp.code = :code",
        {"code": "BIR"},
    ),
    (
        "area = volunteering",
        case_search.CaseFilters(area=Area.VOLUNTEERING),
        1,
        "",
        "WHERE EXISTS (SELECT 1 FROM case_areas a WHERE a.case_id = c.id AND a.area = :area)",
        {"area": "volunteering"},
    ),
    (
        "text search 'youth'",
        case_search.CaseFilters(q="youth"),
        1,
        PARTIES,
        "WHERE lower(c.reference) LIKE :q OR lower(c.title) LIKE :q "
        "OR lower(f.name) LIKE :q OR lower(t.name) LIKE :q",
        {"q": "%youth%"},
    ),
    ("page 200, no filter", case_search.CaseFilters(), 200, "", "", {}),
]


def timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` calls, after one warm-up."""
    fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=15)
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
            print(
                f"{db.engine.dialect.name}: seeded {report.cases_added:,} cases "
                f"in {time.perf_counter() - started:.1f}s"
            )
            with db.engine.begin() as connection:
                connection.execute(sa.text("ANALYZE"))
            # The administrator's scope is every case, like the raw SQL it is compared with.
            admin = db.session.scalar(sa.select(User).filter_by(email="admin@example.org"))
            print(f"{'scenario':<30} {'service ms':>11} {'raw SQL ms':>11} {'ratio':>6}")
            for label, filters, page, joins, where, params in SCENARIOS:

                def service(filters=filters, page=page):
                    result = case_search.search_cases(filters, admin, page=page, per_page=PER_PAGE)
                    [(c.reference, c.compact.name, c.funder.name) for c in result.items]
                    db.session.remove()

                def raw(joins=joins, where=where, params=params, page=page):
                    with db.engine.connect() as connection:
                        select = RAW_SELECT.format(
                            joins=joins,
                            where=where,
                            limit=PER_PAGE,
                            offset=(page - 1) * PER_PAGE,
                        )
                        connection.execute(sa.text(select), params).fetchall()
                        count = RAW_COUNT.format(joins=joins, where=where)
                        connection.execute(sa.text(count), params).scalar_one()

                t_service = timed(service, args.repeat)
                t_raw = timed(raw, args.repeat)
                print(
                    f"{label:<30} {t_service * 1000:>11.2f} {t_raw * 1000:>11.2f} "
                    f"{t_service / t_raw:>6.2f}"
                )
            db.session.remove()
            if args.database_url:
                db.drop_all()
                with db.engine.begin() as connection:
                    connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.engine.dispose()


if __name__ == "__main__":
    main()

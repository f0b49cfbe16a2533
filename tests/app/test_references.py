"""Case references: CODE-YYYY-NNNN, numbered per Compact and year, never given twice."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.extensions import db as _db
from compactcases.models import Area, Case, Side
from tests.conftest import ON_POSTGRES


def test_references_count_up_per_compact_and_year(make_case, world):
    first = make_case()
    second = make_case()
    other_compact = make_case(
        compact_id=world.war.id, funder_id=world.wcc.id, third_sector_id=world.rugby_cvs.id
    )
    last_year = make_case(raised_on=date(2025, 12, 31))
    assert [first.reference, second.reference] == ["BIR-2026-0001", "BIR-2026-0002"]
    assert other_compact.reference == "WAR-2026-0001"
    assert last_year.reference == "BIR-2025-0001"


def test_a_failed_save_does_not_use_up_a_number(make_case, world, db):
    from compactcases.cases import services

    make_case()
    with pytest.raises(sa.exc.IntegrityError):
        make_case(third_sector_id=999_999)
    db.session.rollback()
    assert services.allocate_reference(world.bir, 2026) == "BIR-2026-0002"


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent writers need PostgreSQL")
def test_concurrent_officers_never_get_the_same_reference(app, world, db):
    from compactcases.cases import services

    threads, per_thread = 8, 5
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []
    details = services.CaseDetails(
        compact_id=world.bir.id,
        title="Concurrent",
        summary="Logged at the same moment as others",
        funder_id=world.council.id,
        third_sector_id=world.youth.id,
        raised_by=Side.THIRD_SECTOR,
        areas=(Area.FUNDING,),
        amount_at_stake=None,
        raised_on=date(2026, 6, 1),
    )

    def officer() -> None:
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(per_thread):
                    services.create_case(details, None)
                _db.session.remove()
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    workers = [threading.Thread(target=officer) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    references = db.session.scalars(db.select(Case.reference)).all()
    expected = {f"BIR-2026-{n:04d}" for n in range(1, threads * per_thread + 1)}
    assert sorted(references) == sorted(expected)

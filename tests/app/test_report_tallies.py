"""The report tallies: kept exact by the database on every kind of write, and the reports read
from them give the figures counted from the cases, for whole months and odd days alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.demo import seed
from compactcases.models import TALLIES, Area, Case, Outcome
from compactcases.models.tallies import rebuild_tallies
from compactcases.reports import live, queries, tallied
from compactcases.reports.coverage import ReportFilters
from tests.app.test_case_pages import text
from tests.app.test_reports import YEAR, YEAR_QUERY, region  # noqa: F401
from workflows.dispute import State
from workflows.outcomes import Level


def stored_tallies(connection: sa.Connection) -> dict[str, list[tuple]]:
    """Every tally row with a figure other than zero, sorted."""
    found = {}
    for tally in TALLIES:
        keys = len(tally.__table__.primary_key.columns)
        rows = connection.execute(sa.select(tally.__table__)).all()
        found[tally.__tablename__] = sorted(tuple(r) for r in rows if any(r[keys:]))
    return found


def counted_afresh(connection: sa.Connection) -> dict[str, list[tuple]]:
    """What the tallies would hold if counted now from the cases (the count is undone)."""
    with connection.begin_nested() as counting:
        rebuild_tallies(connection)
        found = stored_tallies(connection)
        counting.rollback()
    return found


def assert_tallies_exact(db) -> None:
    db.session.flush()
    connection = db.session.connection()
    stored = stored_tallies(connection)
    assert stored == counted_afresh(connection)
    assert stored["tally_opened"], "nothing was tallied"


def test_cases_logged_closed_and_changed_are_tallied_exactly(db, region):  # noqa: F811
    assert_tallies_exact(db)
    cases = {c.reference: c for c in db.session.scalars(sa.select(Case))}
    # Reopened: the outcome goes, the case is open again.
    reopened = cases["BIR-2026-0001"]
    reopened.outcome = None
    reopened.state, reopened.closed_on, reopened.working_days_to_close = (
        State.LOCAL_CONCILIATION,
        None,
        None,
    )
    assert_tallies_exact(db)
    # An outcome's figures and level corrected; a case's areas and funder changed.
    changed = cases["BIR-2026-0002"]
    changed.outcome.funding_protected = 12_345
    changed.outcome.level = Level.REGIONAL_MEDIATION
    changed.areas = [Area.EQUALITY, Area.VOLUNTEERING]
    changed.funder = cases["BIR-2026-0000"].funder
    assert_tallies_exact(db)
    # Moved to another Compact, raised on another day, closed on another day.
    moved = cases["BIR-2026-0003"]
    moved.compact = cases["WAR-2026-0001"].compact
    moved.raised_on = date(2026, 1, 5)
    moved.closed_on = date(2026, 12, 31)
    assert_tallies_exact(db)
    # Closed without an outcome row yet, then given one.
    open_case = cases["BIR-2026-0005"]
    open_case.state, open_case.closed_on, open_case.working_days_to_close = (
        State.RESOLVED,
        date(2026, 11, 2),
        40,
    )
    assert_tallies_exact(db)
    open_case.outcome = Outcome(kind="resolved", level=Level.LOCAL_CONCILIATION, outcome_type=None)
    assert_tallies_exact(db)
    # Deleted outright, outcome and areas with it.
    db.session.execute(sa.delete(Case).where(Case.id == cases["RUG-2026-0001"].id))
    assert_tallies_exact(db)


def test_cases_loaded_in_bulk_are_counted_and_later_changes_still_tallied(db):
    seed()
    seed(cases=300)
    assert_tallies_exact(db)
    # Indexed for search in one go at the end of the load, every case once.
    count = "SELECT count(*) FROM {}"
    cases, entries = (db.session.scalar(sa.text(count.format(t))) for t in ("cases", "case_search"))
    assert cases == entries > 300
    resolved = db.session.scalars(
        sa.select(Case).where(Case.state == State.RESOLVED).limit(3)
    ).all()
    for case in resolved:
        case.outcome.jobs_safeguarded = 7
        case.closed_on = date(2026, 6, 30)
    assert_tallies_exact(db)


PERIODS = [
    YEAR,
    ReportFilters(start=date(2026, 4, 14), end=date(2027, 2, 20)),  # odd days both ends
    ReportFilters(start=date(2026, 5, 1), end=date(2026, 5, 31)),  # one whole month
    ReportFilters(start=date(2026, 5, 6), end=date(2026, 5, 20)),  # inside one month
    ReportFilters(start=date(2026, 4, 30), end=date(2026, 6, 1)),  # a day either side
    ReportFilters(start=date(2025, 1, 1), end=date(2028, 2, 29)),  # long, to a leap day
]


@pytest.mark.parametrize("filters", PERIODS, ids=lambda f: f"{f.start}..{f.end}")
@pytest.mark.parametrize("who", ["viewer", "officer", "officer_war", "admin"])
def test_each_report_gives_the_figures_counted_from_the_cases(db, region, world, filters, who):  # noqa: F811
    user = getattr(world, who)
    for narrowed in (filters, replace(filters, compact="BIR"), replace(filters, compact="WAR")):
        for name in ("levels", "resolution_days", "outcomes", "areas", "funders", "trend"):
            from_cases = getattr(live, name)
            read = queries._figures(narrowed, user, from_cases, getattr(tallied, name))
            assert _nonzero(read) == _nonzero(from_cases(narrowed, user)), name
        opened, resolved, withdrawn = live.cases(narrowed, user)["cases"]
        still_open = live.open_at_end(narrowed, user)["open"][0]
        assert queries._cases_figures(narrowed, user) == (opened, still_open, resolved, withdrawn)


def _nonzero(figures: dict) -> dict:
    return {key: values for key, values in figures.items() if any(values)}


def test_a_report_with_an_area_chosen_counts_from_the_cases(db, region, world):  # noqa: F811
    funding = replace(YEAR, area=Area.FUNDING)
    report = queries.report("areas", funding, world.viewer)
    counted = live.areas(funding, world.viewer)
    assert (
        dict((row[0], row[1]) for row in report.rows)[Area.FUNDING.label]
        == (counted[Area.FUNDING][0])
    )


def test_the_areas_report_page_narrowed_to_one_area_shows_its_cases(region, anonymous):  # noqa: F811
    anonymous.sign_in(region.viewer)
    response = anonymous.get(f"/reports/areas?{YEAR_QUERY}&area=funding")
    assert response.status_code == 200
    page = text(response)
    # BIR-1, BIR-2, BIR-4 and WAR-1 concern funding; BIR-2 also consultation.
    assert "Funding 4" in page
    assert "Consultation and policy 1" in page

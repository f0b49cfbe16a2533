"""The reports, checked figure by figure against a small region worked out by hand."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from compactcases.models import (
    Area,
    Case,
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Outcome,
    OutcomeKind,
    Side,
    Tier,
)
from compactcases.reports import annual, exports, learning, queries
from compactcases.reports.coverage import ReportFilters
from compactcases.reports.percentiles import MEDIAN, P90, percentiles_of
from tests.app.test_case_pages import field_error, text
from tests.conftest import counting_statements
from workflows.dispute import State
from workflows.outcomes import Breach, Level, OutcomeType

TODAY = date(2026, 11, 20)
YEAR = ReportFilters(start=date(2026, 4, 1), end=date(2027, 3, 31))
YEAR_QUERY = "start=1&start=4&start=2026&end=31&end=3&end=2027"


@dataclass(frozen=True)
class Closed:
    on: date
    days: int
    level: Level
    left: State
    outcome_type: OutcomeType | None = None  # None: withdrawn
    figures: tuple = (None, None, None, None)  # funding, jobs, notice days, service users
    breach: Breach = Breach.YES
    shareable: bool = False
    learning: str = "Talk to the sector before deciding."


def add_case(db, world, reference, compact, funder, third_sector, areas, raised_on, state, closed):
    case = Case(
        reference=reference,
        compact=compact,
        title=f"Dispute {reference}",
        summary="Short notice of a grant cut.",
        funder=funder,
        third_sector=third_sector,
        raised_by=Side.THIRD_SECTOR,
        amount_at_stake=50_000,
        raised_on=raised_on,
        state=state,
        officer=world.officer,
    )
    case.areas = list(areas)
    if closed:
        case.previous_state = closed.left
        case.closed_on = closed.on
        case.working_days_to_close = closed.days
        if closed.outcome_type is None:
            case.outcome = Outcome(
                kind=OutcomeKind.WITHDRAWN, level=closed.level, withdrawal_reason="Settled"
            )
        else:
            funding, jobs, notice, users = closed.figures
            case.outcome = Outcome(
                kind=OutcomeKind.RESOLVED,
                level=closed.level,
                outcome_type=closed.outcome_type,
                breach_found=closed.breach,
                funding_protected=funding,
                jobs_safeguarded=jobs,
                notice_days_gained=notice,
                service_users_affected=users,
                agreed_actions="Agreed",
                learning=closed.learning,
                learning_shareable=closed.shareable,
            )
    db.session.add(case)
    return case


LOCAL, REGIONAL, BEFORE = (
    Level.LOCAL_CONCILIATION,
    Level.REGIONAL_MEDIATION,
    Level.BEFORE_CONCILIATION,
)
LC, RM, RA = State.LOCAL_CONCILIATION, State.REGIONAL_MEDIATION, State.RAISED
RESOLVED, WITHDRAWN = State.RESOLVED, State.WITHDRAWN
BIR_LEARNING = (
    "Birmingham City Council restored £67,000 once Sparkbrook Youth Project showed that six "
    "weeks' notice was given."
)


@pytest.fixture
def region(db, world):
    """Nine West Midlands cases around the financial year 2026/27, and one elsewhere.

    | case  | Compact | funder | areas         | raised     | state, closed, working days, level |
    | BIR-0 | BIR     | BCC    | funding       | 2026-02-02 | resolved 2026-04-15, 52, local     |
    | BIR-1 | BIR     | BCC    | funding       | 2026-04-10 | resolved 2026-05-20, 27, local     |
    | BIR-2 | BIR     | police | funding, cons.| 2026-05-04 | resolved 2026-06-15, 29, local     |
    | BIR-3 | BIR     | BCC    | commissioning | 2026-06-01 | resolved 2026-09-30, 86, regional  |
    | BIR-4 | BIR     | BCC    | funding       | 2026-07-06 | withdrawn 2026-07-20, 10, before   |
    | BIR-5 | BIR     | BCC    | equality      | 2026-09-01 | open (local conciliation)          |
    | BIR-6 | BIR     | BCC    | funding       | 2026-03-10 | open (regional mediation)          |
    | WAR-1 | WAR     | WCC    | funding       | 2026-04-20 | resolved 2026-05-05, 10, before    |
    | RUG-1 | RUG     | WCC    | volunteering  | 2026-08-03 | resolved 2026-10-12, 50, local     |
    | LEI-1 | LEI (East Midlands)  | funding | 2026-05-01 | resolved 2026-06-01, 22, local     |
    """
    w = world
    bcc, police, wcc = w.council, w.police, w.wcc
    add = lambda *args: add_case(db, w, *args)  # noqa: E731
    add(
        "BIR-2026-0000",
        w.bir,
        bcc,
        w.youth,
        [Area.FUNDING],
        date(2026, 2, 2),
        RESOLVED,
        Closed(date(2026, 4, 15), 52, LOCAL, LC, OutcomeType.AGREEMENT_REACHED, (5000, 0, 0, 10)),
    )
    add(
        "BIR-2026-0001",
        w.bir,
        bcc,
        w.youth,
        [Area.FUNDING],
        date(2026, 4, 10),
        RESOLVED,
        Closed(
            date(2026, 5, 20),
            27,
            LOCAL,
            LC,
            OutcomeType.FUNDING_REINSTATED,
            (67000, 3, 61, 120),
            shareable=True,
            learning=BIR_LEARNING,
        ),
    )
    add(
        "BIR-2026-0002",
        w.bir,
        police,
        w.foodbank,
        [Area.FUNDING, Area.CONSULTATION],
        date(2026, 5, 4),
        RESOLVED,
        Closed(
            date(2026, 6, 15),
            29,
            LOCAL,
            LC,
            OutcomeType.NOTICE_EXTENDED,
            (0, 0, 30, None),
            breach=Breach.PARTLY,
        ),
    )
    add(
        "BIR-2026-0003",
        w.bir,
        bcc,
        w.foodbank,
        [Area.COMMISSIONING],
        date(2026, 6, 1),
        RESOLVED,
        Closed(
            date(2026, 9, 30),
            86,
            REGIONAL,
            RM,
            OutcomeType.NO_AGREEMENT,
            (0, 0, 0, 40),
            breach=Breach.NO,
        ),
    )
    add(
        "BIR-2026-0004",
        w.bir,
        bcc,
        w.youth,
        [Area.FUNDING],
        date(2026, 7, 6),
        WITHDRAWN,
        Closed(date(2026, 7, 20), 10, BEFORE, RA),
    )
    add("BIR-2026-0005", w.bir, bcc, w.youth, [Area.EQUALITY], date(2026, 9, 1), LC, None)
    add("BIR-2026-0006", w.bir, bcc, w.foodbank, [Area.FUNDING], date(2026, 3, 10), RM, None)
    add(
        "WAR-2026-0001",
        w.war,
        wcc,
        w.rugby_cvs,
        [Area.FUNDING],
        date(2026, 4, 20),
        RESOLVED,
        Closed(
            date(2026, 5, 5),
            10,
            BEFORE,
            RA,
            OutcomeType.AGREEMENT_REACHED,
            (10000, 1, 14, 300),
            breach=Breach.NO,
            shareable=True,
            learning="Agree the notice period in writing at the start.",
        ),
    )
    add(
        "RUG-2026-0001",
        w.rug,
        wcc,
        w.rugby_cvs,
        [Area.VOLUNTEERING],
        date(2026, 8, 3),
        RESOLVED,
        Closed(
            date(2026, 10, 12),
            50,
            LOCAL,
            LC,
            OutcomeType.PARTIALLY_RESOLVED,
            (25000, 2, None, 80),
            breach=Breach.PARTLY,
            shareable=True,
            learning="Volunteer expenses are a cost of the service.",
        ),
    )
    add_elsewhere(db, world, "LEI-2026-0001")
    db.session.commit()
    return world


def add_elsewhere(db, world, reference: str, compact_code: str = "LEI") -> Case:
    """A resolved case in the East Midlands, with figures large enough to show if counted."""
    compact = db.session.scalar(sa.select(Compact).filter_by(code=compact_code))
    if compact is None:
        compact = Compact(
            code=compact_code, name="Leicester", tier=Tier.UPPER, region=world.other_region
        )
        funder = Organisation(
            name="Leicester City Council",
            kind=OrganisationKind.STATUTORY,
            type=OrganisationType.COUNCIL,
            region=world.other_region,
        )
        group = Organisation(
            name="Highfields Community Centre",
            kind=OrganisationKind.THIRD_SECTOR,
            type=OrganisationType.COMMUNITY_GROUP,
            region=world.other_region,
        )
        db.session.add_all([compact, funder, group])
    else:
        funder = db.session.scalar(sa.select(Organisation).filter_by(name="Leicester City Council"))
        group = db.session.scalar(
            sa.select(Organisation).filter_by(name="Highfields Community Centre")
        )
    return add_case(
        db,
        world,
        reference,
        compact,
        funder,
        group,
        [Area.FUNDING],
        date(2026, 5, 1),
        RESOLVED,
        Closed(
            date(2026, 6, 1),
            22,
            LOCAL,
            LC,
            OutcomeType.FUNDING_REINSTATED,
            (999000, 40, 90, 5000),
            shareable=True,
            learning="A regional funder needs a named contact in each Compact.",
        ),
    )


def figures(name: str, user, filters: ReportFilters = YEAR) -> tuple:
    report = queries.report(name, filters, user)
    return (*report.rows, *([report.total] if report.total else []))


# -- every figure of every report, for the regional viewer --------------------------------------


def test_cases_report_counts_opened_open_resolved_and_withdrawn(region):
    assert figures("cases", region.viewer) == (
        # BIR-1..5, WAR-1, RUG-1 raised in the year; BIR-0 and BIR-6 before it.
        ("Cases opened", 7),
        # BIR-5 and BIR-6 had not closed by 31 March 2027.
        ("Open at the end of the period", 2),
        # BIR-0 (raised the year before), BIR-1, BIR-2, BIR-3, WAR-1, RUG-1.
        ("Resolved", 6),
        ("Withdrawn", 1),
    )


def test_levels_report_counts_where_cases_were_settled(region):
    assert figures("levels", region.viewer) == (
        ("Before conciliation", 1, 1),  # WAR-1 resolved; BIR-4 withdrawn
        ("Local conciliation", 4, 0),  # BIR-0, BIR-1, BIR-2, RUG-1
        ("Regional mediation", 1, 0),  # BIR-3
        ("All levels", 6, 1),
    )


def test_time_to_resolution_gives_median_and_90th_percentile_by_level(region):
    assert figures("time-to-resolution", region.viewer) == (
        ("Before conciliation", 1, 10.0, 10.0),
        # Local, n = 4, sorted 27, 29, 50, 52.
        # Median: h = 3 × 0.5 = 1.5, so 29 + 0.5 × (50 − 29) = 39.5.
        # 90th: h = 3 × 0.9 = 2.7, so 50 + 0.7 × (52 − 50) = 51.4.
        ("Local conciliation", 4, 39.5, 51.4),
        ("Regional mediation", 1, 86.0, 86.0),
        # All, n = 6, sorted 10, 27, 29, 50, 52, 86.
        # Median: h = 5 × 0.5 = 2.5, so 29 + 0.5 × 21 = 39.5.
        # 90th: h = 5 × 0.9 = 4.5, so 52 + 0.5 × (86 − 52) = 69.
        ("All levels", 6, 39.5, 69.0),
    )


def test_percentiles_on_an_even_and_an_odd_count(region):
    funding = ReportFilters(start=YEAR.start, end=YEAR.end, area=Area.FUNDING)
    # Resolved funding cases, n = 4: WAR-1 10, BIR-1 27, BIR-2 29, BIR-0 52.
    # Median: h = 1.5, so 27 + 0.5 × 2 = 28. 90th: h = 2.7, so 29 + 0.7 × 23 = 45.1.
    total = queries.report("time-to-resolution", funding, region.viewer).total
    assert total == ("All levels", 4, 28.0, 45.1)
    birmingham = ReportFilters(start=YEAR.start, end=YEAR.end, compact="BIR", area=Area.FUNDING)
    # Birmingham's alone, n = 3: 27, 29, 52. Median: h = 1, exactly 29.
    # 90th: h = 1.8, so 29 + 0.8 × (52 − 29) = 47.4.
    total = queries.report("time-to-resolution", birmingham, region.viewer).total
    assert total == ("All levels", 3, 29.0, 47.4)


def test_outcomes_report_counts_types_and_adds_up_what_was_protected(region):
    assert figures("outcomes", region.viewer) == (
        # WAR-1 (10,000, 1, 14, 300) and BIR-0 (5,000, 0, 0, 10).
        ("Agreement reached", 2, 15000, 1, 14, 310),
        ("Funding reinstated or phased", 1, 67000, 3, 61, 120),
        ("Notice extended", 1, 0, 0, 30, 0),  # service users not known: counts nothing
        ("Decision upheld", 0, 0, 0, 0, 0),
        ("Partially resolved", 1, 25000, 2, 0, 80),
        ("No agreement", 1, 0, 0, 0, 40),
        ("Referred for national advice", 0, 0, 0, 0, 0),
        # 15,000 + 67,000 + 25,000; 1 + 3 + 2; 14 + 61 + 30; 310 + 120 + 80 + 40.
        ("All outcomes", 6, 107000, 6, 105, 550),
    )


def test_areas_report_counts_cases_opened_by_area(region):
    assert figures("areas", region.viewer) == (
        ("Funding", 4),  # BIR-1, BIR-2, BIR-4, WAR-1
        ("Commissioning and procurement", 1),
        ("Consultation and policy", 1),
        ("Volunteering", 1),
        ("Equality and diversity", 1),
        ("Community groups", 0),
        ("BME organisations", 0),
    )


def test_funders_report_counts_cases_opened_by_funder_most_first(region):
    assert figures("funders", region.viewer) == (
        ("Birmingham City Council", 4, 2),  # BIR-1, 3, 4, 5; resolved BIR-1, BIR-3
        ("Warwickshire County Council", 2, 2),  # WAR-1, RUG-1
        ("West Midlands Police", 1, 1),  # BIR-2
    )


def test_trend_report_counts_each_month(region):
    rows = figures("trend", region.viewer)
    assert rows == (
        ("Apr 2026", 2, 1),  # opened BIR-1, WAR-1; resolved BIR-0
        ("May 2026", 1, 2),  # opened BIR-2; resolved WAR-1, BIR-1
        ("Jun 2026", 1, 1),
        ("Jul 2026", 1, 0),
        ("Aug 2026", 1, 0),
        ("Sep 2026", 1, 1),
        ("Oct 2026", 0, 1),
        ("Nov 2026", 0, 0),
        ("Dec 2026", 0, 0),
        ("Jan 2027", 0, 0),
        ("Feb 2027", 0, 0),
        ("Mar 2027", 0, 0),
        ("Whole period", 7, 6),
    )


def test_annual_summary_gives_each_compact_its_own_figures(region):
    summaries = {s.name: s for s in annual.annual_summary(YEAR, region.viewer)}
    assert list(summaries) == ["Birmingham", "Rugby", "Warwickshire"]
    bir = summaries["Birmingham"]
    assert (bir.opened, bir.open_at_end, bir.resolved, bir.withdrawn) == (5, 2, 4, 1)
    assert bir.resolved_by_level == {BEFORE: 0, LOCAL: 3, REGIONAL: 1}
    # 27, 29, 52, 86: h = 1.5, so 29 + 0.5 × 23 = 40.5.
    assert bir.median_days == 40.5
    assert (bir.funding_protected, bir.jobs_safeguarded) == (72000, 3)
    assert (bir.notice_days_gained, bir.service_users_affected) == (91, 170)
    assert (bir.breaches_found, bir.shareable_learning) == (3, 1)
    war = summaries["Warwickshire"]
    assert (war.opened, war.open_at_end, war.resolved, war.withdrawn) == (1, 0, 1, 0)
    assert (war.median_days, war.funding_protected, war.breaches_found) == (10.0, 10000, 0)
    rug = summaries["Rugby"]
    assert (rug.opened, rug.resolved, rug.median_days, rug.funding_protected) == (1, 1, 50.0, 25000)
    assert rug.resolved_by_level == {BEFORE: 0, LOCAL: 1, REGIONAL: 0}


# -- scope -------------------------------------------------------------------------------------


def test_an_officer_counts_only_their_compact_and_its_districts(region):
    assert figures("cases", region.officer_war) == (
        ("Cases opened", 2),
        ("Open at the end of the period", 0),
        ("Resolved", 2),
        ("Withdrawn", 0),
    )
    # Two values, 10 and 50: median 30, 90th 10 + 0.9 × 40 = 46.
    assert queries.report("time-to-resolution", YEAR, region.officer_war).total == (
        "All levels",
        2,
        30.0,
        46.0,
    )


@time_machine.travel(TODAY, tick=False)
def test_cases_outside_the_scope_never_change_figures_or_downloads(region, anonymous, db):
    anonymous.sign_in(region.officer)
    urls = [f"/reports/{name}.csv?{YEAR_QUERY}" for name in queries.REPORTS] + ["/cases.csv"]
    before_figures = [queries.report(n, YEAR, region.officer) for n in queries.REPORTS]
    before_csv = [anonymous.get(url).get_data(as_text=True) for url in urls]
    # Another region's case, and one in Warwickshire: neither is the Birmingham officer's.
    add_elsewhere(db, region, "LEI-2026-0002")
    add_case(
        db,
        region,
        "WAR-2026-0002",
        region.war,
        region.wcc,
        region.rugby_cvs,
        [Area.FUNDING, Area.BME],
        date(2026, 6, 1),
        RESOLVED,
        Closed(date(2026, 7, 1), 21, REGIONAL, RM, OutcomeType.DECISION_UPHELD, (1, 1, 1, 1)),
    )
    db.session.commit()
    assert [queries.report(n, YEAR, region.officer) for n in queries.REPORTS] == before_figures
    assert [anonymous.get(url).get_data(as_text=True) for url in urls] == before_csv
    assert "WAR-2026-0002" not in before_csv[-1] and "BIR-2026-0001" in before_csv[-1]


def test_a_funder_has_no_reports(region, anonymous):
    anonymous.sign_in(region.funder)
    assert anonymous.get("/reports").status_code == 403


# -- pages and downloads -----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_reports_default_to_the_current_financial_year(region, anonymous):
    anonymous.sign_in(region.viewer)
    page = text(anonymous.get("/reports"))
    assert "1 April 2026 to 31 March 2027" in page
    assert "Cases opened 7 Open at the end of the period 2 Resolved 6 Withdrawn 1" in page


@time_machine.travel(TODAY, tick=False)
def test_a_report_page_has_a_chart_and_the_same_figures_in_a_table(region, anonymous):
    anonymous.sign_in(region.viewer)
    response = anonymous.get("/reports/time-to-resolution")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<figure class="app-chart" id="chart"><svg aria-hidden="true"', html)
    assert "Local conciliation 4 39.5 51.4" in text(response)
    # A whole number of days shows without a decimal point; a half stays.
    assert "All levels 6 39.5 69 " in text(response)
    assert "69.0" not in text(response)


@time_machine.travel(TODAY, tick=False)
def test_an_empty_period_shows_an_empty_state(region, anonymous):
    anonymous.sign_in(region.viewer)
    query = "start=1&start=4&start=2010&end=31&end=3&end=2011"
    for url in ["/reports", *(f"/reports/{name}" for name in queries.REPORTS)]:
        response = anonymous.get(f"{url}?{query}")
        assert response.status_code == 200, url
        assert "No cases match these filters in this period." in text(response), url
        assert "<svg" not in response.get_data(as_text=True)
    summary = anonymous.get(f"/reports/annual-summary?{query}")
    assert summary.status_code == 200
    assert "No disputes were raised, open or closed in this period." in text(summary)


@time_machine.travel(TODAY, tick=False)
def test_bad_dates_are_shown_beside_the_field(region, anonymous):
    anonymous.sign_in(region.viewer)
    response = anonymous.get("/reports?start=31&start=2&start=2026&end=1&end=1&end=2020")
    assert response.status_code == 200
    assert field_error(response, "start") == (
        "The start of the period must be a real date, for example 1 4 2026"
    )
    later = anonymous.get("/reports?start=1&start=4&start=2026&end=1&end=1&end=2026")
    assert field_error(later, "end") == "The end of the period must be on or after its start"
    assert anonymous.get("/reports.csv").status_code == 404
    assert anonymous.get("/reports/outcomes.csv?start=x&start=&start=").status_code == 400


@time_machine.travel(TODAY, tick=False)
def test_report_csv_opens_with_the_right_headers(region, anonymous):
    anonymous.sign_in(region.viewer)
    response = anonymous.get(f"/reports/outcomes.csv?{YEAR_QUERY}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="outcomes-2026-04-01-to-2027-03-31.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [
        "Outcome",
        "Cases resolved",
        "Funding protected (£)",
        "Jobs safeguarded",
        "Days of notice gained",
        "Service users affected",
    ]
    assert rows[1]["Outcome"] == "Funding reinstated or phased"
    assert rows[1]["Funding protected (£)"] == "67000"
    assert rows[-1] == {
        "Outcome": "All outcomes",
        "Cases resolved": "6",
        "Funding protected (£)": "107000",
        "Jobs safeguarded": "6",
        "Days of notice gained": "105",
        "Service users affected": "550",
    }
    timing = list(
        csv.DictReader(
            io.StringIO(
                anonymous.get(f"/reports/time-to-resolution.csv?{YEAR_QUERY}").get_data(
                    as_text=True
                )
            )
        )
    )
    assert timing[1]["Median working days"] == "39.5"


@time_machine.travel(TODAY, tick=False)
def test_case_list_csv_has_the_scoped_filtered_cases(region, anonymous):
    anonymous.sign_in(region.officer)
    response = anonymous.get("/cases.csv?state=resolved")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="cases-')
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == list(exports.CASE_CSV_COLUMNS)
    assert [row["Reference"] for row in rows] == [
        "BIR-2026-0003",
        "BIR-2026-0002",
        "BIR-2026-0001",
        "BIR-2026-0000",
    ]
    first = rows[2]
    assert first["Areas of the Compact"] == "Funding"
    assert (first["Level reached"], first["Outcome"]) == (
        "Local conciliation",
        "Funding reinstated or phased",
    )
    assert (first["Funding protected (£)"], first["Working days to close"]) == ("67000", "27")


def test_case_list_csv_streams_in_batches(region, monkeypatch, app):
    from compactcases.cases import search as case_search

    monkeypatch.setattr(case_search, "STREAM_BATCH", 2)
    cases = list(case_search.stream_cases(case_search.CaseFilters(), region.admin))
    assert len(cases) == 10


# -- learning register -------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_learning_register_shares_anonymised_learning_across_regions(region, anonymous, db):
    anonymous.sign_in(region.funder)
    response = anonymous.get("/learning")
    page = text(response)
    assert response.status_code == 200
    assert "4 entries" in page  # BIR-1, WAR-1, RUG-1 and the East Midlands case
    assert "[organisation] restored [£50,000 to £99,999] once [organisation] showed" in page
    names = db.session.scalars(sa.select(Organisation.name)).all()
    assert not [name for name in names if name in page]
    # Money appears only as the bounds of bands.
    bounds = {"£10,000", "£49,999", "£50,000", "£99,999", "£100,000", "£249,999", "£250,000"}
    assert set(re.findall(r"£[\d,]*\d", page)) <= bounds
    assert "funding protected: £250,000 or more" in page
    assert "£999,000" not in page and "67,000" not in page


@time_machine.travel(TODAY, tick=False)
def test_learning_register_is_searchable_by_area(region, anonymous):
    anonymous.sign_in(region.viewer)
    page = text(anonymous.get("/learning?area=volunteering"))
    assert "1 entry about volunteering" in page
    assert "Volunteer expenses are a cost of the service." in page
    assert "No shared learning about bme organisations yet." in text(
        anonymous.get("/learning?area=bme")
    )


def test_funding_bands():
    assert [learning.funding_band(v) for v in (None, 0, 9999, 10000, 67000, 100000, 250000)] == [
        "Not recorded",
        "None",
        "Under £10,000",
        "£10,000 to £49,999",
        "£50,000 to £99,999",
        "£100,000 to £249,999",
        "£250,000 or more",
    ]


# -- the percentile method itself --------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [
        ([7], 7.0, 7.0),
        ([4, 10], 7.0, 9.4),  # h = 0.5; h = 0.9: 4 + 0.9 × 6
        ([1, 2, 9], 2.0, 7.6),  # h = 1; h = 1.8: 2 + 0.8 × 7
        ([5, 1, 3, 2], 2.5, 4.4),  # sorted 1 2 3 5; h = 1.5; h = 2.7: 3 + 0.7 × 2
        ([10, 20, 30, 40, 50], 30.0, 46.0),  # h = 2; h = 3.6: 40 + 0.6 × 10
    ],
)
def test_percentiles_interpolate_between_the_nearest_ranks(db, world, values, median, p90):
    for number, days in enumerate(values):
        add_case(
            db,
            world,
            f"BIR-2026-{number:04d}",
            world.bir,
            world.council,
            world.youth,
            [Area.FUNDING],
            date(2026, 5, 1),
            RESOLVED,
            Closed(date(2026, 6, 1), days, LOCAL, LC, OutcomeType.AGREEMENT_REACHED),
        )
    db.session.commit()
    total = queries.report("time-to-resolution", YEAR, world.admin).total
    assert total == ("All levels", len(values), median, p90)
    if db.session.get_bind().dialect.name == "postgresql":
        # The same as PostgreSQL's own percentile_cont.
        expected = db.session.execute(
            sa.text(
                "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY working_days_to_close),"
                " percentile_cont(0.9) WITHIN GROUP (ORDER BY working_days_to_close) FROM cases"
            )
        ).one()
        assert (median, p90) == pytest.approx(tuple(expected))


# -- funders' notice compliance --------------------------------------------------------------------


def _notice(world, funder, compact, given, effective, **extra):
    from compactcases.models import NoticeKind
    from compactcases.notices import services as notices

    return notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=compact.id,
            funder_id=funder.id,
            recipient_id=world.youth.id,
            title="Grant ends",
            notice_given_on=given,
            effective_on=effective,
            **extra,
        ),
        world.admin,
    )


def _agreement(world, funder, compact, reference, ends_on):
    from compactcases.agreements import services as agreements

    return agreements.create_agreement(
        agreements.AgreementDetails(
            funder_id=funder.id,
            organisation_id=world.youth.id,
            compact_id=compact.id,
            title="Core grant",
            funder_reference=reference,
            annual_value=10000,
            starts_on=date(2024, 4, 1),
            ends_on=ends_on,
        ),
        world.admin,
        today=date(2026, 4, 1),
    )


def test_compliance_report_counts_each_funders_notices_rate_and_missed_windows(region, world, db):
    w = world
    # The council: 1 Sep 2026 → 1 Dec 2026 keeps 3 months; 1 Sep → 13 Oct is 49 days short
    # (earliest compliant 1 Dec: 18 + 30 + 1 days); 1 Sep → 1 Jan 2027 not in writing (its
    # dates are fine, so 0 days short, but it did not keep the Compact). 1 of 3 kept: 33%.
    _notice(w, w.council, w.bir, date(2026, 9, 1), date(2026, 12, 1))
    _notice(w, w.council, w.bir, date(2026, 9, 1), date(2026, 10, 13))
    _notice(w, w.council, w.bir, date(2026, 9, 1), date(2027, 1, 1), written=False)
    # The county council in Warwickshire: one notice, kept: 100%.
    _notice(w, w.wcc, w.war, date(2026, 5, 4), date(2026, 8, 4))
    # Given before the financial year (1 April 2026): not counted.
    _notice(w, w.wcc, w.war, date(2026, 3, 2), date(2026, 4, 2))
    # Notice windows as of 1 February 2027: the council's agreement ending 31 March 2027 had
    # its last day on 31 December 2026 and nothing closed it: missed. Warwickshire's ending
    # 30 June 2027 is open until 31 March 2027. The police's ending 28 February 2027 (last
    # day 30 November 2026) was missed too, though the police gave no notices at all.
    _agreement(w, w.council, w.bir, "BCC-1", date(2027, 3, 31))
    _agreement(w, w.wcc, w.war, "WCC-1", date(2027, 6, 30))
    _agreement(w, w.police, w.bir, "WMP-1", date(2027, 2, 28))
    with time_machine.travel(date(2027, 2, 1), tick=False):
        assert figures("compliance", region.viewer) == (
            ("Birmingham City Council", 3, 1, 33, 49, 1),
            ("Warwickshire County Council", 1, 1, 100, 0, 0),
            ("West Midlands Police", 0, 0, None, 0, 1),
            ("All funders", 4, 2, 50, 49, 2),
        )
        # A Warwickshire officer counts only Warwickshire's notices and windows.
        assert figures("compliance", region.officer_war) == (
            ("Warwickshire County Council", 1, 1, 100, 0, 0),
            ("All funders", 1, 1, 100, 0, 0),
        )


def test_percentiles_from_counts_treat_repeated_values_as_separate_ranks():
    # Values 10, 10, 10, 20. Median: h = 1.5, between two 10s: 10.
    # 90th: h = 2.7, so 10 + 0.7 × (20 − 10) = 17.
    n, values = percentiles_of([(10, 3), (20, 1)], (MEDIAN, P90))
    assert (n, round(values[MEDIAN], 6), round(values[P90], 6)) == (4, 10.0, 17.0)


def test_the_overview_runs_about_one_statement_a_report(region, db):
    viewer = region.viewer
    assert viewer.role  # loaded before counting: the page has its user already
    with counting_statements(db.engine) as statements:
        reports = queries.all_reports(YEAR, viewer)
    assert len(reports) == len(queries.REPORTS) == 9
    # One each, and two for the trend (opened and resolved by month, each on its own column).
    assert len(statements) <= len(queries.REPORTS) + 1

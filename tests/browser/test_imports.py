"""An officer in a real browser: upload a messy spreadsheet of past cases, read its row
errors, import the valid rows, and find an imported case's timeline."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import sign_in

FIXTURE = Path(__file__).parent.parent / "fixtures" / "import" / "cases.csv"


def test_an_officer_imports_past_cases_from_a_spreadsheet(page, world, checked):
    sign_in(page, world.officer.email)
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="Import records from a spreadsheet").click()
    expect(page.get_by_role("heading", name="Import records")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="the columns of cases").click()
    expect(page.locator("#columns")).to_contain_text("source_reference")
    checked(page)
    page.go_back()

    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the file holds")
    checked(page)
    page.get_by_label("Cases").check()
    page.get_by_label("The file").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Upload and check").click()

    expect(page.locator("#counts")).to_contain_text("3 to create")
    expect(page.locator("#row-errors")).to_contain_text("31/04/2021 is not a date")
    checked(page)
    page.get_by_role("button", name="Import").click()
    # Errors and "import the valid rows" not ticked: nothing is imported.
    expect(page.locator("#counts")).to_contain_text("Nothing has been saved yet")
    page.get_by_label("Import the valid rows").check()
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3 created")
    checked(page)

    page.goto(page.url.split("/imports")[0] + "/cases/BIR-2019-0001")
    expect(page.get_by_text("Imported from cases.csv, row 2")).to_be_visible()

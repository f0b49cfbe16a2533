"""Documents in a real browser: an officer uploads the funder's letter to a case, sees a
renamed program refused beside the field, downloads the letter under its name, and removes it;
every page passes the checks at desktop width and 375 px."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.app import document_files as files
from tests.browser.conftest import sign_in


def test_an_officer_uploads_downloads_and_removes_documents(
    page, world, make_case, checked, tmp_path
):
    case = make_case()
    letter = tmp_path / "Council letter.pdf"
    letter.write_bytes(files.pdf("Notice of the end of the youth work grant"))
    program = tmp_path / "minutes.pdf"
    program.write_bytes(files.exe())

    sign_in(page, world.officer.email)
    page.goto(f"/cases/{case.reference}")
    expect(page.locator("#no-documents")).to_be_visible()
    page.get_by_role("link", name="Add documents").click()
    checked(page)

    page.get_by_label("Files").set_input_files([str(letter), str(program)])
    page.get_by_label("Shared with the parties to the case as well").check()
    page.get_by_role("button", name="Upload").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("minutes.pdf is not a file of a kind allowed")
    expect(page.locator("#file-error")).to_contain_text("minutes.pdf")
    checked(page)

    page.get_by_label("Files").set_input_files([str(letter)])
    page.get_by_role("button", name="Upload").click()
    documents = page.locator("#document-list")
    expect(documents).to_contain_text("Council letter.pdf")
    expect(documents).to_contain_text("Shared with the parties")
    expect(page.locator("#timeline")).to_contain_text("Document added")
    checked(page)

    with page.expect_download() as download:
        documents.get_by_role("link", name="Council letter.pdf", exact=True).click()
    assert download.value.suggested_filename == "Council letter.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    documents.get_by_role("link", name="Remove Council letter.pdf").click()
    checked(page)
    page.get_by_label("Why are you removing it?").fill("Uploaded to the wrong case")
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("#no-documents")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Uploaded to the wrong case.")
    checked(page)

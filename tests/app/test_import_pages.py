"""The import pages: upload, preview with row-by-row errors, confirm once; the templates and
the columns page; a file too big or another person's upload."""

from __future__ import annotations

import io
import threading

import pytest
import sqlalchemy as sa

from compactcases.extensions import db as _db
from compactcases.imports.reading import MAX_BYTES
from compactcases.models import Case, ImportUpload
from tests.app.test_case_pages import text
from tests.app.test_imports import CASE_ROW, _cases_csv, fixture
from tests.conftest import ON_POSTGRES, Browser, csrf_token


def upload(browser, name: str, content: bytes, kind: str = "cases"):
    page = browser.get("/imports")
    token = csrf_token(page.get_data(as_text=True))
    return browser.post(
        "/imports",
        data={"csrf_token": token, "kind": kind, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def confirm(browser, url: str, **extra):
    token = csrf_token(browser.get(url).get_data(as_text=True))
    return browser.post(url, data={"csrf_token": token, **extra})


def cases(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Case))


def test_preview_shows_row_errors_and_saves_nothing_until_confirmed(browser, db):
    response = upload(browser, "cases.csv", fixture("cases.csv"))
    assert response.status_code == 302
    url = response.headers["Location"]
    page = text(browser.get(url))
    assert "9 rows: 3 to create, 0 to update, 0 unchanged, 11 with errors" in page
    assert "5 raised_on 31/04/2021 is not a date: check the day and the month" in page
    assert "9 compact WAR is not a Compact you can import into" in page
    assert "Nothing has been saved yet" in page
    assert cases(db) == 0
    # Errors and no "import the valid rows": nothing at all.
    refused = confirm(browser, url)
    assert refused.status_code == 422
    assert cases(db) == 0
    assert db.session.scalars(sa.select(ImportUpload)).one().confirmed_at is None
    done = confirm(browser, url, valid_rows="1")
    assert done.status_code == 302
    assert "cases.csv imported: 3 created, 0 updated, 0 unchanged" in text(browser.get(url))
    assert cases(db) == 3
    # A second confirmation of the same upload does nothing.
    again = confirm(browser, url, valid_rows="1")
    assert again.status_code == 409
    assert "cases.csv was imported" in text(again)
    assert cases(db) == 3


def test_a_clean_file_is_imported_on_confirm(browser, db):
    url = upload(browser, "log.csv", _cases_csv([CASE_ROW])).headers["Location"]
    assert "Advice grant ended" in text(browser.get(url))
    assert confirm(browser, url).status_code == 302
    case = db.session.scalars(sa.select(Case)).one()
    assert case.events[-1].reason == "Imported from log.csv, row 2"
    timeline = text(browser.get(f"/cases/{case.reference}"))
    assert "Imported from log.csv, row 2" in timeline


def test_upload_problems_are_field_errors_not_crashes(browser, db):
    big = upload(browser, "junk.csv", b"x" * (MAX_BYTES + 10))
    assert big.status_code == 422
    assert "The selected file must be smaller than 20 MB" in text(big)
    empty = upload(browser, "empty.csv", b"")
    assert empty.status_code == 422 and "The selected file is empty" in text(empty)
    junk = upload(browser, "junk.csv", bytes(range(256)) * 100)
    page = text(browser.get(junk.headers["Location"]))
    assert "The file is not a CSV or XLSX file: it holds binary data." in page
    no_kind = upload(browser, "log.csv", b"a", kind="")
    assert no_kind.status_code == 422 and "Select what the file holds" in text(no_kind)


def test_an_officer_may_not_import_organisations_from_the_page(browser, db):
    response = upload(browser, "organisations.csv", fixture("organisations.csv"), "organisations")
    assert response.status_code == 422


def test_another_persons_upload_is_not_found(browser, anonymous, world, db):
    url = upload(browser, "log.csv", _cases_csv([CASE_ROW])).headers["Location"]
    other = Browser(browser.app, browser.app.test_client())
    other.sign_in(world.admin)
    assert other.get(url).status_code == 404
    assert other.get("/imports/uploads/not-an-id").status_code == 404


def test_templates_and_columns_pages(browser, db):
    page = text(browser.get("/imports/cases/columns"))
    assert "source_reference Required" in page
    assert "amount_at_stake Optional Whole pounds, like £18,000 or 18000 £45,000" in page
    csv_file = browser.get("/imports/notices/template.csv")
    assert csv_file.headers["Content-Disposition"] == (
        'attachment; filename="notices-template.csv"'
    )
    assert csv_file.data.startswith("\ufeffsource_reference,compact,kind".encode())
    assert browser.get("/imports/agreements/template.xlsx").data[:2] == b"PK"
    assert browser.get("/imports/agreements/template.pdf").status_code == 404
    assert browser.get("/imports/letters/columns").status_code == 404


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent imports need PostgreSQL")
def test_two_imports_of_the_same_file_at_once_create_each_case_once(app, world, db):
    from compactcases.imports.services import run_import
    from compactcases.models import ImportKind

    content = _cases_csv([{**CASE_ROW, "source_reference": f"R-{i}"} for i in range(40)])
    barrier = threading.Barrier(2)
    results, errors = [], []

    def go() -> None:
        try:
            with app.app_context():
                barrier.wait()
                results.append(run_import(ImportKind.CASES, "log.csv", content, None))
                _db.session.remove()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(r.created for r in results) == [0, 40]
    assert sorted(r.unchanged for r in results) == [0, 40]
    db.session.expire_all()
    assert cases(db) == 40
    references = db.session.scalars(sa.select(Case.reference)).all()
    assert len(set(references)) == 40

"""Documents through the pages: an officer adds files to a case, notice or agreement, anyone
who may see one downloads it safely, a funder sees only what is shared with the parties, and
removal and erasure leave their trace on the timeline."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from compactcases.agreements import services as agreements
from compactcases.documents import services, storage
from compactcases.models import Document, DocumentBlob, NoticeKind
from compactcases.notices import services as notices
from tests.app import document_files as files
from tests.conftest import csrf_token


@pytest.fixture(params=[storage.FILESYSTEM, storage.DATABASE])
def backend(request, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "DOCUMENT_STORAGE", request.param)
    monkeypatch.setitem(app.config, "DOCUMENT_DIR", str(tmp_path / "documents"))
    return request.param


@pytest.fixture
def case(make_case):
    return make_case()


def upload(browser, page_url: str, parts: list[tuple[str, bytes]], visibility="private"):
    page = browser.get(page_url)
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(page.get_data(as_text=True)),
        "visibility": visibility,
        "file": [(io.BytesIO(content), name) for name, content in parts],
    }
    return browser.post(page_url, data=data, content_type="multipart/form-data")


def test_an_officer_uploads_files_to_a_case_and_downloads_them(browser, world, case, backend):
    letter, reply = files.pdf(), "Our reply – with thanks.\n".encode()
    response = upload(
        browser,
        f"/cases/{case.reference}/documents/new",
        [("Funder’s letter.pdf", letter), ("reply.txt", reply)],
        visibility="parties",
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/cases/{case.reference}#documents")
    page = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Funder’s letter.pdf" in page
    assert "Shared with the parties" in page
    assert "Document added" in page
    documents = {d.filename: d for d in browser_documents()}
    download = browser.get(f"/documents/{documents['Funder’s letter.pdf'].id}/download")
    assert download.status_code == 200
    assert download.data == letter
    assert download.mimetype == "application/pdf"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Funders letter.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "Funder’s letter.pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"].startswith("private")
    text = browser.get(f"/documents/{documents['reply.txt'].id}/download")
    assert text.data == reply
    assert text.mimetype == "text/plain"


def browser_documents() -> list[Document]:
    from compactcases.extensions import db

    return list(db.session.scalars(sa.select(Document).order_by(Document.id)))


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("setup.pdf", files.exe(), "not a file of a kind allowed"),
        ("page.txt", files.html(), "not a file of a kind allowed"),
        ("empty.pdf", b"", "is empty"),
        ("../x.pdf", files.pdf(), "folder path"),
        ("a" * 296 + ".pdf", files.pdf(), "300 characters long"),
    ],
)
def test_a_bad_file_is_refused_beside_the_field_and_none_is_saved(
    browser, case, backend, name, content, says
):
    response = upload(
        browser,
        f"/cases/{case.reference}/documents/new",
        [("good.pdf", files.pdf()), (name, content)],
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert says in html
    assert 'href="#file"' in html
    assert browser_documents() == []


def test_choosing_no_file_is_refused(browser, case, backend):
    response = upload(browser, f"/cases/{case.reference}/documents/new", [("", b"")])
    assert response.status_code == 422
    assert "Choose at least one file" in response.get_data(as_text=True)


def test_a_file_over_the_limit_is_a_field_error_not_a_413(browser, case, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_MB", 1)
    big = files.pdf() + b"%" * (1024 * 1024 + 10)
    response = upload(browser, f"/cases/{case.reference}/documents/new", [("big.pdf", big)])
    assert response.status_code == 422
    assert "larger than 1 MB" in response.get_data(as_text=True)


def _add(owner, actor, name="letter.pdf", visibility="private", data=None):
    document = services.add_document(
        owner=owner, filename=name, data=data or files.pdf(name), visibility=visibility, actor=actor
    )
    from compactcases.extensions import db

    db.session.commit()
    return document


def test_a_funder_sees_and_downloads_only_what_is_shared_with_the_parties(
    anonymous, world, case, backend
):
    shared = _add(case, world.officer, "shared.pdf", "parties")
    private = _add(case, world.officer, "private.pdf", "private")
    anonymous.sign_in(world.funder)
    page = anonymous.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "shared.pdf" in page
    assert "private.pdf" not in page
    assert anonymous.get(f"/documents/{shared.id}/download").status_code == 200
    assert anonymous.get(f"/documents/{private.id}/download").status_code == 404


def test_documents_on_notices_and_agreements(browser, world, db, backend):
    notice = notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Core grant ends",
            notice_given_on=date(2026, 9, 1),
            effective_on=date(2027, 3, 1),
        ),
        world.admin,
    )
    agreement = agreements.create_agreement(
        agreements.AgreementDetails(
            funder_id=world.council.id,
            organisation_id=world.youth.id,
            compact_id=world.bir.id,
            title="Youth work",
            funder_reference="BCC-1",
            annual_value=1000,
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        world.admin,
    )
    for page_url, name in (
        (f"/notices/{notice.id}", "notice letter.pdf"),
        (f"/funding-agreements/{agreement.id}", "agreement.pdf"),
    ):
        response = upload(browser, f"{page_url}/documents/new", [(name, files.pdf(name))])
        assert response.status_code == 302
        assert name in browser.get(page_url).get_data(as_text=True)


def test_removing_a_document_keeps_who_and_why_on_the_timeline(browser, world, case, backend):
    document = _add(case, world.officer, visibility="parties")
    form_url = f"/documents/{document.id}/remove"
    refused = browser.submit(form_url, form_url, {"reason": ""})
    assert refused.status_code == 422
    response = browser.submit(form_url, form_url, {"reason": "Sent to the wrong case"})
    assert response.status_code == 302
    page = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Document removed" in page
    assert "Sent to the wrong case." in page
    assert "letter.pdf was removed." in page
    assert browser.get(f"/documents/{document.id}/download").status_code == 404


def test_only_an_administrator_erases_a_file_and_the_row_stays(anonymous, world, case, backend, db):
    data = files.pdf("personal data")
    document = _add(case, world.officer, data=data)
    kept = _add(case, world.officer, "copy.pdf", data=data)
    url = f"/documents/{document.id}/purge"
    anonymous.sign_in(world.officer)
    assert anonymous.get(url).status_code == 403
    anonymous.sign_out()
    anonymous.sign_in(world.admin)
    response = anonymous.submit(url, url, {"reason": "Data-subject request"})
    assert response.status_code == 302
    db.session.refresh(document)
    assert document.purged_at is not None and document.removed_at is not None
    # Another document holds the same bytes: they stay for it.
    assert services.read_content(kept) == data
    second = f"/documents/{kept.id}/purge"
    assert anonymous.submit(second, second, {"reason": "Data-subject request"}).status_code == 302
    sha256 = hashlib.sha256(data).hexdigest()
    assert db.session.get(DocumentBlob, sha256) is None
    assert not storage.backend(storage.FILESYSTEM).path(sha256).exists()
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 2
    page = anonymous.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "Document file erased" in page
    assert "Data-subject request." in page

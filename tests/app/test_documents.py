"""Documents as a service: what is accepted and refused, where the bytes go, and that the
same bytes are kept once, on both storage backends."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from compactcases.documents import services, storage
from compactcases.documents.services import DocumentRefused, Upload
from compactcases.models import CaseEvent, CaseEventKind, Document, DocumentBlob, utcnow
from tests.app import document_files as files


@pytest.fixture(params=[storage.FILESYSTEM, storage.DATABASE])
def backend(request, app, monkeypatch, tmp_path):
    """Each storage backend in turn, the filesystem one in a folder of this test's own."""
    monkeypatch.setitem(app.config, "DOCUMENT_STORAGE", request.param)
    monkeypatch.setitem(app.config, "DOCUMENT_DIR", str(tmp_path / "documents"))
    return request.param


@pytest.fixture
def case(make_case):
    return make_case()


ACCEPTED = [
    ("letter.pdf", files.pdf, "application/pdf"),
    (
        "response.docx",
        files.docx_file,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "figures.xlsx",
        files.xlsx_file,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("minutes.odt", lambda: files.opendocument("text"), "application/vnd.oasis.opendocument.text"),
    (
        "budget.ods",
        lambda: files.opendocument("spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    ("photo.png", files.png, "image/png"),
    ("scan.JPG", files.jpeg, "image/jpeg"),
    ("reply.txt", lambda: "We disagree – strongly.\n".encode(), "text/plain"),
    ("grants.csv", lambda: b"year,amount\n2025,45000\n2026,0\n", "text/csv"),
    ("email.eml", files.eml, "message/rfc822"),
    ("email.msg", files.msg, "application/vnd.ms-outlook"),
]


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED)
def test_every_kind_allowed_is_accepted_by_its_content(
    db, world, case, backend, name, make, content_type
):
    data = make()
    document = services.add_document(
        owner=case, filename=name, data=data, visibility="private", actor=world.officer
    )
    db.session.commit()
    assert document.content_type == content_type
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert services.read_content(document) == data


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("setup.pdf", files.exe(), "not a file of a kind allowed"),
        ("page.txt", files.html(), "not a file of a kind allowed"),
        ("page.csv", b"a,b\n<script>alert(1)</script>,2\n", "not a file of a kind allowed"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "not a file of a kind"),
        ("archive.docx", b"PK\x03\x04" + bytes(40), "not a file of a kind allowed"),
        ("letter.docx", files.pdf(), "is a PDF, so its name must end in .pdf"),
        ("empty.pdf", b"", "is empty"),
        ("../x.pdf", files.pdf(), "folder path"),
        ("..\\x.pdf", files.pdf(), "folder path"),
        ("x\x00.pdf", files.pdf(), "folder path"),
        ("a" * 296 + ".pdf", files.pdf(), "300 characters long"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(db, world, case, backend, name, data, says):
    with pytest.raises(DocumentRefused) as refused:
        services.upload_documents(
            owner=case,
            uploads=[Upload("fine.pdf", files.pdf()), Upload(name, data)],
            visibility="private",
            actor=world.officer,
        )
    assert says in refused.value.message
    assert refused.value.field == "file"
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(DocumentBlob.sha256))) == 0


def test_a_file_over_the_size_limit_is_refused(db, world, case, backend, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_MB", 1)
    big = files.pdf() + b"%" * (1024 * 1024)
    with pytest.raises(DocumentRefused, match="larger than 1 MB"):
        services.add_document(
            owner=case, filename="big.pdf", data=big, visibility="parties", actor=world.officer
        )


def test_the_same_bytes_twice_are_kept_once(db, world, case, backend, app):
    data = files.pdf()
    for name in ("letter.pdf", "copy of letter.pdf"):
        services.add_document(
            owner=case, filename=name, data=data, visibility="private", actor=world.officer
        )
    db.session.commit()
    sha256 = hashlib.sha256(data).hexdigest()
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 2
    if backend == storage.FILESYSTEM:
        stored = [p for p in storage.backend().root.rglob("*") if p.is_file()]
        assert [p.name for p in stored] == [sha256]
        assert stored[0].read_bytes() == data
    else:
        assert db.session.scalars(sa.select(DocumentBlob.sha256)).all() == [sha256]


def test_adding_a_document_writes_the_timeline_entry_without_committing(db, world, case, backend):
    services.add_document(
        owner=case,
        filename="letter.pdf",
        data=files.pdf(),
        visibility="parties",
        actor=world.officer,
    )
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0
    services.add_document(
        owner=case,
        filename="letter.pdf",
        data=files.pdf(),
        visibility="private",
        actor=world.officer,
    )
    db.session.commit()
    entry = db.session.scalar(
        sa.select(CaseEvent).where(CaseEvent.kind == CaseEventKind.DOCUMENT_ADDED)
    )
    assert entry.changes == {"document": [None, "letter.pdf"]}
    assert entry.actor == world.officer
    assert entry.private is True


def test_a_document_belongs_to_exactly_one_record(db, world, case):
    row = dict(filename="x.pdf", size=1, sha256="0" * 64, content_type="application/pdf")
    row |= dict(visibility="private", uploaded_at=utcnow())
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(Document.__table__).values(row))
    db.session.rollback()
    db.session.execute(sa.insert(Document.__table__).values({**row, "case_id": case.id}))
    db.session.commit()

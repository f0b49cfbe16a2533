"""Documents through the API: multipart upload to a case, the record and the file, on both
storage backends; refusals as problem details; out-of-scope documents as 404; and two uploads
of the same bytes at once both succeed on PostgreSQL."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa

from compactcases.documents import services, storage
from compactcases.extensions import db as _db
from compactcases.models import CaseEvent, CaseEventKind, Document, DocumentBlob, User
from tests.app import document_files as files
from tests.app.test_api import bearer, token_for
from tests.app.test_races import _at_once
from tests.conftest import ON_POSTGRES


@pytest.fixture(params=[storage.FILESYSTEM, storage.DATABASE])
def backend(request, app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "DOCUMENT_STORAGE", request.param)
    monkeypatch.setitem(app.config, "DOCUMENT_DIR", str(tmp_path / "documents"))
    return request.param


@pytest.fixture
def api(app, db):
    return app.test_client()


@pytest.fixture
def case(make_case):
    return make_case()


def post_files(api, case, headers, parts, visibility="private"):
    return api.post(
        f"/api/v1/cases/{case.reference}/documents",
        data={"visibility": visibility, "file": [(io.BytesIO(d), n) for n, d in parts]},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_an_officer_uploads_and_downloads_through_the_api(api, world, case, backend):
    officer = bearer(token_for(api, world.officer))
    letter, figures = files.pdf(), files.xlsx_file()
    response = post_files(
        api, case, officer, [("letter.pdf", letter), ("figures.xlsx", figures)], "parties"
    )
    assert response.status_code == 201, response.json
    items = response.json["items"]
    assert [(i["filename"], i["size"], i["visibility"]) for i in items] == [
        ("letter.pdf", len(letter), "parties"),
        ("figures.xlsx", len(figures), "parties"),
    ]
    assert items[0]["sha256"] == hashlib.sha256(letter).hexdigest()
    assert items[0]["content_type"] == "application/pdf"
    record = api.get(f"/api/v1/documents/{items[0]['id']}", headers=officer)
    assert record.status_code == 200
    assert record.json["case"] == case.reference
    content = api.get(items[1]["content_url"], headers=officer)
    assert content.status_code == 200
    assert content.data == figures
    assert content.headers["Content-Disposition"].startswith("attachment;")
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in content.headers["Cache-Control"]
    listed = api.get(f"/api/v1/cases/{case.reference}/documents", headers=officer)
    assert {i["filename"] for i in listed.json["items"]} == {"letter.pdf", "figures.xlsx"}


@pytest.mark.parametrize(
    ("parts", "field", "says"),
    [
        ([], "file", "Choose at least one file"),
        ([("setup.pdf", files.exe())], "file", "not a file of a kind allowed"),
        ([("notes.txt", files.html())], "file", "not a file of a kind allowed"),
        ([("ok.pdf", files.pdf()), ("../x.pdf", files.pdf())], "file", "folder path"),
        ([("a" * 300, files.pdf())], "file", "300 characters long"),
    ],
)
def test_refusals_are_problem_details_and_nothing_is_saved(
    api, world, case, backend, db, parts, field, says
):
    officer = bearer(token_for(api, world.officer))
    response = post_files(api, case, officer, parts)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert says in response.json["errors"][field][0]
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 0


def test_an_unknown_visibility_is_refused(api, world, case):
    officer = bearer(token_for(api, world.officer))
    response = post_files(api, case, officer, [("a.pdf", files.pdf())], visibility="public")
    assert response.status_code == 422
    assert "visibility" in response.json["errors"]


def test_a_file_over_the_limit_is_refused_as_a_field_error(api, world, case, app, monkeypatch):
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_MB", 1)
    officer = bearer(token_for(api, world.officer))
    big = files.pdf() + b"%" * (1024 * 1024)
    response = post_files(api, case, officer, [("big.pdf", big)])
    assert response.status_code == 422
    assert "larger than 1 MB" in response.json["errors"]["file"][0]


def test_a_request_larger_than_any_upload_is_a_problem(api, world, case, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    officer = bearer(token_for(api, world.officer))
    response = post_files(api, case, officer, [("big.pdf", files.pdf() + b"%" * 2000)])
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_a_funder_reads_only_shared_documents_and_cannot_upload(api, world, case, db):
    shared = services.add_document(
        owner=case, filename="s.pdf", data=files.pdf("s"), visibility="parties", actor=world.officer
    )
    private = services.add_document(
        owner=case, filename="p.pdf", data=files.pdf("p"), visibility="private", actor=world.officer
    )
    db.session.commit()
    funder = bearer(token_for(api, world.funder))
    listed = api.get(f"/api/v1/cases/{case.reference}/documents", headers=funder)
    assert [i["filename"] for i in listed.json["items"]] == ["s.pdf"]
    assert api.get(f"/api/v1/documents/{shared.id}/content", headers=funder).status_code == 200
    assert api.get(f"/api/v1/documents/{private.id}", headers=funder).status_code == 404
    assert api.get(f"/api/v1/documents/{private.id}/content", headers=funder).status_code == 404
    assert post_files(api, case, funder, [("x.pdf", files.pdf())]).status_code == 403
    outsider = bearer(token_for(api, world.officer_war))
    assert api.get(f"/api/v1/documents/{shared.id}/content", headers=outsider).status_code == 404


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
@pytest.mark.parametrize("round_", range(5))
def test_two_uploads_of_the_same_bytes_at_once_both_succeed(
    app, api, world, case, db, monkeypatch, round_
):
    monkeypatch.setitem(app.config, "DOCUMENT_STORAGE", storage.DATABASE)
    data = files.pdf(f"the same letter, round {round_}")
    headers = [bearer(token_for(api, user)) for user in (world.officer, world.admin)]
    responses = _at_once(
        app,
        *[
            (lambda h=h: post_files(app.test_client(), case, h, [("letter.pdf", data)]))
            for h in headers
        ],
    )
    assert [r.status_code for r in responses] == [201, 201]
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Document.id))) == 2
    assert db.session.scalars(sa.select(DocumentBlob.sha256)).all() == [
        hashlib.sha256(data).hexdigest()
    ]


@pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")
def test_two_people_removing_a_document_at_once_remove_it_once(app, world, case, db):
    document = services.add_document(
        owner=case, filename="a.pdf", data=files.pdf(), visibility="private", actor=world.officer
    )
    db.session.commit()
    people = [world.officer.id, world.admin.id]

    def remove(user_id: int):
        try:
            services.remove_document(
                _db.session.get(Document, document.id),
                reason="Duplicate",
                actor=_db.session.get(User, user_id),
            )
        except services.DocumentGone:
            return "gone"
        return "removed"

    outcomes = _at_once(app, *[(lambda u=u: remove(u)) for u in people])
    assert sorted(outcomes) == ["gone", "removed"]
    entries = db.session.scalars(
        sa.select(CaseEvent).where(CaseEvent.kind == CaseEventKind.DOCUMENT_REMOVED)
    ).all()
    assert len(entries) == 1

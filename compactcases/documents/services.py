"""Document use cases: add files to a case, notice or funding agreement, read them back,
list what a person may open, remove a document (soft, with a reason) and purge its bytes.

`add_document` only adds to the caller's unit of work (the row, the bytes, the timeline
entry) so that another use case, a generated letter say, can record its own entry in the
same transaction; `upload_documents` is the whole use case behind the pages and the API:
every file is checked before any is stored, so one bad file saves none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from .. import history, policy
from ..extensions import db
from ..models import (
    MAX_FILENAME,
    Case,
    CaseEventKind,
    Document,
    DocumentVisibility,
    FundingAgreement,
    Notice,
    User,
    utcnow,
)
from ..reminders import moves
from . import storage, types

Owner = Case | Notice | FundingAgreement


class DocumentRefused(Exception):
    """A file, or what was asked of a document, cannot be accepted; nothing was written.

    `message` is what the person is told, beside `field`."""

    def __init__(self, message: str, field: str = "file") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def field_errors(self) -> dict[str, str]:
        return {self.field: self.message}


class DocumentGone(Exception):
    """Someone else removed or purged the document first; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Upload:
    """One file as received: the name the person's computer gave it and its bytes."""

    filename: str
    data: bytes


def max_bytes() -> int:
    return current_app.config["DOCUMENT_MAX_MB"] * 1024 * 1024


def uploads_from(parts) -> list[Upload]:
    """The files a request carried (Werkzeug's FileStorage parts: the form's field or the
    API's `file` parts), each read no further than one byte past the size limit, so a larger
    file is refused without holding all of it."""
    limit = max_bytes() + 1
    uploads = []
    for part in parts or []:
        if not hasattr(part, "stream"):
            # A `file` field sent as text, not as a file.
            continue
        data = part.stream.read(limit)
        if not part.filename and not data:
            # A file input left empty still sends an empty part.
            continue
        uploads.append(Upload(part.filename or "", data))
    return uploads


def check_filename(filename: str) -> str:
    """The name kept for the file, or DocumentRefused saying what is wrong with it."""
    name = (filename or "").strip()
    if not name:
        raise DocumentRefused("The file has no name: give it one and choose it again")
    if "/" in name or "\\" in name or "\x00" in name or name in (".", ".."):
        raise DocumentRefused(
            f"The file name {_shown(name)} contains a folder path or a forbidden character: "
            "rename the file (no /, \\ or ..) and choose it again"
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise DocumentRefused(
            "The file name contains a control character: rename the file and choose it again"
        )
    if len(name) > MAX_FILENAME:
        raise DocumentRefused(
            f"The file name is {len(name)} characters long: rename the file to "
            f"{MAX_FILENAME} characters or fewer"
        )
    return name


def check_file(filename: str, data: bytes) -> tuple[str, types.Kind]:
    """The name to keep and the kind of file, or DocumentRefused saying why not."""
    name = check_filename(filename)
    if not data:
        raise DocumentRefused(f"{name} is empty: choose a file with something in it")
    limit = current_app.config["DOCUMENT_MAX_MB"]
    if len(data) > max_bytes():
        raise DocumentRefused(f"{name} is larger than {limit} MB: choose a smaller file")
    kind = types.judge(data, name)
    if kind is None:
        raise DocumentRefused(
            f"{name} is not a file of a kind allowed: upload a {types.ALLOWED_LIST} file"
        )
    if not types.name_fits(kind, name):
        raise DocumentRefused(
            f"{name} is a {kind.label}, so its name must end in {kind.endings[0]}: "
            "rename the file and choose it again"
        )
    return name, kind


def add_document(
    *,
    owner: Owner,
    filename: str,
    data: bytes,
    visibility: DocumentVisibility | str,
    actor: User,
    logged: bool = True,
    announced: bool = True,
) -> Document:
    """Check the file, store its bytes and add its row (and, on a case, its timeline entry)
    to the current transaction, without committing. Raises DocumentRefused. A caller that
    writes its own entry for the file (a generated letter) passes `logged=False`; one whose
    own message already tells the parties of the file (a concern raised with its documents, a
    response with its papers) passes `announced=False`, so nobody is told twice."""
    name, kind = check_file(filename, data)
    visibility = _visibility(visibility)
    sha256 = hashlib.sha256(data).hexdigest()
    storage.backend().put(sha256, data)
    document = Document(
        filename=name,
        size=len(data),
        sha256=sha256,
        content_type=kind.content_type,
        visibility=visibility,
        uploaded_by=actor,
        uploaded_at=utcnow(),
    )
    _attach(document, owner)
    db.session.add(document)
    if logged:
        _log(document, CaseEventKind.DOCUMENT_ADDED, actor, reason=None, announced=announced)
    return document


def upload_documents(
    *,
    owner: Owner,
    uploads: Sequence[Upload],
    visibility: DocumentVisibility | str | None,
    actor: User,
) -> list[Document]:
    """Add every file of `uploads` to `owner` and commit, or none of them (DocumentRefused)."""
    if not uploads:
        raise DocumentRefused("Choose at least one file to upload")
    limit = current_app.config["DOCUMENT_MAX_FILES"]
    if len(uploads) > limit:
        raise DocumentRefused(f"Choose {limit} files or fewer at a time")
    if not visibility:
        raise DocumentRefused(
            "Choose whether the documents are private or shared with the parties", "visibility"
        )
    _visibility(visibility)
    for upload in uploads:
        check_file(upload.filename, upload.data)
    try:
        documents = [
            add_document(
                owner=owner,
                filename=upload.filename,
                data=upload.data,
                visibility=visibility,
                actor=actor,
            )
            for upload in uploads
        ]
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return documents


def read_content(document: Document) -> bytes:
    """The document's bytes; storage.MissingContent once they have been purged."""
    if document.purged_at is not None:
        raise storage.MissingContent(document.sha256)
    return storage.read(document.sha256)


def get_document(document_id: int) -> Document | None:
    return db.session.get(Document, document_id)


def documents_of(owner: Owner, user: User) -> list[Document]:
    """The documents on `owner` that `user` may see, newest first, removed ones included for
    those who see removals (the Compact's own people)."""
    query = policy.scope_documents(sa.select(Document), user).where(_owned_by(owner))
    query = query.options(
        joinedload(Document.uploaded_by),
        joinedload(Document.removed_by),
        joinedload(Document.purged_by),
    ).order_by(Document.uploaded_at.desc(), Document.id.desc())
    return list(db.session.scalars(query))


def remove_document(document: Document, *, reason: str, actor: User) -> Document:
    """Remove `document` from its record (its bytes stay until purged) and commit."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentRefused("Say why the document is being removed", "reason")
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Document)
        .where(Document.id == document.id, Document.removed_at.is_(None))
        .values(removed_at=now, removed_by_id=actor.id, removed_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise DocumentGone(f"{document.filename} has already been removed")
    db.session.refresh(document)
    _log(document, CaseEventKind.DOCUMENT_REMOVED, actor, reason=reason)
    db.session.commit()
    return document


def purge_document(document: Document, *, reason: str, actor: User) -> Document:
    """Erase `document`'s bytes for good, keeping its row as a record that it existed.

    The bytes go only when no other document that is not purged shares them. An
    administrator's use case; the document is removed too if it was not already."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentRefused("Say why the file is being erased", "reason")
    store = storage.backend(storage.DATABASE)
    store.lock(document.sha256)
    now = utcnow()
    live = Document.removed_at.is_(None)
    values = {
        "purged_at": now,
        "purged_by_id": actor.id,
        "purged_reason": reason,
        # Removed now if no one removed it before.
        "removed_at": sa.case((live, now), else_=Document.removed_at),
        "removed_by_id": sa.case((live, actor.id), else_=Document.removed_by_id),
        "removed_reason": sa.case((live, reason), else_=Document.removed_reason),
    }
    claimed = db.session.execute(
        sa.update(Document)
        .where(Document.id == document.id, Document.purged_at.is_(None))
        .values(values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise DocumentGone(f"The file of {document.filename} has already been erased")
    db.session.refresh(document)
    shared = _still_needed(document.sha256)
    if not shared:
        store.delete(document.sha256)
    _log(document, CaseEventKind.DOCUMENT_PURGED, actor, reason=reason)
    db.session.commit()
    if not shared and not _still_needed(document.sha256):
        storage.backend(storage.FILESYSTEM).delete(document.sha256)
    return document


def _still_needed(sha256: str) -> bool:
    """Whether a document that is not purged has these bytes."""
    return bool(
        db.session.scalar(
            sa.select(sa.func.count(Document.id)).where(
                Document.sha256 == sha256, Document.purged_at.is_(None)
            )
        )
    )


def _visibility(value: DocumentVisibility | str) -> DocumentVisibility:
    try:
        return DocumentVisibility(value)
    except ValueError:
        raise DocumentRefused(
            "Choose whether the documents are private or shared with the parties", "visibility"
        ) from None


def _attach(document: Document, owner: Owner) -> None:
    if isinstance(owner, Case):
        document.case = owner
    elif isinstance(owner, Notice):
        document.notice = owner
    elif isinstance(owner, FundingAgreement):
        document.agreement = owner
    else:
        raise TypeError(f"documents belong to a case, notice or agreement, not {owner!r}")


def _owned_by(owner: Owner) -> sa.ColumnElement[bool]:
    column = {Case: Document.case_id, Notice: Document.notice_id}.get(
        type(owner), Document.agreement_id
    )
    return column == owner.id


def _log(
    document: Document,
    kind: CaseEventKind,
    actor: User,
    *,
    reason: str | None,
    announced: bool = True,
) -> None:
    """The entry on the case's timeline, private when the document is."""
    case = document.case
    if case is None:
        return
    # As every entry's changes are: {name: [before, after]}.
    change = {
        CaseEventKind.DOCUMENT_ADDED: {"document": [None, document.filename]},
        CaseEventKind.DOCUMENT_REMOVED: {"document": [document.filename, None]},
        CaseEventKind.DOCUMENT_PURGED: {"document_file": [document.filename, None]},
    }[kind]
    entry = history.record_event(
        case, kind, actor, reason=reason, changes=change, touches_case=False
    )
    entry.private = document.visibility is DocumentVisibility.PRIVATE
    # Dated now, not when the unit of work is flushed: several files added together are
    # written in one batch, and each entry keeps the moment its file was added.
    entry.occurred_at = utcnow()
    if kind is CaseEventKind.DOCUMENT_ADDED and announced:
        # The parties are told of a document shared with them (never of a private one).
        moves.plan_updates(case, entry)


def _shown(name: str) -> str:
    return repr(name[:60])

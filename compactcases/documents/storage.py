"""Where documents' bytes are kept: one small interface, two backends, chosen by the
DOCUMENT_STORAGE setting.

Both key the bytes by their SHA-256, so the same file uploaded twice is kept once:
- `filesystem` (the default) writes `<DOCUMENT_DIR>/<aa>/<sha256>` atomically (a temporary
  file in the same folder, then a rename), so a reader never sees half a file and two
  writers of the same bytes both end with the one whole file;
- `database` keeps a `document_blobs` row per SHA-256 in the caller's transaction, so several
  hosts sharing one PostgreSQL need no shared disk. Two uploads of the same bytes at once
  both succeed: the insert gives way to a row already there.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import DocumentBlob, utcnow

FILESYSTEM = "filesystem"
DATABASE = "database"
BACKENDS = (FILESYSTEM, DATABASE)


class MissingContent(Exception):
    """The bytes of a document are in no backend (purged, or the storage was moved)."""


class Storage(Protocol):
    def put(self, sha256: str, data: bytes) -> None: ...

    def get(self, sha256: str) -> bytes | None: ...

    def delete(self, sha256: str) -> None: ...


class FilesystemStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def get(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(sha256).unlink()


class DatabaseStorage:
    def put(self, sha256: str, data: bytes) -> None:
        values = {"sha256": sha256, "size": len(data), "data": data, "stored_at": utcnow()}
        dialect = db.session.get_bind().dialect.name
        table = DocumentBlob.__table__
        if dialect == "postgresql":
            # DO UPDATE rather than DO NOTHING: it locks the row, so an administrator's purge
            # of the same bytes waits for this upload and then sees its document.
            statement = postgresql.insert(table).values(values)
            statement = statement.on_conflict_do_update(
                index_elements=["sha256"], set_={"sha256": statement.excluded.sha256}
            )
        elif dialect == "sqlite":
            statement = sqlite.insert(table).values(values).on_conflict_do_nothing()
        else:  # pragma: no cover - the two databases the service runs on
            raise RuntimeError(f"no document storage for {dialect}")
        db.session.execute(statement)

    def get(self, sha256: str) -> bytes | None:
        return db.session.scalar(sa.select(DocumentBlob.data).where(DocumentBlob.sha256 == sha256))

    def delete(self, sha256: str) -> None:
        db.session.execute(sa.delete(DocumentBlob).where(DocumentBlob.sha256 == sha256))

    def lock(self, sha256: str) -> None:
        """Hold the blob's row until the transaction ends (a purge against an upload)."""
        db.session.execute(
            sa.select(DocumentBlob.sha256).where(DocumentBlob.sha256 == sha256).with_for_update()
        )


def backend(name: str | None = None) -> FilesystemStorage | DatabaseStorage:
    """The backend `name` names, by default the one DOCUMENT_STORAGE sets."""
    name = name or current_app.config.get("DOCUMENT_STORAGE") or FILESYSTEM
    if name == FILESYSTEM:
        return FilesystemStorage(Path(current_app.config["DOCUMENT_DIR"]))
    if name == DATABASE:
        return DatabaseStorage()
    raise RuntimeError(f"DOCUMENT_STORAGE must be one of {', '.join(BACKENDS)}, not {name!r}")


def read(sha256: str) -> bytes:
    """The bytes stored under `sha256`: from the configured backend first, then the other,
    so documents stay readable after DOCUMENT_STORAGE is switched."""
    configured = backend()
    for store in (configured, *(backend(n) for n in BACKENDS if n != _name(configured))):
        data = store.get(sha256)
        if data is not None:
            return data
    raise MissingContent(sha256)


def delete_everywhere(sha256: str) -> None:
    for name in BACKENDS:
        backend(name).delete(sha256)


def _name(store: FilesystemStorage | DatabaseStorage) -> str:
    return FILESYSTEM if isinstance(store, FilesystemStorage) else DATABASE

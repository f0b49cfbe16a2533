"""Files uploaded on the import page, kept between the preview and the confirmation: each
under a random id, readable only by the person who uploaded it, confirmed once."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import ImportKind, ImportUpload, User, utcnow
from .services import Summary, run_import

# Uploads older than this are removed when the next one is saved.
KEPT_FOR = timedelta(days=2)


def save_upload(user: User, kind: ImportKind, filename: str, content: bytes) -> ImportUpload:
    db.session.execute(
        sa.delete(ImportUpload).where(ImportUpload.uploaded_at < utcnow() - KEPT_FOR)
    )
    upload = ImportUpload(
        id=secrets.token_urlsafe(32),
        user_id=user.id,
        kind=kind,
        filename=filename[-200:] or "upload",
        content=content,
    )
    db.session.add(upload)
    db.session.commit()
    return upload


def get_upload(upload_id: str, user: User) -> ImportUpload | None:
    """The user's own upload with this id, or None (another person's is not found)."""
    if not isinstance(upload_id, str) or len(upload_id) > 43:
        return None
    return db.session.scalar(
        sa.select(ImportUpload).where(ImportUpload.id == upload_id, ImportUpload.user_id == user.id)
    )


def preview(upload: ImportUpload, user: User, compact: str | None = None) -> Summary:
    summary = run_import(
        upload.kind, upload.filename, upload.content, user, dry_run=True, compact=compact
    )
    db.session.rollback()
    return summary


def confirm(upload: ImportUpload, user: User, *, valid_rows: bool) -> Summary | None:
    """Import the upload, checked again now; None if it was confirmed already. The upload is
    marked confirmed in the import's own transaction, so two confirmations write once."""
    claimed = db.session.execute(
        sa.update(ImportUpload)
        .where(ImportUpload.id == upload.id, ImportUpload.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
    ).rowcount
    if not claimed:
        db.session.rollback()
        return None
    summary = run_import(upload.kind, upload.filename, upload.content, user, valid_rows=valid_rows)
    if not summary.written:
        db.session.rollback()
    return summary

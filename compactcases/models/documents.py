"""Documents on a case, a notice or a funding agreement, and the stored bytes of the database
storage backend.

A document row keeps what was uploaded (original name, size, SHA-256, type judged by content),
who may see it, who added it and when; removal is soft (who, when, why) and an administrator's
purge erases the bytes but keeps the row as a tombstone. The bytes live in a storage backend
(see compactcases/documents/storage.py), keyed by SHA-256, so identical files are kept once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .vocabulary import DocumentVisibility

if TYPE_CHECKING:
    from .agreements import FundingAgreement
    from .cases import Case
    from .notices import Notice
    from .people import User

# The longest original filename kept; a longer one is refused at upload.
MAX_FILENAME = 255


class Document(db.Model):
    __tablename__ = "documents"
    __table_args__ = (
        # Exactly one owner: a case, a notice or a funding agreement.
        sa.CheckConstraint(
            "(CASE WHEN case_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN notice_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN agreement_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
        sa.CheckConstraint("size >= 0", name="size"),
        sa.Index("ix_documents_sha256", "sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    notice_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notices.id"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("funding_agreements.id"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(MAX_FILENAME))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    visibility: Mapped[DocumentVisibility] = mapped_column(
        enum_column(DocumentVisibility, "document_visibility"), default=DocumentVisibility.PRIVATE
    )
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    removed_reason: Mapped[str | None] = mapped_column(sa.Text)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    purged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    purged_reason: Mapped[str | None] = mapped_column(sa.Text)

    case: Mapped[Case | None] = relationship()
    notice: Mapped[Notice | None] = relationship()
    agreement: Mapped[FundingAgreement | None] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])
    purged_by: Mapped[User | None] = relationship(foreign_keys=[purged_by_id])

    @property
    def owner(self) -> Case | Notice | FundingAgreement:
        return self.case or self.notice or self.agreement

    @property
    def is_live(self) -> bool:
        return self.removed_at is None

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None


class DocumentBlob(db.Model):
    """The bytes of documents under the database storage backend, one row per SHA-256."""

    __tablename__ = "document_blobs"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

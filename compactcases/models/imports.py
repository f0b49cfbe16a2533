"""Spreadsheet imports: organisations' other names, which source row became which record,
and files uploaded for a preview waiting to be confirmed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.labels import LabelledEnum

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .places import Organisation


class ImportKind(LabelledEnum):
    CASES = "cases", "Cases"
    NOTICES = "notices", "Notices"
    AGREEMENTS = "agreements", "Funding agreements"
    ORGANISATIONS = "organisations", "Organisations"


class OrganisationAlias(db.Model):
    """Another name an organisation is known by in imported files (declared, never guessed)."""

    __tablename__ = "organisation_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(sa.String(160), unique=True)

    organisation: Mapped[Organisation] = relationship()


class ImportedRecord(db.Model):
    """The record a source's row became: unique on (kind, scope, the source's reference), so
    that importing a file again, or twice at once, creates each record once. `row_hash` tells
    a changed row from an unchanged one."""

    __tablename__ = "imported_records"
    __table_args__ = (
        sa.UniqueConstraint("kind", "scope", "source_reference", name="uq_imported_records_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind, "import_kind"))
    # The Compact's code for cases, notices and agreements; empty for organisations.
    scope: Mapped[str] = mapped_column(sa.String(8))
    source_reference: Mapped[str] = mapped_column(sa.String(60))
    record_id: Mapped[int | None] = mapped_column()
    row_hash: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImportUpload(db.Model):
    """A file uploaded on the import page, kept between its preview and its confirmation.
    The id is random and the row belongs to one user; `confirmed_at` is set once."""

    __tablename__ = "import_uploads"

    id: Mapped[str] = mapped_column(sa.String(43), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ImportKind] = mapped_column(enum_column(ImportKind, "upload_kind"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

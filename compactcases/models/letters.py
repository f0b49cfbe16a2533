"""A Compact's own Word templates for letters, one per kind; the defaults ship with the app."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.letters import LetterKind

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from .people import User
    from .places import Compact


class LetterTemplate(db.Model):
    """The template a Compact uses for one kind of letter, with its letterhead.

    One per Compact and kind: uploading another replaces it (the letters already generated
    from it stay on their cases as documents). A Compact without one uses its parent's, then
    the default shipped with the app.
    """

    __tablename__ = "letter_templates"
    __table_args__ = (
        sa.UniqueConstraint("compact_id", "kind", name="uq_letter_templates_compact_id_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    compact_id: Mapped[int] = mapped_column(sa.ForeignKey("compacts.id", ondelete="CASCADE"))
    kind: Mapped[LetterKind] = mapped_column(enum_column(LetterKind, "letter_kind"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    compact: Mapped[Compact] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

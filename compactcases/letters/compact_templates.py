"""A Compact's own letter templates: listing, uploading (checked by rendering it against the
sample fields first, so a broken template is refused now and never when a letter is needed)
and removing one, so the Compact falls back to its parent's or the default."""

from __future__ import annotations

from pathlib import PurePath

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from workflows.letters import LetterKind

from ..extensions import db
from ..models import Compact, LetterTemplate, User, utcnow
from . import rendering
from .rendering import TemplateProblem

MAX_FILENAME_LENGTH = 255


class TemplateRefused(Exception):
    """An upload that was not saved; `field_errors` by form field."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


def list_templates() -> list[LetterTemplate]:
    """Every Compact's own templates, by Compact then kind (a short list: five a Compact)."""
    rows = db.session.scalars(
        sa.select(LetterTemplate)
        .join(LetterTemplate.compact)
        .options(joinedload(LetterTemplate.compact), joinedload(LetterTemplate.uploaded_by))
        .order_by(Compact.name, LetterTemplate.kind)
    ).all()
    order = list(LetterKind)
    return sorted(rows, key=lambda row: (row.compact.name, order.index(row.kind)))


def _checked_filename(filename: str) -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    if not name or name != (filename or "").strip():
        raise TemplateRefused({"file": "Choose a Word file (.docx) without a folder in its name"})
    if len(name) > MAX_FILENAME_LENGTH:
        raise TemplateRefused(
            {"file": f"The file's name must be {MAX_FILENAME_LENGTH} characters or fewer"}
        )
    if not name.lower().endswith(".docx"):
        raise TemplateRefused({"file": "The template must be a Word document (.docx)"})
    return name


def upload_template(
    compact: Compact, kind: LetterKind, filename: str, content: bytes, actor: User | None
) -> LetterTemplate:
    """Make `content` the Compact's template for `kind`, replacing the one it had (no
    history is kept: letters already generated stay on their cases). Refused with the
    reason, and nothing saved, unless it renders against the sample fields."""
    name = _checked_filename(filename)
    try:
        rendering.check_template(content)
    except TemplateProblem as problem:
        raise TemplateRefused({"file": str(problem)}) from None
    values = {
        "filename": name,
        "content": content,
        "size": len(content),
        "uploaded_by_id": actor.id if actor else None,
        "uploaded_at": utcnow(),
    }
    # One row per Compact and kind, whoever uploads at the same moment: an upsert, so the
    # second of two concurrent uploads replaces the first instead of failing.
    table = LetterTemplate.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(compact_id=compact.id, kind=kind.value, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.compact_id, table.c.kind], set_=values
    )
    db.session.execute(statement)
    db.session.commit()
    return db.session.scalar(
        sa.select(LetterTemplate)
        .where(LetterTemplate.compact_id == compact.id, LetterTemplate.kind == kind)
        .execution_options(populate_existing=True)
    )


def get_template(template_id: int) -> LetterTemplate | None:
    return db.session.get(LetterTemplate, template_id)


def remove_template(template: LetterTemplate) -> None:
    """Remove a Compact's own template: it uses its parent's, or the default, again."""
    db.session.delete(template)
    db.session.commit()

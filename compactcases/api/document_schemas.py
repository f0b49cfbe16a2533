"""The API's document bodies: what it says about a stored file, documented in OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from ..bounds import MAX_ID
from .schemas import Response


class DocumentOut(Response):
    id: int
    filename: str = Field(description="The name it was uploaded with")
    size: int = Field(description="Bytes")
    sha256: str = Field(description="The SHA-256 of its bytes, in hex")
    content_type: str = Field(description="Its type, judged from its content")
    visibility: Literal["private", "parties"] = Field(
        description="private: Compact officers and mediators; parties: shared with them too"
    )
    case: str | None = Field(description="The case reference, if it is on a case")
    notice_id: int | None
    agreement_id: int | None
    uploaded_by: str | None
    uploaded_at: datetime
    removed_at: datetime | None
    removed_reason: str | None
    purged: bool = Field(description="Its file was erased; only the record remains")
    url: str
    content_url: str


class DocumentList(Response):
    items: list[DocumentOut]


UPLOAD_FORM = {
    "type": "object",
    "required": ["file", "visibility"],
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "A file; send several `file` parts to upload several at once",
        },
        "visibility": {"type": "string", "enum": ["private", "parties"]},
    },
}

DOCUMENT_ID = {
    "name": "document_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}

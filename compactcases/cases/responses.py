"""A party's statement or response on its case: one timeline entry (private when it is for
the Compact officer only), its files kept as the case's documents, and the people holding the
case (and, unless it is for officers only, the other side) told of it, all in one unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app

from .. import policy
from ..documents import services as documents
from ..history import StaleCase, changing, record_event
from ..models import Case, CaseEvent, CaseEventKind, DocumentVisibility, User
from ..policy import Action
from ..reminders.responses import plan_response_updates

# The longest response kept: a statement may run to a few pages.
MAX_RESPONSE_LENGTH = 10_000


class ResponseRefused(Exception):
    """A response that cannot be added as asked; nothing was written. `closed` when the case
    is closed (409), `forbidden` when the person is not a party to it (403); otherwise the
    fields in `field_errors` need changing (422)."""

    def __init__(
        self,
        message: str,
        field_errors: dict[str, str] | None = None,
        *,
        closed: bool = False,
        forbidden: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.closed = closed
        self.forbidden = forbidden


def closed_message(case: Case) -> str:
    return (
        f"{case.reference} is closed ({case.state.label.lower()}): a response can only be "
        "added to an open case. Contact the Compact officer if something needs saying."
    )


def text_error(text: str) -> str | None:
    """What is wrong with a response's text, or None."""
    if not text.strip():
        return "Enter your response"
    if len(text) > MAX_RESPONSE_LENGTH:
        return f"Enter no more than {MAX_RESPONSE_LENGTH:,} characters"
    if "\x00" in text:
        return "Remove the NUL character"
    return None


def add_response(
    case: Case,
    user: User,
    text: str,
    officers_only: bool = False,
    files: Sequence[documents.Upload] = (),
    *,
    expected_version: int | None = None,
) -> CaseEvent:
    """Add `user`'s response to the open `case` they are a party to, with `files` as its
    documents, and plan the messages telling of it; commits. A form made on an older version
    of the case (`expected_version`: a second press of the button, or someone else's change
    meanwhile) is refused as `StaleCase`, so one press makes one entry."""
    if not policy.can(user, Action.RESPOND_ON_CASE, case):
        raise ResponseRefused(policy.FORBIDDEN_MESSAGES[Action.RESPOND_ON_CASE], forbidden=True)
    if not case.is_open:
        raise ResponseRefused(closed_message(case), closed=True)
    errors = {}
    problem = text_error(text)
    if problem:
        errors["text"] = problem
    limit = current_app.config["DOCUMENT_MAX_FILES"]
    if len(files) > limit:
        errors["files"] = f"Choose {limit} files or fewer"
    else:
        for upload in files:
            try:
                documents.check_file(upload.filename, upload.data)
            except documents.DocumentRefused as refused:
                errors["files"] = refused.message
                break
    if errors:
        raise ResponseRefused("Check your response", errors)
    if expected_version is not None and case.version != expected_version:
        raise StaleCase(case)
    visibility = DocumentVisibility.PRIVATE if officers_only else DocumentVisibility.PARTIES
    with changing(case):
        entry = record_event(case, CaseEventKind.RESPONSE, user, reason=text.strip())
        entry.private = officers_only
        for upload in files:
            documents.add_document(
                owner=case,
                filename=upload.filename,
                data=upload.data,
                visibility=visibility,
                actor=user,
                # The response's own message tells the other side of it and its files.
                announced=False,
            )
        plan_response_updates(case, entry)
    return entry

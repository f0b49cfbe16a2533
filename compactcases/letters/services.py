"""Letters on a case: which template a Compact uses, the fields a case fills, the preview,
generating a letter onto the case, and recording the acknowledgement (with its letter if
asked) in one unit of work."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows.deadlines import DeadlineKind
from workflows.dispute import STAGE_DEADLINES
from workflows.letters import LetterKind, allowed_letters, letter_refusal
from workflows.periods import format_date

from ..cases.acknowledgement import check as check_acknowledgement
from ..cases.acknowledgement import write_acknowledgement
from ..documents.services import DocumentRefused, add_document
from ..extensions import db
from ..history import StaleCase, changing, record_event
from ..models import (
    Case,
    CaseEventKind,
    Compact,
    Document,
    DocumentVisibility,
    LetterTemplate,
    Notice,
    User,
)
from ..reminders.planning import replan_case
from . import rendering
from .fields import nest
from .rendering import TemplateProblem

_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)
MAX_PLACE_LENGTH = 300


class LetterRefused(Exception):
    """A letter that cannot be written now, with the reason; `field_errors` by form field."""

    def __init__(self, message: str, field_errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


@dataclass(frozen=True)
class Meeting:
    """The conciliation meeting an invitation names, as typed on the letter form."""

    on: date | None = None
    time: str = ""
    place: str = ""


@dataclass(frozen=True)
class Letter:
    """A letter made for a case: its file, its text for the preview, and the template used."""

    kind: LetterKind
    filename: str
    content: bytes
    paragraphs: list[str]
    template: str


def breach_notices(case: Case) -> list[Notice]:
    """The case's notices found not compliant and not withdrawn: what a breach letter quotes."""
    return [n for n in case.notices if not n.compliant and n.withdrawn_at is None]


def letters_for(case: Case) -> tuple[LetterKind, ...]:
    return allowed_letters(case.state, len(breach_notices(case)))


def template_for(compact: Compact, kind: LetterKind) -> tuple[bytes, str]:
    """The template `compact` uses for `kind`: its own, else its parent's, else the default;
    with words saying which."""
    chain = [c for c in (compact, compact.parent) if c is not None]
    rows = db.session.scalars(
        sa.select(LetterTemplate).where(
            LetterTemplate.compact_id.in_([c.id for c in chain]), LetterTemplate.kind == kind
        )
    ).all()
    by_compact = {row.compact_id: row for row in rows}
    for owner in chain:
        if owner.id in by_compact:
            row = by_compact[owner.id]
            return row.content, f"{owner.name}'s own template ({row.filename})"
    return rendering.default_template(kind), "the default template"


def parse_time(text: str) -> str | None:
    """A time of day as typed ("10:30", "2pm", "14.00") in words ("10:30am", "2pm")."""
    found = _TIME.match(text or "")
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    half = (found.group(3) or "").lower().replace(".", "")
    if minute > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    if half:
        hour = hour % 12 + (12 if half == "pm" else 0)
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}:{minute:02d}{suffix}" if minute else f"{shown}{suffix}"


def meeting_errors(kind: LetterKind, meeting: Meeting, today: date) -> dict[str, str]:
    """What an invitation's meeting lacks, by form field (nothing for other letters)."""
    if kind is not LetterKind.INVITATION:
        return {}
    errors = {}
    if meeting.on is None:
        errors["meeting_on"] = "Enter the date of the meeting"
    elif meeting.on < today:
        errors["meeting_on"] = "The meeting must be today or in the future"
    if parse_time(meeting.time) is None:
        errors["meeting_time"] = "Enter the start time, for example 10:30 or 2pm"
    if not meeting.place.strip():
        errors["meeting_place"] = "Enter where the meeting is, or the link to join it online"
    elif len(meeting.place) > MAX_PLACE_LENGTH:
        errors["meeting_place"] = f"Enter no more than {MAX_PLACE_LENGTH} characters"
    return errors


def _dated(day: date | None) -> str:
    return format_date(day) if day else ""


def _party(prefix: str, organisation) -> dict[str, object]:
    lines = organisation.address_lines
    return {
        f"{prefix}.name": organisation.name,
        f"{prefix}.address": "\n".join(lines),
        f"{prefix}.address_lines": lines,
    }


def _acknowledged_on(case: Case) -> date | None:
    return next(
        (
            d.closed_on
            for d in case.deadlines
            if d.kind is DeadlineKind.ACKNOWLEDGE and d.closed_on is not None
        ),
        None,
    )


def _due(case: Case, kind: DeadlineKind | None) -> str:
    return next((format_date(d.due_on) for d in case.deadlines if d.is_open and d.kind is kind), "")


def case_context(
    case: Case, meeting: Meeting, sender: User | None, today: date
) -> dict[str, object]:
    """Every letter field (see `fields.FIELDS`) filled from the case."""
    outcome = case.outcome
    breach = (breach_notices(case) or [None])[0]
    flat: dict[str, object] = {
        "reference": case.reference,
        "title": case.title,
        "today": format_date(today),
        "raised_on": _dated(case.raised_on),
        "acknowledged_on": _dated(_acknowledged_on(case)),
        "escalated_on": _dated(case.escalated_on),
        "closed_on": _dated(case.closed_on),
        "state": case.state.label,
        "raised_by": case.raised_by.label,
        "compact.name": case.compact.name,
        "compact.code": case.compact.code,
        **_party("funder", case.funder),
        **_party("organisation", case.third_sector),
        "officer.name": case.officer.name if case.officer else "",
        "officer.email": case.officer.email if case.officer else "",
        "mediator.name": case.mediator.name if case.mediator else "",
        "sender.name": sender.name if sender else "",
        "deadlines": [
            {"label": d.kind.label, "due_on": format_date(d.due_on)}
            for d in case.deadlines
            if d.is_open
        ],
        "acknowledge_by": _due(case, DeadlineKind.ACKNOWLEDGE),
        "conclude_by": _due(case, STAGE_DEADLINES.get(case.state)),
        "meeting.date": _dated(meeting.on),
        "meeting.time": parse_time(meeting.time) or "",
        "meeting.place": meeting.place.strip(),
        "outcome.type": outcome.outcome_type.label if outcome and outcome.outcome_type else "",
        "outcome.level": outcome.level.label.lower() if outcome else "",
        "outcome.agreed_actions": (outcome.agreed_actions or "") if outcome else "",
        "outcome.withdrawal_reason": (outcome.withdrawal_reason or "") if outcome else "",
        "breach.notice": breach.title if breach else "",
        "breach.notice_given_on": _dated(breach.notice_given_on) if breach else "",
        "breach.required_period": breach.required_period if breach else "",
        "breach.shortfall_days": str(breach.shortfall_days) if breach else "",
        "breach.earliest_compliant_on": _dated(breach.earliest_compliant_on) if breach else "",
        "breach.sentences": [n.explanation for n in breach_notices(case)],
    }
    return nest(flat)


def make_letter(
    case: Case, kind: LetterKind, meeting: Meeting, sender: User | None, today: date
) -> Letter:
    """The letter of `kind` for the case as it stands, or `LetterRefused` saying why not."""
    refused = letter_refusal(kind, case.state, len(breach_notices(case)))
    if refused is not None:
        raise LetterRefused(refused)
    errors = meeting_errors(kind, meeting, today)
    if errors:
        raise LetterRefused("The invitation needs the meeting's details", errors)
    content, source = template_for(case.compact, kind)
    try:
        letter = rendering.render(content, case_context(case, meeting, sender, today))
        text = rendering.paragraphs(letter)
    except TemplateProblem as problem:
        raise LetterRefused(
            f"The letter cannot be made from {source}: {problem}. An administrator can "
            "replace the template on the letter templates page."
        ) from problem
    filename = f"{case.reference} {kind.value} {today.isoformat()}.docx"
    return Letter(kind, filename, letter, text, source)


def _save(case: Case, letter: Letter, actor: User) -> Document:
    """Keep the letter on the case as a private document and say so on the timeline, in the
    caller's unit of work."""
    try:
        document = add_document(
            owner=case,
            filename=letter.filename,
            data=letter.content,
            visibility=DocumentVisibility.PRIVATE,
            actor=actor,
            # The "Letter generated" entry below names the file: one entry, not two.
            logged=False,
        )
    except DocumentRefused as refused:
        raise LetterRefused(
            f"The letter could not be kept on the case: {refused.message}"
        ) from refused
    record_event(
        case,
        CaseEventKind.LETTER,
        actor,
        reason=f"{letter.kind.label}: {letter.filename}, from {letter.template}",
    )
    return document


def generate_letter(
    case: Case, letter: Letter, actor: User, case_version: int | None = None
) -> Letter:
    """Keep `letter` (as `make_letter` made it) on the case as a private document, with its
    timeline entry, in one unit of work. `case_version`, the case's version the letter was
    asked for at, refuses a second press of the button (StaleCase)."""
    if case_version is not None and case_version != case.version:
        raise StaleCase(case)
    with changing(case):
        _save(case, letter, actor)
    return letter


def record_acknowledgement(
    case: Case, on: date, actor: User, today: date, *, with_letter: bool = False
) -> Letter | None:
    """Record that the dispute was acknowledged on `on` and, if asked, generate the
    acknowledgement letter with it: both or neither. Refused with
    `AcknowledgementRefused` (or `LetterRefused`) having changed nothing."""
    on = check_acknowledgement(case, on, today)
    letter = None
    with changing(case):
        write_acknowledgement(case, on, actor)
        if with_letter:
            # Made after the acknowledgement is written, so the letter carries its date.
            letter = make_letter(case, LetterKind.ACKNOWLEDGEMENT, Meeting(), actor, today)
            _save(case, letter, actor)
        replan_case(case, today)
    return letter

"""Template filters and globals: dates, money and state badges as people read them."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import Event, State
from workflows.outcomes import Level

from .cases.services import EDITABLE_FIELDS
from .cases.wording import sentence
from .documents import types
from .localtime import london
from .models import ReminderStatus
from .policy import can

# MOJ badge modifiers: open cases stand out, closed ones recede.
STATE_BADGES = {
    State.RAISED: "moj-badge--purple",
    State.LOCAL_CONCILIATION: "moj-badge--blue",
    State.REGIONAL_MEDIATION: "moj-badge--red",
    State.RESOLVED: "moj-badge--green",
    State.WITHDRAWN: "moj-badge--grey",
}


# GOV.UK tag colours for a deadline's status.
DEADLINE_TAGS = {
    DeadlineStatus.OPEN: "govuk-tag--blue",
    DeadlineStatus.MET: "govuk-tag--green",
    DeadlineStatus.MISSED: "govuk-tag--red",
    DeadlineStatus.CANCELLED: "govuk-tag--grey",
}


# GOV.UK tag colours for a reminder's status.
REMINDER_TAGS = {
    ReminderStatus.PLANNED: "govuk-tag--light-blue",
    ReminderStatus.SENDING: "govuk-tag--yellow",
    ReminderStatus.SENT: "govuk-tag--green",
    ReminderStatus.FAILED: "govuk-tag--red",
    ReminderStatus.CANCELLED: "govuk-tag--grey",
}


# What each workflow button asks for; resolve has a page of its own for the outcome.
EVENT_REASON_LABELS = {
    "start_conciliation": "Note (optional)",
    "escalate": "Why it needs regional mediation",
    "withdraw": "Reason for withdrawal",
    "reopen": "Reason for reopening",
}


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = london(value)
    return f"{value.day} {value:%B %Y}"


def date_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = london(value)
    return f"{local.day} {local:%B %Y} at {local:%H:%M}"


def money(value: int | None) -> str:
    return "" if value is None else f"£{value:,}"


def figure(value: int | float | None) -> str:
    """A count or a measure as a table shows it: thousands separated, a whole number without
    a decimal point (a median of 13 days is "13", not "13.0"), otherwise one decimal place."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def file_size(size: int | None) -> str:
    """A file's size as people read it: 812 bytes, 45 KB, 3.2 MB."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def document_kind(content_type: str) -> str:
    """What a stored file is, in words (a PDF, a Word document, ...)."""
    return types.label_for(content_type)


def register(app: Flask) -> None:
    app.add_template_filter(file_size)
    app.add_template_filter(document_kind)
    app.add_template_filter(long_date)
    app.add_template_filter(date_time)
    app.add_template_filter(money)
    app.add_template_filter(figure)
    app.add_template_filter(sentence)

    app.add_template_global(can, "can")
    app.add_template_global(STATE_BADGES, "STATE_BADGES")
    app.add_template_global({e.value: e.label for e in Event}, "EVENT_LABELS")
    app.add_template_global(EVENT_REASON_LABELS, "EVENT_REASON_LABELS")
    # The names of what a timeline entry changed: case fields, the clock, deadlines' due dates.
    change_labels = {
        **EDITABLE_FIELDS,
        "clock": "Clock",
        "mediator_id": "Regional mediator",
        "officer_id": "Compact officer",
        "outcome": "Outcome",
        **{kind.value: f"{kind.label}, due" for kind in DeadlineKind},
    }
    app.add_template_global(change_labels, "CHANGE_LABELS")
    app.add_template_global(DEADLINE_TAGS, "DEADLINE_TAGS")
    app.add_template_global(tuple(Level), "LEVELS")
    app.add_template_global(REMINDER_TAGS, "REMINDER_TAGS")

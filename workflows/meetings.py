"""Meetings on a case and backdated notes: what a scheduled, rescheduled or recorded meeting must
satisfy, and the day a note may record.

Plain values only, like the rest of `workflows`. Times are timezone-aware; the day a person
means (today, the day of a call) is a date in Europe/London, given by the caller. Each check
returns field errors keyed by the form field at fault (empty when all is well), so a page and
the API refuse with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from .labels import LabelledEnum
from .periods import MAX_DATE, MIN_DATE, format_date

# The longest a meeting may run, and the longest text kept for each part.
MAX_DURATION = timedelta(hours=12)
MAX_PLACE_LENGTH = 300
MAX_LINK_LENGTH = 500
MAX_AGENDA_LENGTH = 4000
MAX_NOTE_LENGTH = 8000
MAX_NAME_LENGTH = 120
MAX_GUESTS = 20
MAX_ACTIONS = 10


class MeetingStatus(LabelledEnum):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


@dataclass(frozen=True)
class MeetingPlan:
    """What is asked of a meeting when it is scheduled or rescheduled."""

    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    agenda: str
    invited: int  # people invited, with an account or by name


@dataclass(frozen=True)
class ActionPlan:
    """An action agreed at a meeting: what, whose, and by when (optional)."""

    text: str
    owner: str
    due_on: date | None


def link_error(link: str) -> str | None:
    """Why an online meeting link cannot be used, or None: a web address (https, or http)
    with a host, no spaces and no credentials in it."""
    if len(link) > MAX_LINK_LENGTH:
        return f"The link must be {MAX_LINK_LENGTH} characters or fewer"
    parts = urlsplit(link)
    if (
        parts.scheme not in ("https", "http")
        or not parts.hostname
        or any(c.isspace() for c in link)
    ):
        return "Enter the link as a web address starting with https://"
    if parts.username or parts.password:
        return "The link must not contain a user name or password"
    return None


def plan_errors(plan: MeetingPlan, now: datetime) -> dict[str, str]:
    """Why a meeting cannot be scheduled (or rescheduled) as planned at ``now``."""
    errors: dict[str, str] = {}
    if plan.starts_at <= now:
        errors["starts_on"] = "The meeting must start in the future"
    elif plan.starts_at.date() > MAX_DATE:
        errors["starts_on"] = f"The meeting must start before {format_date(MAX_DATE)}"
    if plan.ends_at <= plan.starts_at:
        errors["ends_at"] = "The meeting must end after it starts"
    elif plan.ends_at - plan.starts_at > MAX_DURATION:
        errors["ends_at"] = "A meeting can last 12 hours at most"
    if not plan.place.strip() and not plan.link.strip():
        errors["place"] = "Enter where the meeting is, or a link to join it online"
    if len(plan.place) > MAX_PLACE_LENGTH:
        errors["place"] = f"The place must be {MAX_PLACE_LENGTH} characters or fewer"
    if plan.link.strip():
        problem = link_error(plan.link.strip())
        if problem:
            errors["link"] = problem
    if len(plan.agenda) > MAX_AGENDA_LENGTH:
        errors["agenda"] = f"The agenda must be {MAX_AGENDA_LENGTH} characters or fewer"
    if plan.invited < 1:
        errors["attendees"] = "Choose at least one person to invite, or enter a name"
    return errors


def record_errors(
    starts_at: datetime, now: datetime, actions: list[ActionPlan], today: date
) -> dict[str, str]:
    """Why a meeting cannot be recorded at ``now``: it must have started, and each agreed
    action due date must be today or later."""
    errors: dict[str, str] = {}
    if starts_at > now:
        errors["note"] = "This meeting has not happened yet: record it after it starts"
    for position, action in enumerate(actions, start=1):
        if not action.text.strip():
            errors[f"action_{position}"] = f"Enter what action {position} is, or remove it"
        if action.due_on is not None and action.due_on < today:
            errors[f"action_{position}_due_on"] = (
                f"Action {position} cannot be due in the past: choose today or later"
            )
        elif action.due_on is not None and action.due_on > MAX_DATE:
            errors[f"action_{position}_due_on"] = f"Choose a date before {format_date(MAX_DATE)}"
    return errors


def call_date_error(day: date, raised_on: date, today: date) -> str | None:
    """Why a note cannot record a call on ``day``, or None: never in the future, and not
    before the case was raised."""
    if day > today:
        return "The date of the call must be today or in the past"
    if day < raised_on or day < MIN_DATE:
        return (
            f"The date of the call cannot be before the case was raised ({format_date(raised_on)})"
        )
    return None


def action_deadline_span(due_on: date, today: date) -> tuple[date, int]:
    """The start and length in days of the deadline an action due on ``due_on`` becomes, set
    on ``today``: counted from today, or from the day before when it is due today (a deadline
    runs at least one day)."""
    starts_on = min(today, due_on - timedelta(days=1))
    return starts_on, (due_on - starts_on).days

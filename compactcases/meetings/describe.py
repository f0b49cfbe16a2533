"""A meeting in words, as its page, its timeline entries and its e-mails say it."""

from __future__ import annotations

from typing import Protocol

from .. import localtime


class _Dated(Protocol):
    starts_at: object
    ends_at: object
    place: str
    link: str


def when(meeting: _Dated) -> str:
    """'Tuesday 8 December 2026, 10:00 to 11:30', in London time."""
    start, end = localtime.london(meeting.starts_at), localtime.london(meeting.ends_at)
    day = f"{start:%A} {start.day} {start:%B %Y}"
    if end.date() != start.date():
        return f"{day}, {start:%H:%M} to {end.day} {end:%B} {end:%H:%M}"
    return f"{day}, {start:%H:%M} to {end:%H:%M}"


def where(meeting: _Dated) -> str:
    """The place, the online link, or both."""
    return " · ".join(part for part in (meeting.place, meeting.link) if part) or "Not given"

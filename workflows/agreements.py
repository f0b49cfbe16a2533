"""Funding agreements: the notice window an agreement's end date fixes, its status, and the
reminders that lead up to its last day.

Plain values only, like the rest of `workflows`. The end of an agreement is the effective date
of a funding end, so the latest date notice of ending it may be given is found exactly as the
notice check finds it (`workflows.verdicts.check_funding_notice` with only the effective date),
under the Compact's own ``funding_notice`` rule. A funder who means to change the service must
also consult first: the latest date to open a consultation is the day from which the
``consultation`` period (12 weeks by default) still closes by the latest notice date.

A window is closed by a renewal or extension decision (the agreement gets a new end date and a
new window), by notice recorded against the agreement, or by the agreement ending. Closed on or
before its latest notice date, the window was kept; otherwise, from the day after the latest
notice date, it is *missed*, and stays missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .labels import LabelledEnum
from .periods import Period, PeriodError, format_date, latest_start, validate_date
from .verdicts import check_funding_notice

__all__ = [
    "DEFAULT_LADDER",
    "MISSED_OFFSET",
    "LadderReminder",
    "NoticeWindow",
    "WindowStatus",
    "describe_ladder",
    "ladder_schedule",
    "notice_window",
    "parse_ladder",
    "window_status",
]


class WindowStatus(LabelledEnum):
    OPEN = "open", "Open"
    NOTICE_GIVEN = "notice_given", "Notice given"
    RENEWED = "renewed", "Renewed"
    ENDED = "ended", "Ended"
    MISSED = "missed", "Missed"


@dataclass(frozen=True)
class NoticeWindow:
    """The window of an agreement ending on ``ends_on``: notice of ending it may be given up to
    ``latest_notice_on``; a consultation about changing the service must open by
    ``latest_consultation_start`` to close by then."""

    ends_on: date
    notice_period: Period
    latest_notice_on: date
    consultation_period: Period
    latest_consultation_start: date

    def days_left(self, today: date) -> int:
        """Calendar days from ``today`` to the latest notice date (negative once passed)."""
        return (self.latest_notice_on - today).days

    def explanation(self) -> str:
        return (
            f"The agreement ends on {format_date(self.ends_on)}. Under a notice period of "
            f"{self.notice_period.describe()}, notice of ending it must be given by "
            f"{format_date(self.latest_notice_on)}; a {self.consultation_period.describe()} "
            f"consultation must open by {format_date(self.latest_consultation_start)}."
        )


def notice_window(
    ends_on: date, notice_period: Period, consultation_period: Period
) -> NoticeWindow:
    """The notice window of an agreement ending on ``ends_on`` (PeriodError if the date cannot
    be worked with)."""
    ends_on = validate_date(ends_on, "end date")
    latest = check_funding_notice(None, ends_on, notice_period).latest_notice_date
    return NoticeWindow(
        ends_on=ends_on,
        notice_period=notice_period,
        latest_notice_on=latest,
        consultation_period=consultation_period,
        latest_consultation_start=latest_start(latest, consultation_period),
    )


def window_status(
    today: date,
    latest_notice_on: date,
    ends_on: date,
    *,
    notice_given_on: date | None = None,
    ended_on: date | None = None,
    renewed: bool = False,
) -> WindowStatus:
    """The status of the current window as of ``today``.

    ``notice_given_on``: the date of notice recorded against the agreement; ``ended_on``: the
    day a decision ended the agreement; ``renewed``: the window is one a renewal or extension
    opened. Closed on or before ``latest_notice_on`` the window was kept; a later notice or end
    does not undo a missed window.
    """
    if notice_given_on is not None and notice_given_on <= latest_notice_on:
        return WindowStatus.ENDED if today > ends_on else WindowStatus.NOTICE_GIVEN
    if ended_on is not None and ended_on <= latest_notice_on:
        return WindowStatus.ENDED
    if today > latest_notice_on:
        return WindowStatus.MISSED
    if notice_given_on is not None or ended_on is not None:
        # Closed early by a date still to come: as kept as a notice on that day will be.
        return WindowStatus.NOTICE_GIVEN if notice_given_on is not None else WindowStatus.ENDED
    return WindowStatus.RENEWED if renewed else WindowStatus.OPEN


# --- the reminder ladder -----------------------------------------------------------------------

# Calendar days before the latest notice date on which a funder and the Compact officers are
# reminded (0 is the day itself), unless the Compact's rule set says otherwise.
DEFAULT_LADDER: tuple[int, ...] = (56, 28, 14, 7, 0)
# The one alert, on the day after the latest notice date, that the window was missed.
MISSED_OFFSET = -1
MAX_LADDER_DAYS = 366


def parse_ladder(text: str) -> tuple[int, ...]:
    """Read "56, 28, 14, 7, 0" as days before the latest notice date, longest first, each once
    (PeriodError for anything else)."""
    parts = [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]
    if not parts:
        raise PeriodError("give at least one number of days, such as 56, 28, 14, 7, 0")
    days = set()
    for part in parts:
        if not part.isdigit():
            raise PeriodError(f"{part!r} is not a whole number of days; write e.g. 56, 28, 7, 0")
        if int(part) > MAX_LADDER_DAYS:
            raise PeriodError(f"a reminder is at most {MAX_LADDER_DAYS} days before the date")
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def describe_ladder(days: Sequence[int]) -> str:
    """ "56, 28, 14, 7 and 0 days before" in words a page shows."""
    words = [str(n) for n in days]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{listed} days before"


@dataclass(frozen=True)
class LadderReminder:
    """One reminder of a window: ``offset`` calendar days before the latest notice date (0 on
    the day, ``MISSED_OFFSET`` the alert that it was missed)."""

    offset: int
    fires_on: date

    @property
    def missed_alert(self) -> bool:
        return self.offset == MISSED_OFFSET

    def describe(self) -> str:
        if self.missed_alert:
            return "Window missed"
        if self.offset == 0:
            return "On the last day"
        return f"{self.offset} {'day' if self.offset == 1 else 'days'} before"


def ladder_schedule(
    latest_notice_on: date, recorded_on: date, ladder: Sequence[int] = DEFAULT_LADDER
) -> tuple[LadderReminder, ...]:
    """The reminders of a window whose last day is ``latest_notice_on``, for an agreement (or
    window) recorded on ``recorded_on``, in the order they fire: the ladder, then the alert on
    the day after. A reminder whose day fell before the recording is left out, never sent
    late."""
    found = [
        LadderReminder(n, latest_notice_on - timedelta(days=n))
        for n in sorted(set(ladder), reverse=True)
    ]
    found.append(LadderReminder(MISSED_OFFSET, latest_notice_on + timedelta(days=1)))
    return tuple(r for r in found if r.fires_on >= recorded_on)

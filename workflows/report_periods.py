"""Report e-mails: which period a subscriber's next summary covers and the day it goes out.

A monthly summary covers a calendar month, a quarterly one a calendar quarter (January to
March, ...). It goes out on the first working day after the period ends: not a Saturday or
Sunday, nor a bank holiday of England and Wales (given as a plain set of dates). Plain values
only, so every calendar case is tested without a database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from .labels import LabelledEnum
from .months import month_end


class Frequency(LabelledEnum):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


@dataclass(frozen=True)
class ReportPeriod:
    """The days a summary covers (inclusive) and the day it is sent."""

    frequency: Frequency
    start: date
    end: date
    send_on: date

    def describe(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            return self.start.strftime("%B %Y")
        quarter = (self.start.month - 1) // 3 + 1
        return f"{self.start.strftime('%B')} to {self.end.strftime('%B %Y')} (Q{quarter})"


def first_working_day_after(day: date, holidays: Collection[date]) -> date:
    """The first day after ``day`` that is neither a weekend day nor in ``holidays``."""
    candidate = day + timedelta(days=1)
    while candidate.weekday() >= 5 or candidate in holidays:
        candidate += timedelta(days=1)
    return candidate


def _period_starting(frequency: Frequency, start: date, holidays: Collection[date]):
    months = 1 if frequency is Frequency.MONTHLY else 3
    last_month = start.month + months - 1
    end = month_end(date(start.year, last_month, 1))
    return ReportPeriod(frequency, start, end, first_working_day_after(end, holidays))


def period_before(frequency: Frequency, day: date, holidays: Collection[date]) -> ReportPeriod:
    """The last whole period that ended before ``day``."""
    previous_end = _start_of(frequency, day) - timedelta(days=1)
    if frequency is Frequency.MONTHLY:
        start = date(previous_end.year, previous_end.month, 1)
    else:
        start = date(previous_end.year, previous_end.month - 2, 1)
    return _period_starting(frequency, start, holidays)


def due_period(
    frequency: Frequency, today: date, subscribed_on: date, holidays: Collection[date]
) -> ReportPeriod | None:
    """The period whose summary is due by ``today`` for someone subscribed since
    ``subscribed_on``: the last period ended, once its sending day has come (a sweep that was
    down on the day catches up); None before that day, or if the person subscribed after it
    (they get the next one, never a late copy of one from before they asked)."""
    period = period_before(frequency, today, holidays)
    if period.send_on > today:
        # Sent on the first working day: until then, the one before may still be due.
        period = period_before(frequency, period.start, holidays)
    if period.send_on < subscribed_on:
        return None
    return period


def upcoming_period(frequency: Frequency, today: date, holidays: Collection[date]) -> ReportPeriod:
    """The next summary to go out from ``today`` on: the last period's, if its day is today or
    still to come, else the period under way."""
    last = period_before(frequency, today, holidays)
    if last.send_on >= today:
        return last
    return _period_starting(frequency, _start_of(frequency, today), holidays)


def _start_of(frequency: Frequency, day: date) -> date:
    if frequency is Frequency.MONTHLY:
        return date(day.year, day.month, 1)
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)

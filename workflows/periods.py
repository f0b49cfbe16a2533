"""Compact periods: months, weeks and working days, stopped clocks, and compliance verdicts.

Plain Python on ``datetime.date`` values, with no web or database imports, so every rule can be
tested with literal dates. Terms follow DOMAIN.md: a *period* is a count and a unit; adding it to
a start date gives a due date; a *pause* stops the clock; a *verdict* says whether a funder's
notice or consultation kept the Compact, with one sentence a funder can paste into a letter.

Counting conventions, used everywhere in this module:

* Calendar months use the corresponding-date rule: the same day number ``n`` months on, or the
  last day of that month when it is shorter (31 January + 1 month = 28 or 29 February).
* Weeks are 7 calendar days; calendar days are counted one by one.
* Working days are Monday to Friday less England's bank holidays (substitute days included, as
  given by the ``holidays`` package, which knows them up to 2100, and kept as data in
  ``bank_holiday_dates``; later years have weekends only), as changed by an administrator's
  overrides (see ``bank_holidays``).
* The start day itself is never counted: 5 working days from Monday 1 March 2027 is Monday
  8 March 2027.
* A pause ``Pause(start=S, end=E)`` covers the days ``S <= d < E``: the clock stopped on S and
  counts again from E. Paused days are skipped in the rule's own unit (working days for a
  working-day rule, calendar days for the others), so a month rule paused for 7 days ends 7
  calendar days later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from .bank_holidays import (
    LAST_TABLE_DAY,
    TABLE_FIRST,
    WorkingCalendar,
    current_calendar,
    table_index,
)

__all__ = [
    "CALENDAR_DAYS",
    "MAX_DATE",
    "MIN_DATE",
    "MONTHS",
    "WEEKS",
    "WORKING_DAYS",
    "Pause",
    "Period",
    "PeriodError",
    "Unit",
    "add_months",
    "add_period",
    "add_working_days",
    "bank_holidays",
    "due_date",
    "format_date",
    "is_working_day",
    "latest_start",
    "validate_date",
    "validate_pauses",
    "working_days_between",
]

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
MAX_COUNT = 9999


class PeriodError(ValueError):
    """A period, date or pause that the Compact rules cannot work with."""


class Unit(StrEnum):
    MONTHS = "months"
    WEEKS = "weeks"
    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"


MONTHS = Unit.MONTHS
WEEKS = Unit.WEEKS
CALENDAR_DAYS = Unit.CALENDAR_DAYS
WORKING_DAYS = Unit.WORKING_DAYS

_UNIT_NAMES = {
    MONTHS: ("calendar month", "calendar months"),
    WEEKS: ("week", "weeks"),
    CALENDAR_DAYS: ("calendar day", "calendar days"),
    WORKING_DAYS: ("working day", "working days"),
}


@dataclass(frozen=True, slots=True)
class Period:
    """A count of one unit, e.g. ``Period(3, MONTHS)``; ``unit`` may be given as its value."""

    count: int
    unit: Unit

    def __post_init__(self) -> None:
        # bool is an int subclass; Period(True, ...) is always a bug upstream.
        if type(self.count) is not int or not 1 <= self.count <= MAX_COUNT:
            raise PeriodError(
                f"a period needs a whole number from 1 to {MAX_COUNT}: {self.count!r}"
            )
        if not isinstance(self.unit, Unit):
            try:
                unit = Unit(self.unit)
            except ValueError:
                units = ", ".join(u.value for u in Unit)
                raise PeriodError(f"unknown unit {self.unit!r}; use one of {units}") from None
            object.__setattr__(self, "unit", unit)

    def describe(self) -> str:
        """Plain English: "3 calendar months", "12 weeks", "1 working day"."""
        singular, plural = _UNIT_NAMES[self.unit]
        return f"{self.count} {singular if self.count == 1 else plural}"

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True, slots=True)
class Pause:
    """The clock stopped on ``start`` and counts again from ``end`` (``None``: still stopped)."""

    start: date
    end: date | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None


# --- dates -------------------------------------------------------------------------------------

_MONTH_NAMES = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def format_date(day: date) -> str:
    """Write a date as in a letter, "3 March 2027" (strftime would zero-pad and follow locale)."""
    return f"{day.day} {_MONTH_NAMES[day.month]} {day.year}"


def validate_date(value: date, name: str = "date") -> date:
    """Return ``value`` if it is a date from 1 January 2000 to 31 December 2100, else raise."""
    if type(value) is not date:
        # A datetime would make date arithmetic return datetimes and compare oddly with dates.
        if isinstance(value, datetime) or not isinstance(value, date):
            raise PeriodError(f"{name} must be a date, not {type(value).__name__}")
        value = date(value.year, value.month, value.day)
    if not MIN_DATE <= value <= MAX_DATE:
        raise PeriodError(
            f"{name} {format_date(value)} is outside the supported range "
            f"{format_date(MIN_DATE)} to {format_date(MAX_DATE)}"
        )
    return value


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month]


def add_months(day: date, months: int) -> date:
    """Corresponding-date rule; ``months`` may be negative (used to count back from a deadline)."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    month = month0 + 1
    last = _days_in_month(year, month)
    return date(year, month, day.day if day.day <= last else last)


# --- working days ------------------------------------------------------------------------------

# Working-day arithmetic is table lookups into the table of the bank holidays in force (see
# `bank_holidays`): any span, however long, is O(1) instead of a loop over days.


def _table_index(day: date, cal: WorkingCalendar) -> int:
    index = table_index(day, cal)
    if index is None:
        raise PeriodError(
            f"{format_date(day)} is outside the working-day calendar "
            f"({format_date(TABLE_FIRST)} to {format_date(LAST_TABLE_DAY)})"
        )
    return index


def _working_day(cal: WorkingCalendar, k: int) -> int:
    if not 0 <= k < len(cal.working):
        raise PeriodError("the result falls outside the working-day calendar (1995 to 2150)")
    return cal.working[k]


def bank_holidays() -> frozenset[date]:
    """England's bank holidays in force 1995-2100: the published ones, substitute days
    included, with the overrides `bank_holidays.use_overrides` was last given."""
    return current_calendar().holidays


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England."""
    cal = current_calendar()
    i = _table_index(day, cal)
    return cal.before[i + 1] != cal.before[i]


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (before it when negative); ``day`` not counted.

    ``add_working_days(d, 0)`` is ``d``. Used for deadlines and for reminders "n working days
    before" a due date; a due date with pauses comes from ``due_date``.
    """
    cal = current_calendar()
    i = _table_index(day, cal)
    if count > 0:
        return date.fromordinal(_working_day(cal, cal.before[i + 1] + count - 1))
    if count < 0:
        return date.fromordinal(_working_day(cal, cal.before[i] + count))
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in ``start < d <= end`` (negative when ``end`` is before ``start``)."""
    cal = current_calendar()
    return cal.before[_table_index(end, cal) + 1] - cal.before[_table_index(start, cal) + 1]


# --- due dates and pauses ----------------------------------------------------------------------


def validate_pauses(pauses: Sequence[Pause]) -> None:
    """Raise PeriodError unless every pause is well formed.

    A pause may not end before it starts; at most one pause may be open (the clock can only be
    stopped once at a time), and no closed pause may reach into the open one's days. Closed
    pauses may overlap each other: the days they share are paused once.
    """
    open_pause: Pause | None = None
    for pause in pauses:
        if not isinstance(pause, Pause):
            raise PeriodError(f"expected a Pause, not {type(pause).__name__}")
        validate_date(pause.start, "pause start")
        if pause.end is None:
            if open_pause is not None:
                raise PeriodError(
                    f"only one pause can be open: the clock has been stopped since "
                    f"{format_date(open_pause.start)}, so it cannot stop again on "
                    f"{format_date(pause.start)}"
                )
            open_pause = pause
            continue
        validate_date(pause.end, "pause end")
        if pause.end < pause.start:
            raise PeriodError(
                f"a pause cannot end ({format_date(pause.end)}) before it starts "
                f"({format_date(pause.start)})"
            )
    if open_pause is None:
        return
    for pause in pauses:
        if pause.end is not None and pause.end > open_pause.start and pause.end > pause.start:
            raise PeriodError(
                f"the pause from {format_date(pause.start)} to {format_date(pause.end)} overlaps "
                f"the open pause that started on {format_date(open_pause.start)}"
            )


def add_period(start: date, period: Period) -> date:
    unit = period.unit
    if unit is MONTHS:
        return add_months(start, period.count)
    if unit is WORKING_DAYS:
        return add_working_days(start, period.count)
    if unit is WEEKS:
        return start + timedelta(days=7 * period.count)
    return start + timedelta(days=period.count)


def _count_with_spans(start: date, period: Period, spans: list[tuple[int, int]]) -> date:
    """Due date when the days in ``spans`` (sorted, disjoint, half-open ordinal ranges) are
    not counted.

    Walks the gaps between pauses, taking each gap's counted days whole, so the cost is one step
    per pause whatever the lengths involved.
    """
    s = start.toordinal()
    if period.unit is WORKING_DAYS:
        cal = current_calendar()
        first, before = cal.first, cal.before
        _table_index(start, cal)
        remaining = period.count
        cursor = s  # every day up to and including cursor is dealt with
        for lo, hi in spans:
            if hi <= cursor + 1:
                continue
            if lo > cursor + 1:
                available = before[lo - first] - before[cursor + 1 - first]
                if available >= remaining:
                    break
                remaining -= available
            cursor = hi - 1
        return date.fromordinal(_working_day(cal, before[cursor + 1 - first] + remaining - 1))
    # Months become the calendar days they span from this start, so paused days extend them
    # day for day, as for weeks and days.
    remaining = (add_period(start, period) - start).days
    cursor = s
    for lo, hi in spans:
        if hi <= cursor + 1:
            continue
        if lo > cursor + 1:
            available = lo - cursor - 1
            if available >= remaining:
                break
            remaining -= available
        cursor = hi - 1
    return date.fromordinal(cursor + remaining)


def _merged(pauses: Sequence[Pause]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for lo, hi in sorted((p.start.toordinal(), p.end.toordinal()) for p in pauses):
        if spans and lo <= spans[-1][1]:
            if hi > spans[-1][1]:
                spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def due_date(
    start: date,
    period: Period,
    pauses: Sequence[Pause] = (),
    *,
    today: date | None = None,
) -> date:
    """When ``period`` from ``start`` ends, with the clock stopped during ``pauses``.

    The one function that computes a deadline. Paused days are not counted (see the module
    docstring); overlapping pauses count once and a pause after the due date changes nothing.

    An open pause (``end=None``) means the clock is still stopped, so the due date is unknown
    unless it falls before the pause began (then it is returned as usual). Otherwise pass
    ``today``: the pause is taken to end tomorrow (today is still paused), which gives the
    earliest due date possible as things stand; it moves on by one unit for each further paused
    working or calendar day. Without ``today``, or with ``today`` before the open pause started,
    PeriodError is raised.
    """
    start = validate_date(start, "start")
    if not pauses:
        return add_period(start, period)
    validate_pauses(pauses)
    closed = [p for p in pauses if p.end is not None]
    open_pause = next((p for p in pauses if p.end is None), None)
    due = _count_with_spans(start, period, _merged(closed)) if closed else add_period(start, period)
    if open_pause is None or due < open_pause.start:
        return due
    if today is None:
        raise PeriodError(
            f"the clock has been stopped since {format_date(open_pause.start)}, so the due date "
            "depends on when it restarts; give today's date for a provisional due date"
        )
    today = validate_date(today, "today")
    if today < open_pause.start:
        raise PeriodError(
            f"the open pause starts on {format_date(open_pause.start)}, after today "
            f"({format_date(today)})"
        )
    closed.append(Pause(open_pause.start, today + timedelta(days=1)))
    return _count_with_spans(start, period, _merged(closed))


def latest_start(due: date, period: Period) -> date:
    """The latest day D with ``due_date(D, period) <= due`` (no pauses).

    Used for "notice must be given by". Month ends need care: if ``due`` is the last day of its
    month, every later start day in the month ``period`` earlier is clamped onto it, so the
    answer is that month's last day (28 February 2027 less 3 months is 30 November 2026, not
    28 November).
    """
    unit = period.unit
    n = period.count
    if unit is MONTHS:
        year, month0 = divmod(due.month - 1 - n, 12)
        year += due.year
        month = month0 + 1
        last = _days_in_month(year, month)
        if due.day == _days_in_month(due.year, due.month) or due.day >= last:
            return date(year, month, last)
        return date(year, month, due.day)
    if unit is WEEKS:
        return due - timedelta(days=7 * n)
    if unit is CALENDAR_DAYS:
        return due - timedelta(days=n)
    # Starting on D, the n-th working day after D is working[before(D+1) + n - 1]; it stays
    # <= due while D is before the working day with index (working days <= due) - n.
    cal = current_calendar()
    k = cal.before[_table_index(due, cal) + 1] - n
    return date.fromordinal(_working_day(cal, k) - 1)

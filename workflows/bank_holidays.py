"""England's bank holidays in force, and the working-day table built from them.

The published days (``bank_holiday_dates``, from the ``holidays`` package) are changed by an
administrator's overrides: a one-off day *added* (a jubilee, a state funeral, a coronation)
or a published day *removed* (a holiday moved to another date is one day removed and one
added). The overrides arrive here as plain sets of dates; the service layer loads them from
the database and calls `use_overrides`, and every working-day sum in `periods` then counts
with the days in force.

Working-day arithmetic is table lookups: for every day of the table, how many working days
come before it, and the ordinal of every working day. Building a table takes a few
milliseconds; the published one is built once per process, and the last few tables built are
kept, so going back to one costs nothing.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .bank_holiday_dates import bank_holiday_dates

__all__ = [
    "OVERRIDE_FIRST",
    "OVERRIDE_LAST",
    "HolidayDay",
    "Override",
    "WorkingCalendar",
    "build_calendar",
    "current_calendar",
    "days_of_year",
    "in_force",
    "overrides",
    "refusal_to_add",
    "refusal_to_remove",
    "use_overrides",
]

TABLE_FIRST = date(1995, 1, 1)
TABLE_END = date(2151, 1, 1)  # exclusive; leaves room for long periods from 2100
# The days an override may name: the years every Compact rule works with.
OVERRIDE_FIRST = date(2000, 1, 1)
OVERRIDE_LAST = date(2100, 12, 31)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Override(StrEnum):
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    first: int  # ordinal of TABLE_FIRST
    before: array  # before[i]: working days with ordinal < first + i (one entry past the end)
    working: array  # working[k]: ordinal of the k-th working day (0-based)
    holidays: frozenset[date]
    added: frozenset[date]
    removed: frozenset[date]


_published: frozenset[date] | None = None


def published() -> frozenset[date]:
    """The published bank holidays 1995-2100, substitute days included."""
    global _published
    if _published is None:
        _published = bank_holiday_dates()
    return _published


def in_force(added: Iterable[date] = (), removed: Iterable[date] = ()) -> frozenset[date]:
    """The bank holidays in force: the published ones less ``removed``, plus ``added``."""
    return (published() - frozenset(removed)) | frozenset(added)


def build_calendar(
    added: frozenset[date] = frozenset(), removed: frozenset[date] = frozenset()
) -> WorkingCalendar:
    """The working-day table with these overrides (pure: nothing is installed)."""
    holidays = in_force(added, removed)
    holiday_ordinals = {d.toordinal() for d in holidays}
    first = TABLE_FIRST.toordinal()
    end = TABLE_END.toordinal()
    before = array("l")
    working = array("l")
    append_before, append_working = before.append, working.append
    for ordinal in range(first, end):
        append_before(len(working))
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is the weekday, Monday = 0.
        if (ordinal - 1) % 7 < 5 and ordinal not in holiday_ordinals:
            append_working(ordinal)
    before.append(len(working))
    return WorkingCalendar(first, before, working, holidays, frozenset(added), frozenset(removed))


_current: WorkingCalendar | None = None
# Tables already built, by (added, removed): switching back to one costs nothing.
_built: dict[tuple[frozenset[date], frozenset[date]], WorkingCalendar] = {}
_KEEP = 8


def current_calendar() -> WorkingCalendar:
    """The table every working-day sum uses now (the published days until told otherwise)."""
    return _current or use_overrides()


def use_overrides(added: Iterable[date] = (), removed: Iterable[date] = ()) -> WorkingCalendar:
    """Count working days with these overrides from now on, in this process."""
    global _current
    key = (frozenset(added), frozenset(removed))
    calendar = _built.get(key)
    if calendar is None:
        calendar = build_calendar(*key)
        if len(_built) >= _KEEP:
            _built.pop(next(iter(_built)))
        _built[key] = calendar
    _current = calendar  # one assignment: a sum running in another thread keeps its table
    return calendar


def overrides() -> tuple[frozenset[date], frozenset[date]]:
    """The (added, removed) days the current table counts with."""
    calendar = current_calendar()
    return calendar.added, calendar.removed


# --- what an administrator may change -------------------------------------------------------


def _day_text(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {day:%B} {day.year}"


def _range_refusal(day: date) -> str | None:
    if not OVERRIDE_FIRST <= day <= OVERRIDE_LAST:
        return "Enter a date from 1 January 2000 to 31 December 2100"
    return None


def refusal_to_add(
    day: date, added: frozenset[date] = frozenset(), removed: frozenset[date] = frozenset()
) -> str | None:
    """Why ``day`` cannot be added as a bank holiday, or None when it can."""
    refusal = _range_refusal(day)
    if refusal:
        return refusal
    if day in in_force(added, removed):
        return f"{_day_text(day)} is already a bank holiday"
    if day.weekday() >= 5 and day not in published():
        return f"{_day_text(day)} is a weekend day: a bank holiday on it changes no working day"
    return None


def refusal_to_remove(
    day: date, added: frozenset[date] = frozenset(), removed: frozenset[date] = frozenset()
) -> str | None:
    """Why ``day`` cannot be removed from the bank holidays, or None when it can."""
    refusal = _range_refusal(day)
    if refusal:
        return refusal
    if day not in in_force(added, removed):
        return f"{_day_text(day)} is not a bank holiday"
    return None


@dataclass(frozen=True, slots=True)
class HolidayDay:
    """One day of a year's list: a bank holiday in force, or a published one removed."""

    day: date
    status: str  # "published", "added" or "removed"

    @property
    def in_force(self) -> bool:
        return self.status != "removed"


def days_of_year(
    year: int, added: frozenset[date] = frozenset(), removed: frozenset[date] = frozenset()
) -> list[HolidayDay]:
    """The year's bank holidays in force and the published ones removed, in date order."""
    days = {d: "published" for d in published() if d.year == year}
    days.update({d: "removed" for d in removed if d.year == year and d in days})
    days.update({d: "added" for d in added if d.year == year})
    return [HolidayDay(d, status) for d, status in sorted(days.items())]


def table_index(day: date, calendar: WorkingCalendar) -> int | None:
    """Where ``day`` is in the table, or None outside it."""
    index = day.toordinal() - calendar.first
    return index if 0 <= index < len(calendar.before) - 1 else None


LAST_TABLE_DAY = TABLE_END - timedelta(days=1)

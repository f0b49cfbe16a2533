"""Reporting periods cut into whole calendar months and the odd days either side.

Report figures are kept added up per calendar month; a period from 14 March to 20 June is read
as the whole months April and May from those monthly figures, and 14–31 March and 1–20 June
counted day by day. Plain dates in, plain dates out.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class MonthSplit:
    """`months`: the first days of the first and last whole months inside the period (None
    when it holds no whole month); `edges`: the inclusive day ranges left over, in order."""

    months: tuple[date, date] | None
    edges: tuple[tuple[date, date], ...]


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: date) -> date:
    return month_end(day) + timedelta(days=1)


def split_into_months(start: date, end: date) -> MonthSplit:
    """Cut `start`..`end` (inclusive) into whole calendar months and the days either side.

    >>> split_into_months(date(2027, 3, 14), date(2027, 6, 20))
    MonthSplit(months=(datetime.date(2027, 4, 1), datetime.date(2027, 5, 1)), edges=((datetime.date(2027, 3, 14), datetime.date(2027, 3, 31)), (datetime.date(2027, 6, 1), datetime.date(2027, 6, 20))))
    """  # noqa: E501
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    first = start if start.day == 1 else _next_month(start)
    last = month_start(end) if end == month_end(end) else month_start(end) - timedelta(days=1)
    last = month_start(last) if last >= first else last
    if first > end or last < first:
        return MonthSplit(None, ((start, end),))
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if month_end(last) < end:
        edges.append((month_end(last) + timedelta(days=1), end))
    return MonthSplit((first, last), tuple(edges))

"""Reminders: on which days a deadline is reminded, and how long to wait after a failed send.

Plain values only. The service layer turns the answer into reminder rows, one per offset,
recipient and channel, and sends them; here is only the calendar.

An *offset* names one reminder of a deadline's series, in working days before the due date:
``10`` is "10 working days before", ``0`` is "on the due day", ``-5`` is "5 working days
overdue". A reminder's offset never changes when its deadline moves, only the day it fires on,
so a reminder already sent for an offset is never sent again for that deadline.

The overdue repeats ("every 5 working days while overdue") form an open-ended series. Only two
of them matter on any day: the latest one that has fallen due, and the next one. When several
repeats were missed (the server was down), only the latest is worth sending; older unsent
repeats are superseded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .periods import add_working_days, working_days_between


@dataclass(frozen=True)
class ReminderOffsets:
    """When to remind: working days before the due date (0 is the due day), and every how many
    working days while overdue (0 for never)."""

    before: tuple[int, ...] = (10, 3, 0)
    overdue_every: int = 5

    def __post_init__(self) -> None:
        if any(n < 0 for n in self.before):
            raise ValueError("reminders before a due date are 0 or more working days before it")
        if self.overdue_every < 0:
            raise ValueError("the overdue repeat is 0 (never) or more working days")

    @classmethod
    def parse(cls, before: str, overdue_every: str | int) -> ReminderOffsets:
        """From settings such as ``"10,3,0"`` and ``"5"``."""
        days = tuple(
            sorted({int(part) for part in before.split(",") if part.strip()}, reverse=True)
        )
        return cls(before=days, overdue_every=int(overdue_every))


@dataclass(frozen=True)
class ScheduledReminder:
    offset: int
    fires_on: date

    @property
    def overdue(self) -> bool:
        return self.offset < 0

    def describe(self) -> str:
        """Which reminder of the series this is, in plain English."""
        if self.offset == 0:
            return "On the due day"
        n = abs(self.offset)
        days = "working day" if n == 1 else "working days"
        return f"{n} {days} {'overdue' if self.offset < 0 else 'before'}"


def fires_on(due_on: date, offset: int) -> date:
    """The day the reminder with ``offset`` fires for a deadline due on ``due_on``."""
    return add_working_days(due_on, -offset)


def schedule(
    due_on: date, opened_on: date, today: date, offsets: ReminderOffsets
) -> tuple[ScheduledReminder, ...]:
    """The reminders a deadline due on ``due_on``, open since ``opened_on``, has as of
    ``today``, in the order they fire.

    A reminder that would have fired before the deadline opened is left out (a 5-working-day
    deadline has no "10 working days before"). Of the overdue repeats, only the latest that has
    fallen due by ``today`` and the next one are listed.
    """
    found = [
        ScheduledReminder(n, fires_on(due_on, n))
        for n in sorted(set(offsets.before), reverse=True)
        if fires_on(due_on, n) >= opened_on
    ]
    if offsets.overdue_every:
        step = offsets.overdue_every
        overdue_by = working_days_between(due_on, today)  # working days overdue today
        latest = (overdue_by // step) * step if overdue_by >= step else 0
        if latest:
            found.append(ScheduledReminder(-latest, fires_on(due_on, -latest)))
        found.append(ScheduledReminder(-(latest + step), fires_on(due_on, -(latest + step))))
    return tuple(found)


def worth_planning(
    series: Sequence[ScheduledReminder], today: date
) -> tuple[ScheduledReminder, ...]:
    """The reminders of ``series`` to plan when none has been planned yet as of ``today``.

    Reminders that fell due before today while nobody was planning them (a deadline loaded in
    bulk, or seen for the first time after an outage) are not all sent at once: only the most
    recent of them is, together with every reminder still to come.
    """
    missed = [r for r in series if r.fires_on < today]
    kept = [r for r in series if r.fires_on >= today]
    if missed:
        kept.insert(0, max(missed, key=lambda r: (r.fires_on, -r.offset)))
    return tuple(kept)


def last_sending_day(now: datetime, send_hour: int) -> date:
    """The latest day whose reminders may go out at ``now`` (a local time, Europe/London):
    reminders go out from ``send_hour`` o'clock, so before that hour it is yesterday."""
    if type(send_hour) is not int or not 0 <= send_hour <= 23:
        raise ValueError(f"the send hour is a whole hour from 0 to 23, not {send_hour!r}")
    today = now.date()
    return today if now.hour >= send_hour else today - timedelta(days=1)


# Minutes to wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
RETRY_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1


def retry_after(attempts: int) -> timedelta | None:
    """How long to wait before trying again after ``attempts`` failed sends; None when the
    reminder has failed for good."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return timedelta(minutes=RETRY_MINUTES[max(attempts, 1) - 1])

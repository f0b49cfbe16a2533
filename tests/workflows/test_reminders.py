"""Reminder dates: offsets counted in working days around bank holidays and month ends, the
overdue repeats, what is planned after an outage, and the retry back-off."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workflows.reminders import (
    MAX_ATTEMPTS,
    ReminderOffsets,
    ScheduledReminder,
    fires_on,
    retry_after,
    schedule,
    worth_planning,
)

DEFAULT = ReminderOffsets()
LONG_AGO = date(2025, 1, 1)


def dates(series) -> dict[int, date]:
    return {r.offset: r.fires_on for r in series}


def test_default_offsets_are_10_and_3_working_days_before_the_day_and_every_5_overdue():
    assert ReminderOffsets(before=(10, 3, 0), overdue_every=5) == DEFAULT
    assert ReminderOffsets.parse("3, 10,0", "5") == DEFAULT


def test_reminders_skip_christmas_and_the_substitute_boxing_day():
    # Due Tuesday 29 December 2026; 25 December is a Friday, Boxing Day's holiday is Monday 28.
    series = schedule(date(2026, 12, 29), LONG_AGO, date(2026, 12, 1), DEFAULT)
    assert dates(series) == {
        10: date(2026, 12, 11),
        3: date(2026, 12, 22),
        0: date(2026, 12, 29),
        # 30, 31 December, (1 January is a holiday), 4, 5, 6 January.
        -5: date(2027, 1, 6),
    }


def test_reminders_skip_easter():
    # Good Friday 3 April and Easter Monday 6 April 2026.
    series = schedule(date(2026, 4, 7), LONG_AGO, date(2026, 3, 1), DEFAULT)
    assert dates(series)[3] == date(2026, 3, 31)
    assert dates(series)[-5] == date(2026, 4, 14)


def test_a_due_date_at_a_weekend_month_end_counts_back_from_the_friday():
    # Saturday 31 January 2026 (a calendar-day deadline can fall on a weekend).
    series = schedule(date(2026, 1, 31), LONG_AGO, date(2026, 1, 2), DEFAULT)
    assert dates(series) == {
        10: date(2026, 1, 19),
        3: date(2026, 1, 28),
        0: date(2026, 1, 31),
        -5: date(2026, 2, 6),
    }


def test_across_a_month_end_into_a_leap_day():
    assert fires_on(date(2028, 3, 2), 3) == date(2028, 2, 28)
    assert fires_on(date(2028, 2, 25), -3) == date(2028, 3, 1)  # 28, 29 February, 1 March


def test_a_reminder_that_would_fire_before_the_deadline_opened_is_left_out():
    # 5 working days from Monday 5 October 2026: no "10 working days before".
    series = schedule(date(2026, 10, 12), date(2026, 10, 5), date(2026, 10, 5), DEFAULT)
    assert [r.offset for r in series] == [3, 0, -5]


def test_while_overdue_only_the_latest_repeat_and_the_next_are_listed():
    # Due Monday 2 March 2026; on Friday 20 March it is 14 working days overdue.
    series = schedule(date(2026, 3, 2), LONG_AGO, date(2026, 3, 20), DEFAULT)
    assert dates(series) == {
        10: date(2026, 2, 16),
        3: date(2026, 2, 25),
        0: date(2026, 3, 2),
        -10: date(2026, 3, 16),
        -15: date(2026, 3, 23),
    }


def test_on_the_day_a_repeat_falls_due_it_is_the_latest():
    series = schedule(date(2026, 3, 2), LONG_AGO, date(2026, 3, 9), DEFAULT)
    assert [r.offset for r in series if r.overdue] == [-5, -10]


def test_no_overdue_repeats_when_turned_off():
    series = schedule(date(2026, 3, 2), LONG_AGO, date(2026, 6, 1), ReminderOffsets((3,), 0))
    assert [r.offset for r in series] == [3]


def test_after_an_outage_only_the_most_recent_missed_reminder_is_planned_anew():
    series = schedule(date(2026, 3, 2), LONG_AGO, date(2026, 3, 20), DEFAULT)
    assert [r.offset for r in worth_planning(series, date(2026, 3, 20))] == [-10, -15]


def test_a_reminder_due_today_is_not_missed():
    series = schedule(date(2026, 3, 2), LONG_AGO, date(2026, 2, 25), DEFAULT)
    assert [r.offset for r in worth_planning(series, date(2026, 2, 25))] == [10, 3, 0, -5]
    assert [r.offset for r in worth_planning(series, date(2026, 2, 26))] == [3, 0, -5]


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (10, "10 working days before"),
        (1, "1 working day before"),
        (0, "On the due day"),
        (-5, "5 working days overdue"),
    ],
)
def test_each_reminder_says_which_it_is(offset, words):
    assert ScheduledReminder(offset, date(2026, 3, 2)).describe() == words


def test_failed_sends_back_off_then_give_up_after_five():
    assert [retry_after(n) for n in range(1, MAX_ATTEMPTS)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(minutes=60),
    ]
    assert MAX_ATTEMPTS == 5
    assert retry_after(5) is None


def test_offsets_are_not_negative():
    with pytest.raises(ValueError):
        ReminderOffsets(before=(-1,))

"""Bank holidays an administrator adds or removes: every working-day sum counts with them.

Dates worked out by hand: 1 March 2027 is a Monday, 1 May 2027 a Saturday (so the early May
bank holiday is Monday 3 May), and 25 December 2027 a Saturday (substitute days Monday 27
and Tuesday 28 December).
"""

from __future__ import annotations

from datetime import date

import pytest

from workflows import bank_holidays
from workflows.deadlines import deadline_due
from workflows.periods import (
    WORKING_DAYS,
    Period,
    add_working_days,
    due_date,
    is_working_day,
    latest_start,
    working_days_between,
)
from workflows.periods import (
    bank_holidays as holidays_in_force,
)
from workflows.reminders import fires_on

FIVE = Period(5, WORKING_DAYS)
SIX = Period(6, WORKING_DAYS)


@pytest.fixture(autouse=True)
def published_days_again():
    yield
    bank_holidays.use_overrides()


def test_a_one_off_holiday_moves_a_five_working_day_deadline_by_one_day():
    # Mon 1 March: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 March.
    assert due_date(date(2027, 3, 1), FIVE) == date(2027, 3, 8)
    bank_holidays.use_overrides(added={date(2027, 3, 3)})
    # Wed 3 March no longer counts: Tue 2, Thu 4, Fri 5, Mon 8, Tue 9 March.
    assert due_date(date(2027, 3, 1), FIVE) == date(2027, 3, 9)
    assert deadline_due(date(2027, 3, 1), FIVE, 0, []) == date(2027, 3, 9)
    assert not is_working_day(date(2027, 3, 3))
    assert working_days_between(date(2027, 3, 1), date(2027, 3, 9)) == 5
    assert latest_start(date(2027, 3, 9), FIVE) == date(2027, 3, 1)
    assert date(2027, 3, 3) in holidays_in_force()


def test_a_holiday_after_the_due_date_changes_nothing():
    bank_holidays.use_overrides(added={date(2027, 3, 9)})
    assert due_date(date(2027, 3, 1), FIVE) == date(2027, 3, 8)


def test_removing_a_published_day_makes_it_a_working_day():
    assert date(2027, 5, 3) in holidays_in_force()
    # Thu 29 April + 6: Fri 30, (Mon 3 May a holiday) Tue 4, Wed 5, Thu 6, Fri 7, Mon 10 May.
    assert add_working_days(date(2027, 4, 29), 6) == date(2027, 5, 10)
    bank_holidays.use_overrides(removed={date(2027, 5, 3)})
    # Fri 30, Mon 3, Tue 4, Wed 5, Thu 6, Fri 7 May.
    assert add_working_days(date(2027, 4, 29), 6) == date(2027, 5, 7)
    assert is_working_day(date(2027, 5, 3))


def test_a_moved_holiday_is_one_day_removed_and_one_added():
    # The early May holiday moved from Monday 3 to Friday 7 May, as VE Day moved it in 2020.
    bank_holidays.use_overrides(added={date(2027, 5, 7)}, removed={date(2027, 5, 3)})
    # Fri 30 April, Mon 3, Tue 4, Wed 5, Thu 6, (Fri 7 a holiday), Mon 10 May.
    assert due_date(date(2027, 4, 29), SIX) == date(2027, 5, 10)
    assert due_date(date(2027, 4, 29), FIVE) == date(2027, 5, 6)
    assert is_working_day(date(2027, 5, 3)) and not is_working_day(date(2027, 5, 7))
    # A reminder 3 working days before a deadline due Tuesday 11 May fires on Wed 5 May.
    assert fires_on(date(2027, 5, 11), 3) == date(2027, 5, 5)


def test_a_weekend_day_added_changes_no_working_day_and_is_refused():
    saturday = date(2027, 3, 6)
    assert bank_holidays.refusal_to_add(saturday) == (
        "Saturday 6 March 2027 is a weekend day: a bank holiday on it changes no working day"
    )
    bank_holidays.use_overrides(added={saturday})
    assert due_date(date(2027, 3, 1), FIVE) == date(2027, 3, 8)


def test_back_to_the_published_days():
    bank_holidays.use_overrides(added={date(2027, 3, 3)})
    bank_holidays.use_overrides()
    assert due_date(date(2027, 3, 1), FIVE) == date(2027, 3, 8)
    assert bank_holidays.overrides() == (frozenset(), frozenset())


def test_building_a_table_is_pure():
    table = bank_holidays.build_calendar(added=frozenset({date(2027, 3, 3)}))
    assert date(2027, 3, 3) in table.holidays
    assert due_date(date(2027, 3, 1), FIVE) == date(2027, 3, 8)  # nothing was installed


@pytest.mark.parametrize(
    ("day", "added", "removed", "refusal"),
    [
        (date(1999, 12, 31), (), (), "Enter a date from 1 January 2000 to 31 December 2100"),
        (date(2101, 1, 3), (), (), "Enter a date from 1 January 2000 to 31 December 2100"),
        (date(2027, 12, 27), (), (), "Monday 27 December 2027 is already a bank holiday"),
        (
            date(2027, 3, 3),
            {date(2027, 3, 3)},
            (),
            "Wednesday 3 March 2027 is already a bank holiday",
        ),
        (date(2027, 3, 3), (), (), None),
        # A published day removed can be put back.
        (date(2027, 5, 3), (), {date(2027, 5, 3)}, None),
        # Christmas Day on a Saturday is a published holiday: already one.
        (date(2027, 12, 25), (), (), "Saturday 25 December 2027 is already a bank holiday"),
    ],
)
def test_what_can_be_added(day, added, removed, refusal):
    assert bank_holidays.refusal_to_add(day, frozenset(added), frozenset(removed)) == refusal


@pytest.mark.parametrize(
    ("day", "added", "removed", "refusal"),
    [
        (date(1999, 12, 27), (), (), "Enter a date from 1 January 2000 to 31 December 2100"),
        (date(2027, 3, 3), (), (), "Wednesday 3 March 2027 is not a bank holiday"),
        (date(2027, 5, 3), (), {date(2027, 5, 3)}, "Monday 3 May 2027 is not a bank holiday"),
        (date(2027, 5, 3), (), (), None),
        # A day added by mistake can be taken out again.
        (date(2027, 3, 3), {date(2027, 3, 3)}, (), None),
    ],
)
def test_what_can_be_removed(day, added, removed, refusal):
    assert bank_holidays.refusal_to_remove(day, frozenset(added), frozenset(removed)) == refusal


def test_a_years_list_shows_published_added_and_removed_days():
    days = bank_holidays.days_of_year(
        2027, added=frozenset({date(2027, 5, 7)}), removed=frozenset({date(2027, 5, 3)})
    )
    by_day = {d.day: d.status for d in days}
    assert by_day[date(2027, 1, 1)] == "published"
    assert by_day[date(2027, 5, 3)] == "removed"
    assert by_day[date(2027, 5, 7)] == "added"
    assert [d.day for d in days] == sorted(by_day)
    assert not next(d for d in days if d.day == date(2027, 5, 3)).in_force

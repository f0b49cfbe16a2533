from datetime import date

import pytest

from workflows.months import MonthSplit, month_end, split_into_months


def test_a_financial_year_is_twelve_whole_months_and_nothing_else():
    assert split_into_months(date(2026, 4, 1), date(2027, 3, 31)) == MonthSplit(
        (date(2026, 4, 1), date(2027, 3, 1)), ()
    )


def test_odd_days_either_side_are_left_as_edges():
    assert split_into_months(date(2027, 3, 14), date(2027, 6, 20)) == MonthSplit(
        (date(2027, 4, 1), date(2027, 5, 1)),
        ((date(2027, 3, 14), date(2027, 3, 31)), (date(2027, 6, 1), date(2027, 6, 20))),
    )


def test_a_period_inside_one_month_is_one_edge():
    assert split_into_months(date(2027, 2, 3), date(2027, 2, 27)) == MonthSplit(
        None, ((date(2027, 2, 3), date(2027, 2, 27)),)
    )


def test_two_part_months_with_no_whole_month_between_are_one_edge():
    assert split_into_months(date(2027, 1, 20), date(2027, 2, 10)) == MonthSplit(
        None, ((date(2027, 1, 20), date(2027, 2, 10)),)
    )


def test_february_of_a_leap_year_ends_on_the_29th():
    assert month_end(date(2028, 2, 3)) == date(2028, 2, 29)
    assert split_into_months(date(2028, 2, 1), date(2028, 2, 29)) == MonthSplit(
        (date(2028, 2, 1), date(2028, 2, 1)), ()
    )
    # The 28th is not the end of February 2028: the month is read day by day.
    assert split_into_months(date(2028, 2, 1), date(2028, 2, 28)) == MonthSplit(
        None, ((date(2028, 2, 1), date(2028, 2, 28)),)
    )


def test_a_period_starting_on_a_month_end_keeps_that_one_day():
    assert split_into_months(date(2026, 12, 31), date(2027, 1, 31)) == MonthSplit(
        (date(2027, 1, 1), date(2027, 1, 1)), ((date(2026, 12, 31), date(2026, 12, 31)),)
    )


def test_a_single_day_is_an_edge():
    assert split_into_months(date(2027, 5, 5), date(2027, 5, 5)) == MonthSplit(
        None, ((date(2027, 5, 5), date(2027, 5, 5)),)
    )


def test_a_period_may_not_end_before_it_starts():
    with pytest.raises(ValueError, match="ends"):
        split_into_months(date(2027, 5, 5), date(2027, 5, 4))

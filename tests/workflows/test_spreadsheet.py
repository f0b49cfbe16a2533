"""The cells of an imported spreadsheet: dates in every accepted style, money, formulas."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from workflows.dispute import State
from workflows.spreadsheet import (
    CellError,
    excel_serial_day,
    first_duplicates,
    parse_choice,
    parse_count,
    parse_day,
    parse_money,
    parse_yes_no,
    plain_text,
    split_list,
)


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("31/01/2020", date(2020, 1, 31)),
        ("1/2/2020", date(2020, 2, 1)),
        ("2020-01-31", date(2020, 1, 31)),
        ("30 April 2021", date(2021, 4, 30)),
        ("1 Sept 2021", date(2021, 9, 1)),
        ("3rd March 2022", date(2022, 3, 3)),
        ("31 december 2019", date(2019, 12, 31)),
        ("29/02/2020", date(2020, 2, 29)),
        ("2024-02-29", date(2024, 2, 29)),
        ("29 February 2000", date(2000, 2, 29)),
        ("  2019-06-30 ", date(2019, 6, 30)),
        (datetime(2019, 6, 30, 0, 0), date(2019, 6, 30)),
        (date(2019, 6, 30), date(2019, 6, 30)),
        (43646, date(2019, 6, 30)),
        (43646.0, date(2019, 6, 30)),
        ("43646", date(2019, 6, 30)),
        (None, None),
        ("", None),
        ("   ", None),
    ],
)
def test_accepted_dates(cell, expected):
    assert parse_day(cell) == expected


@pytest.mark.parametrize(
    "cell, message",
    [
        ("31/04/2020", "31/04/2020 is not a date: check the day and the month"),
        ("29/02/2019", "29/02/2019 is not a date: check the day and the month"),
        ("2100-02-29", "29/02/2100 is not a date: check the day and the month"),
        ("30 February 2020", "30/02/2020 is not a date: check the day and the month"),
        (
            "31 Smarch 2020",
            "Enter a date, like 31/12/2019, 2019-12-31, 31 December 2019 or an Excel date",
        ),
        ("12/31/2019", "12/31/2019 is not a date: check the day and the month"),
        (
            "2019/12/31",
            "Enter a date, like 31/12/2019, 2019-12-31, 31 December 2019 or an Excel date",
        ),
        ("01/01/1999", "Enter a date from 1 January 2000 to 31 December 2100"),
        (43646.5, "Enter a date without a time of day"),
        (True, "Enter a date, like 31/12/2019, 2019-12-31, 31 December 2019 or an Excel date"),
    ],
)
def test_refused_dates(cell, message):
    with pytest.raises(CellError) as refused:
        parse_day(cell)
    assert refused.value.message == message


def test_excel_serials_around_the_1900_leap_year_bug():
    assert excel_serial_day(1) == date(1900, 1, 1)
    assert excel_serial_day(59) == date(1900, 2, 28)
    # Excel's 29 February 1900 never was: refused rather than guessed.
    with pytest.raises(CellError, match="did not exist"):
        excel_serial_day(60)
    assert excel_serial_day(61) == date(1900, 3, 1)
    assert excel_serial_day(36526) == date(2000, 1, 1)
    assert excel_serial_day(43890) == date(2020, 2, 29)
    assert excel_serial_day(43891) == date(2020, 3, 1)
    with pytest.raises(CellError):
        excel_serial_day(0)


def test_month_ends_read_in_every_style():
    for month, last in [(1, 31), (2, 28), (4, 30), (6, 30), (9, 30), (11, 30), (12, 31)]:
        assert parse_day(f"{last}/{month:02d}/2023") == date(2023, month, last)
        assert parse_day(f"2023-{month:02d}-{last}") == date(2023, month, last)


@pytest.mark.parametrize(
    "cell, pounds",
    [
        ("£18,000", 18000),
        ("18000", 18000),
        (" £1,250,000 ", 1250000),
        (18000, 18000),
        (18000.0, 18000),
        ("18,000.00", 18000),
        ("", None),
        (None, None),
    ],
)
def test_money(cell, pounds):
    assert parse_money(cell) == pounds


@pytest.mark.parametrize(
    "cell, message",
    [
        ("18k", "Enter the amount in whole pounds, like 18,000"),
        ("£18.50", "Enter the amount in whole pounds, without pence"),
        (18.5, "Enter the amount in whole pounds, without pence"),
        ("-£5", "Enter the amount from £0 to £10,000,000,000"),
    ],
)
def test_refused_money(cell, message):
    with pytest.raises(CellError) as refused:
        parse_money(cell)
    assert refused.value.message == message


def test_counts_take_no_pound_sign():
    assert parse_count("1,200") == 1200
    with pytest.raises(CellError, match="without a £ sign"):
        parse_count("£12")


@pytest.mark.parametrize("cell", ["1.5", "2.00", "-3", "six"])
def test_a_count_is_a_whole_number_and_says_so(cell):
    with pytest.raises(CellError) as refused:
        parse_count(cell)
    assert refused.value.message == (
        "Enter the number as a whole number, like 45000, or leave it blank"
    )


def test_a_count_cell_from_a_workbook_is_read_as_its_number():
    assert parse_count(6.0) == 6 and parse_count(460) == 460 and parse_count(None) is None


@pytest.mark.parametrize("cell", ["=SUM(A1:A3)", "+44 121", "-2+3", "@cmd", " =1+1"])
def test_formulas_are_refused_as_text(cell):
    with pytest.raises(CellError, match="Formulas are not imported"):
        plain_text(cell, 200)


def test_text_is_trimmed_and_bounded():
    assert plain_text("  Youth grant  ", 200) == "Youth grant"
    assert plain_text(12.0, 20) == "12"
    with pytest.raises(CellError, match="at most 5 characters"):
        plain_text("Too long", 5)


def test_choices_by_value_or_label():
    assert parse_choice("resolved", State) is State.RESOLVED
    assert parse_choice("Local conciliation", State) is State.LOCAL_CONCILIATION
    assert parse_choice("REGIONAL-MEDIATION", State) is State.REGIONAL_MEDIATION
    assert parse_choice("", State, required=False) is None
    with pytest.raises(CellError, match="“closed” is not one of: raised, local_conciliation"):
        parse_choice("closed", State)


def test_yes_no_lists_and_duplicates():
    assert parse_yes_no("Yes", False) is True
    assert parse_yes_no("", True) is True
    with pytest.raises(CellError, match="Enter yes or no"):
        parse_yes_no("maybe", True)
    assert split_list(" funding; ;consultation ") == ["funding", "consultation"]
    assert first_duplicates([(2, "A-1"), (3, "B"), (4, "a-1"), (5, "B")]) == {4: 2, 5: 3}

"""The one money rule every form reads sums by, and the count rule for outcome figures."""

from __future__ import annotations

import pytest

from workflows.money import MAX_FIGURE, FigureError, parse_count, parse_pounds

WORDS = "the money at stake"


@pytest.mark.parametrize(
    ("typed", "pounds"),
    [
        ("£18,000", 18000),
        ("18,000", 18000),
        ("18000", 18000),
        (" £18,000 ", 18000),
        ("£ 18,000", 18000),
        ("0", 0),
        ("£1,234,567", 1234567),
        ("18,000.00", 18000),
        ("£18000.0", 18000),
        (f"{MAX_FIGURE:,}", MAX_FIGURE),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_amounts_typed_the_ways_people_type_them_are_read(typed, pounds):
    assert parse_pounds(typed, WORDS) == pounds


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("18k", "Enter the money at stake in whole pounds, like 18,000"),
        ("eighteen thousand", "Enter the money at stake in whole pounds, like 18,000"),
        ("1,80,000", "Enter the money at stake in whole pounds, like 18,000"),
        ("18,0000", "Enter the money at stake in whole pounds, like 18,000"),
        ("1e5", "Enter the money at stake in whole pounds, like 18,000"),
        ("£", "Enter the money at stake in whole pounds, like 18,000"),
        ("²", "Enter the money at stake in whole pounds, like 18,000"),
        ("١٨٠٠٠", "Enter the money at stake in whole pounds, like 18,000"),
        ("18.", "Enter the money at stake in whole pounds, like 18,000"),
        ("18.50", "Enter the money at stake in whole pounds, without pence"),
        ("£18,000.01", "Enter the money at stake in whole pounds, without pence"),
        ("-5", "Enter the money at stake from £0 to £10,000,000,000"),
        ("£-5", "Enter the money at stake from £0 to £10,000,000,000"),
        ("-£5", "Enter the money at stake from £0 to £10,000,000,000"),
        (str(MAX_FIGURE + 1), "Enter the money at stake from £0 to £10,000,000,000"),
        ("9" * 5000, "Enter the money at stake from £0 to £10,000,000,000"),
    ],
)
def test_what_cannot_be_taken_as_whole_pounds_says_how_to_put_it_right(typed, message):
    with pytest.raises(FigureError) as refused:
        parse_pounds(typed, WORDS)
    assert refused.value.message == message


@pytest.mark.parametrize(("typed", "count"), [("3", 3), ("1,200", 1200), (" 0 ", 0), ("", None)])
def test_counts_are_whole_numbers_with_thousands_grouped_or_not(typed, count):
    assert parse_count(typed, "jobs safeguarded") == count


@pytest.mark.parametrize("typed", ["£3", "1.5", "-1", "three", "3 jobs"])
def test_a_count_is_not_money_nor_a_fraction(typed):
    with pytest.raises(FigureError, match=r"^Enter jobs safeguarded as a whole number"):
        parse_count(typed, "jobs safeguarded")


def test_a_count_beyond_the_bound_is_refused():
    with pytest.raises(FigureError, match="no more than 10,000,000,000"):
        parse_count(str(MAX_FIGURE + 1), "jobs safeguarded")

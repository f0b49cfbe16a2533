"""The values of an imported spreadsheet's cells, read by one set of rules: dates in the styles
people keep them in, money as typed, lists, yes or no, and the cells that must be refused
(formulas) rather than taken at their word.

Every function takes a cell's value as the file gave it (text from a CSV; text, a number or a
date from an XLSX) and returns a plain value, or raises CellError with the sentence a person
reads beside the row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TypeVar

from .money import FigureError, parse_pounds
from .money import parse_count as money_count
from .periods import MAX_DATE, MIN_DATE, format_date

E = TypeVar("E", bound=Enum)

DATE_FORMATS = "31/12/2019, 2019-12-31, 31 December 2019 or an Excel date"

# Excel counts days from 1 January 1900 as day 1 and, like Lotus 1-2-3 before it, believes
# 1900 was a leap year: serial 60 is the 29 February 1900 that never was. From serial 61
# (1 March 1900) on, day 0 is 30 December 1899.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_PHANTOM_LEAP_DAY = 60

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_WORDS = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)? ([A-Za-z]+),? ([0-9]{4})")
_SERIAL = re.compile(r"[0-9]{1,6}(?:\.0+)?")

# What a spreadsheet program would run as a formula if the cell were opened there.
FORMULA_STARTS = ("=", "+", "-", "@")


class CellError(ValueError):
    """A cell that cannot be taken as it is; the message says how to put it right."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def text(value: object) -> str:
    """A cell as text, trimmed; numbers without a needless ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def plain_text(value: object, max_length: int) -> str:
    """A text cell, refused if it would run as a formula in a spreadsheet or is too long."""
    found = text(value)
    if found.startswith(FORMULA_STARTS):
        raise CellError(
            "Formulas are not imported: enter the value itself, without a leading "
            + " ".join(FORMULA_STARTS)
        )
    if len(found) > max_length:
        raise CellError(f"Enter at most {max_length:,} characters")
    return found


def excel_serial_day(serial: int) -> date:
    """The day an Excel serial number stands for (1900 date system)."""
    if serial == _EXCEL_PHANTOM_LEAP_DAY:
        raise CellError("Excel's day 60 is 29 February 1900, which did not exist")
    if serial < 1:
        raise CellError("Enter a date, like " + DATE_FORMATS)
    offset = serial if serial > _EXCEL_PHANTOM_LEAP_DAY else serial + 1
    return _EXCEL_EPOCH + timedelta(days=offset)


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            f"{day:02d}/{month:02d}/{year} is not a date: check the day and the month"
        ) from None


def parse_day(value: object) -> date | None:
    """The date in a cell, or None when it is blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, bool):
        raise CellError("Enter a date, like " + DATE_FORMATS)
    elif isinstance(value, int | float):
        if not float(value).is_integer():
            raise CellError("Enter a date without a time of day")
        found = excel_serial_day(int(value))
    else:
        found = _parse_day_text(str(value).strip())
    if not MIN_DATE <= found <= MAX_DATE:
        raise CellError(f"Enter a date from {format_date(MIN_DATE)} to {format_date(MAX_DATE)}")
    return found


def _parse_day_text(cell: str) -> date:
    if match := _DMY.fullmatch(cell):
        day, month, year = (int(part) for part in match.groups())
        return _day(year, month, day)
    if match := _ISO.fullmatch(cell):
        year, month, day = (int(part) for part in match.groups())
        return _day(year, month, day)
    if match := _WORDS.fullmatch(" ".join(cell.split())):
        month = _MONTHS.get(match.group(2).lower())
        if month is not None:
            return _day(int(match.group(3)), month, int(match.group(1)))
    if _SERIAL.fullmatch(cell):
        return excel_serial_day(int(float(cell)))
    raise CellError("Enter a date, like " + DATE_FORMATS)


def parse_money(value: object) -> int | None:
    """Whole pounds, as `workflows.money` reads them ("£18,000"); None when blank."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise CellError("Enter the amount in whole pounds, without pence")
        value = str(int(value))
    try:
        return parse_pounds(text(value))
    except FigureError as error:
        raise CellError(error.message) from None


def parse_count(value: object) -> int | None:
    """A whole number from 0 (jobs, days, people), as `workflows.money` reads counts typed in
    a form; None when blank."""
    if text(value).startswith("£"):
        raise CellError("Enter a whole number, without a £ sign")
    try:
        return money_count(text(value), "the number")
    except FigureError as error:
        raise CellError(error.message) from None


def parse_choice(value: object, choices: type[E], required: bool = True) -> E | None:
    """One of an enum's members, by its value or its label, in any case."""
    found = text(value)
    if not found:
        if required:
            raise CellError("Enter one of: " + ", ".join(str(m.value) for m in choices))
        return None
    wanted = found.casefold().replace("-", "_").replace(" ", "_")
    for member in choices:
        label = getattr(member, "label", str(member.value))
        if wanted in (str(member.value).casefold(), label.casefold().replace(" ", "_")):
            return member
    raise CellError(f"“{found}” is not one of: " + ", ".join(str(m.value) for m in choices))


def parse_yes_no(value: object, default: bool) -> bool:
    found = text(value).casefold()
    if not found:
        return default
    if found in ("yes", "y", "true", "1"):
        return True
    if found in ("no", "n", "false", "0"):
        return False
    raise CellError("Enter yes or no")


def split_list(value: object) -> list[str]:
    """The items of a list cell separated by ";", trimmed, blanks dropped."""
    return [item.strip() for item in text(value).split(";") if item.strip()]


def first_duplicates(references: Iterable[tuple[int, str]]) -> dict[int, int]:
    """For each (row, reference) whose reference came earlier, the earlier row's number."""
    seen: dict[str, int] = {}
    repeats: dict[int, int] = {}
    for row, reference in references:
        key = reference.casefold()
        if key in seen:
            repeats[row] = seen[key]
        else:
            seen[key] = row
    return repeats

"""Sums of money and counts as people type them: the one rule every form reads figures by.

"£18,000", "18,000", "18000" and " £18,000 " are all eighteen thousand pounds. Amounts are
whole pounds: "18,000.00" is read, "18.50" is refused with a sentence saying why, and so is
anything that is not a number ("18k"), below zero or above MAX_FIGURE. Commas must group
thousands ("1,80,000" is a typing slip, not a number). The API takes JSON numbers only; this is
for text typed into a form.
"""

from __future__ import annotations

import re

# The largest figure a case, notice or outcome may carry: far beyond any real dispute, small
# enough for SQL's BIGINT. Every form, the API schemas and the columns' CHECKs use it.
MAX_FIGURE = 10_000_000_000

_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+")
_PLAIN = re.compile(r"[0-9]+")
_PENCE = re.compile(r"\.[0-9]+")


class FigureError(ValueError):
    """What was typed is not a figure the form can take; the message says how to put it right."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _whole(digits: str) -> int | None:
    """`digits` as a number when it is one, written plainly or grouped in thousands."""
    if not (_PLAIN.fullmatch(digits) or _GROUPED.fullmatch(digits)):
        return None
    plain = digits.replace(",", "")
    # Compared as text first: int() refuses strings of more than a few thousand digits.
    if len(plain.lstrip("0")) > len(str(MAX_FIGURE)):
        return MAX_FIGURE + 1
    return int(plain)


def parse_pounds(text: str | None, words: str = "the amount") -> int | None:
    """The whole pounds typed in `text`, or None when it was left blank; FigureError (with a
    message naming `words`, e.g. "the money at stake") when it cannot be taken as typed."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    negative = cleaned.startswith("-")
    cleaned = cleaned.removeprefix("-").strip().removeprefix("£").strip()
    if not negative and cleaned.startswith("-"):
        negative, cleaned = True, cleaned.removeprefix("-").strip()
    pounds, point, pence = cleaned.partition(".")
    if point and not _PENCE.fullmatch(point + pence):
        pounds = cleaned  # not a decimal: read as a whole and refused below
    elif point and pence.strip("0"):
        raise FigureError(f"Enter {words} in whole pounds, without pence")
    value = _whole(pounds)
    if value is None:
        raise FigureError(f"Enter {words} in whole pounds, like 18,000")
    if negative or value > MAX_FIGURE:
        raise FigureError(f"Enter {words} from £0 to £{MAX_FIGURE:,}")
    return value


def parse_count(text: str | None, words: str) -> int | None:
    """A count typed in `text` (jobs, days, people): a whole number from 0, commas grouping
    thousands allowed; None when left blank, FigureError naming `words` otherwise."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    value = _whole(cleaned)
    if value is None:
        raise FigureError(f"Enter {words} as a whole number, like 45000, or leave it blank")
    if value > MAX_FIGURE:
        raise FigureError(f"Enter {words} of no more than {MAX_FIGURE:,}")
    return value

"""Bounded numbers from URLs: row ids in paths and page numbers in query strings, checked
before they reach SQL so that an out-of-range value answers 404 or 400, never 500."""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map

# The databases' INTEGER id columns hold up to 2³¹ − 1; PostgreSQL refuses a larger bound
# parameter and SQLite one beyond 2⁶³ − 1, both as a server error.
MAX_ID = 2_147_483_647
# Far beyond the last page of any list here (a million rows at 25 a page is 40,000 pages).
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """`<int:name>` in this app: a row id from 1 to MAX_ID, ASCII digits only. Anything else
    matches no route, so the answer is 404 before a query is made."""

    regex = r"[0-9]+"

    def __init__(self, map: Map, min: int = 1, max: int = MAX_ID) -> None:
        super().__init__(map, min=min, max=max)


def page_arg(name: str = "page") -> int:
    """The page number asked for in the query string: the first page when it is missing or not
    a whole number of at least 1, and 400 when it is beyond MAX_PAGE."""
    raw = request.args.get(name, "").strip()
    if not raw.isascii() or not raw.isdigit():
        return 1
    # Cheap on any length, unlike int() of a long string of digits.
    if len(raw.lstrip("0")) > len(str(MAX_PAGE)) or int(raw) > MAX_PAGE:
        abort(400, f"There are no pages beyond page {MAX_PAGE:,}.")
    return max(int(raw), 1)

"""CSV downloads: the one writer every download uses, safe to open in a spreadsheet.

A spreadsheet treats a cell starting with =, +, - or @ as a formula, and some also one
starting with a tab or carriage return. Following OWASP's advice on CSV injection, such a
text cell goes out with a single quote in front, which spreadsheets show as text; nothing is
stripped, so what was typed is all still there. Numbers are numbers and go out as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a CSV cell: empty for None, quoted against formulas if text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(columns: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text, header row first, in pieces of 500 rows as the rows arrive."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(column) for column in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(value) for value in row])
        if count % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def csv_response(
    filename: str, columns: Iterable[str], rows: Iterable[Iterable[object]]
) -> Response:
    """A CSV download written row by row as the rows arrive, UTF-8 with a header row."""
    return Response(
        stream_with_context(csv_lines(columns, rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Type": "text/csv; charset=utf-8",
            "Cache-Control": "no-store",
        },
    )


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text

"""Downloads: the one CSV writer every CSV download uses, safe to open in a spreadsheet, and
the one answer that serves a stored file as an attachment under its original name.

A spreadsheet treats a cell starting with =, +, - or @ as a formula, and some also one
starting with a tab or carriage return. Following OWASP's advice on CSV injection, such a
text cell goes out with a single quote in front, which spreadsheets show as text; nothing is
stripped, so what was typed is all still there. Numbers are numbers and go out as they are.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from urllib.parse import quote

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value as a CSV cell: empty for None, quoted against formulas if text."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(
    columns: Iterable[str],
    rows: Iterable[Iterable[object]],
    text_columns: Collection[int] | None = None,
) -> Iterator[str]:
    """The CSV text, header row first, in pieces of 500 rows as the rows arrive.

    Every text cell is made safe unless `text_columns` names the only columns that can hold
    text someone typed (the others being numbers, dates and the service's own words), when
    just those are looked at. None is written as an empty cell.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(column) for column in columns])
    safe = iter(_safe_rows(rows, text_columns))
    while batch := list(islice(safe, 500)):
        writer.writerows(batch)
        yield _drain(buffer)
    yield _drain(buffer)


def _safe_rows(
    rows: Iterable[Iterable[object]], text_columns: Collection[int] | None
) -> Iterator[Iterable[object]]:
    if text_columns is None:
        for row in rows:
            yield [safe_cell(value) for value in row]
        return
    checked = tuple(text_columns)
    for row in rows:
        row = list(row)
        for i in checked:
            value = row[i]
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                row[i] = "'" + value
        yield row


def csv_response(
    filename: str,
    columns: Iterable[str],
    rows: Iterable[Iterable[object]],
    text_columns: Collection[int] | None = None,
) -> Response:
    """A CSV download written row by row as the rows arrive, UTF-8 with a header row (see
    `csv_lines` for `text_columns`)."""
    return Response(
        stream_with_context(csv_lines(columns, rows, text_columns)),
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


def attachment(filename: str) -> str:
    """A Content-Disposition that saves the file under `filename`: RFC 6266 with the name in
    full, UTF-8 percent-encoded (RFC 5987 `filename*`), and a plain ASCII fallback for
    clients that read only `filename`. Quotes, backslashes, control characters and folder
    separators never reach the header."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", ascii_name).strip(" ._") or "document"
    encoded = quote(filename, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{encoded}"


def file_response(data: bytes, filename: str, content_type: str) -> Response:
    """A stored file as a download: never shown in the browser, never sniffed as another
    type, kept by no shared cache."""
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = attachment(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

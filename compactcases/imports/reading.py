"""A CSV or XLSX file read into rows of cells keyed by the known headers, or a FileProblem
saying what is wrong with the file as a whole (its encoding, its headers, its size)."""

from __future__ import annotations

import csv
import difflib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl

# A file bigger than this is refused before it is read; rows beyond MAX_ROWS likewise.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
FORMULA = object()  # an XLSX formula cell: refused, never evaluated


class FileProblem(Exception):
    """What is wrong with the file as a whole; nothing of it is imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """The rows of a file: for each, its row number as a spreadsheet shows it (the header is
    row 1) and its cells by header."""

    rows: list[tuple[int, dict[str, object]]]


def read_sheet(filename: str, content: bytes, headers: Sequence[str], required: set[str]) -> Sheet:
    """The rows of `content`, a CSV or XLSX file, under `headers`; FileProblem otherwise."""
    if not content.strip():
        raise FileProblem("The file is empty")
    if len(content) > MAX_BYTES:
        raise FileProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    if content.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(content)
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem("The file is not an Excel workbook (.xlsx) that can be read")
    else:
        table = _csv_rows(content)
    rows = iter(table)
    header_row = next(rows, None)
    if header_row is None or not any(_cell(c) for c in header_row):
        raise FileProblem("The file is empty")
    columns = _match_headers([_cell(c) for c in header_row], headers, required)
    found: list[tuple[int, dict[str, object]]] = []
    for number, row in enumerate(rows, start=2):
        if not any(_cell(c) for c in row):
            continue
        if len(found) == MAX_ROWS:
            raise FileProblem(
                f"The file has more than {MAX_ROWS:,} rows: split it into files of at most "
                f"{MAX_ROWS:,} rows"
            )
        cells = {name: row[i] if i < len(row) else None for i, name in columns.items()}
        found.append((number, cells))
    if not found:
        raise FileProblem("The file has headers but no rows")
    return Sheet(found)


def _cell(value: object) -> str:
    return "" if value is None or value is FORMULA else str(value).strip()


def decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or Windows-1252 text; FileProblem for
    anything else, such as binary junk."""
    if b"\x00" in content[:4096]:
        raise FileProblem("The file is not a CSV or XLSX file: it holds binary data")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        found = content.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(
            "The file's characters could not be read: save it as CSV UTF-8 or as an Excel "
            "workbook (.xlsx)"
        ) from None
    controls = sum(1 for ch in found if ord(ch) < 32 and ch not in "\r\n\t")
    if controls:
        raise FileProblem("The file is not a CSV or XLSX file: it holds binary data")
    return found


def _csv_rows(content: bytes) -> list[list[object]]:
    text = decode(content)
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise FileProblem(f"The file could not be read as CSV: {error}") from None


def _xlsx_rows(content: bytes) -> list[list[object]]:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise FileProblem("The file is not an Excel workbook (.xlsx) that can be read") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows():
            rows.append([FORMULA if c.data_type == "f" else c.value for c in row])
            if len(rows) > MAX_ROWS + 2:
                break
        return rows
    except Exception as error:  # a damaged workbook fails in many ways inside openpyxl
        raise FileProblem(f"The workbook could not be read: {type(error).__name__}") from None
    finally:
        book.close()


def _normal(header: str) -> str:
    return "_".join(header.casefold().replace("-", " ").split())


def _match_headers(found: list[str], headers: Sequence[str], required: set[str]) -> dict[int, str]:
    """Column index -> known header; FileProblem naming every unknown header (with the
    nearest known one) and every required one missing."""
    columns: dict[int, str] = {}
    unknown: list[str] = []
    for index, header in enumerate(found):
        if not header:
            continue
        name = _normal(header)
        if name in headers and name not in columns.values():
            columns[index] = name
        elif name in headers:
            unknown.append(f"“{header}” appears twice")
        else:
            near = difflib.get_close_matches(name, headers, n=1, cutoff=0.6)
            hint = f" (did you mean “{near[0]}”?)" if near else ""
            unknown.append(f"“{header}” is not a known column{hint}")
    missing = [h for h in headers if h in required and h not in columns.values()]
    problems = unknown + [f"the column “{h}” is missing" for h in missing]
    if problems:
        sentence = "; ".join(problems)
        raise FileProblem(sentence[:1].upper() + sentence[1:])
    return columns

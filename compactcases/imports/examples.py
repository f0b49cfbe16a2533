"""The downloadable templates of each kind of import: the exact headers and an example row,
as CSV (UTF-8 with a byte-order mark, which Excel needs to read it right) or XLSX."""

from __future__ import annotations

import csv
import io

import openpyxl

from ..models import ImportKind
from .columns import COLUMNS


def template_csv(kind: ImportKind) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.name for c in COLUMNS[kind]])
    writer.writerow([c.example for c in COLUMNS[kind]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: ImportKind) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = kind.label[:31]
    sheet.append([c.name for c in COLUMNS[kind]])
    # Every example as text: a date typed as text is read as the import reads it.
    sheet.append([c.example for c in COLUMNS[kind]])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(14, len(column[0].value) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

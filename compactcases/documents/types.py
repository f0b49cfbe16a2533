"""What a file is, judged by its content and never by its name.

Binary kinds are recognised by their signature (`filetype`); the zip-based office formats by
their inner parts; an Outlook message as an OLE compound file holding MAPI property streams;
text kinds by being clean UTF-8 text with no markup a browser would run. Each kind lists the
name endings it may be uploaded with, so a PDF named `.docx` is refused rather than stored
under a name that would not open.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass

import filetype


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    endings: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
DOCX = Kind(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = Kind(
    "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
ODT = Kind("OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = Kind("OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
PNG = Kind("PNG image", "image/png", (".png",))
JPEG = Kind("JPEG image", "image/jpeg", (".jpg", ".jpeg"))
TXT = Kind("text file", "text/plain", (".txt", ".text"))
CSV = Kind("CSV file", "text/csv", (".csv",))
EML = Kind("e-mail message", "message/rfc822", (".eml",))
MSG = Kind("Outlook message", "application/vnd.ms-outlook", (".msg",))

KINDS = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT, CSV, EML, MSG)
ALLOWED_LIST = "PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, TXT, CSV, EML or MSG"

_SIGNATURES = {"application/pdf": PDF, "image/png": PNG, "image/jpeg": JPEG}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Outlook message's streams are named __substg1.0_<property>, in UTF-16 in the directory.
_MSG_STREAM = "__substg1.0_".encode("utf-16-le")
_OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}
# Markup a browser would render or run, should the text ever be opened as a page.
_MARKUP = re.compile(
    rb"<\s*(!doctype|html|head|body|script|iframe|object|embed|svg|meta|link|style|form|img)"
    rb"|javascript:|<\?xml",
    re.IGNORECASE,
)
_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]?\S")
_MAIL_HEADERS = {"from", "to", "subject", "date", "message-id", "mime-version"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def judge(data: bytes, filename: str = "") -> Kind | None:
    """The kind of file `data` is, or None when it is none of the kinds allowed."""
    guess = filetype.guess(data)
    mime = guess.mime if guess else None
    if mime in _SIGNATURES:
        return _SIGNATURES[mime]
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    if data.startswith(_OLE):
        return MSG if _MSG_STREAM in data else None
    if mime is not None:
        return None
    return _text(data, filename)


def _zipped(data: bytes) -> Kind | None:
    """Word, Excel and OpenDocument files are zip archives told apart by what they hold."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > 200:
                    return None
                return _OPENDOCUMENT.get(archive.read("mimetype").strip())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _text(data: bytes, filename: str) -> Kind | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if not text.strip() or _CONTROL.search(text):
        return None
    if _is_email(text):
        return EML
    if _MARKUP.search(data):
        return None
    if filename.lower().endswith(".csv") and _is_csv(text):
        return CSV
    return TXT


def _is_email(text: str) -> bool:
    """An e-mail starts with header lines up to a blank line, among them From and another."""
    head = re.split(r"\r?\n\r?\n", text, maxsplit=1)[0]
    lines = head.splitlines()
    if not lines or not _HEADER.match(lines[0]):
        return False
    names = set()
    for line in lines:
        if line[:1] in (" ", "\t"):
            continue
        if not _HEADER.match(line):
            return False
        names.add(line.split(":", 1)[0].lower())
    return "from" in names and len(names & _MAIL_HEADERS) >= 2


def _is_csv(text: str) -> bool:
    """Comma-separated rows, every one with the same number of fields (more than one)."""
    try:
        widths = {len(row) for row in csv.reader(io.StringIO(text)) if row}
    except csv.Error:
        return False
    return len(widths) == 1 and widths.pop() > 1


def name_fits(kind: Kind, filename: str) -> bool:
    return filename.lower().endswith(kind.endings)

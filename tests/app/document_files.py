"""Files of every kind a document may be, and some that must be refused, built in code."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import docx
import openpyxl

from compactcases.demo.papers import letter_pdf


def pdf(text: str = "Notice of the end of the youth work grant") -> bytes:
    return letter_pdf([text])


def docx_file(text: str = "Response to the council") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Grant"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def opendocument(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)


def msg() -> bytes:
    """The start of an OLE compound file whose directory names Outlook's property streams."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + "__substg1.0_0037001F".encode("utf-16-le") + bytes(64)


def eml() -> bytes:
    return (
        b"From: Sam Patel <sam@sparkbrook.example>\r\n"
        b"To: grants@birmingham.example\r\n"
        b"Subject: Youth work grant\r\n"
        b"Date: Mon, 5 Oct 2026 09:00:00 +0100\r\n"
        b"\r\n"
        b"We ask the council to reconsider.\r\n"
    )


def exe() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(200) + b"PE\x00\x00"
    )


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"

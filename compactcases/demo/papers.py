"""Papers for the demo cases: a funder's letter as a small one-page PDF written here, byte by
byte (no PDF library needed), and an organisation's reply as plain text."""

from __future__ import annotations

import sqlalchemy as sa

from workflows.dispute import State

from ..documents import services
from ..extensions import db
from ..models import Case, Document
from .reference import Reference


def _escaped(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def letter_pdf(lines: list[str]) -> bytes:
    """A valid one-page A4 PDF showing `lines` (Latin-1 text) in Helvetica."""
    text = "\n".join(f"({_escaped(line)}) Tj T*" for line in lines)
    stream = f"BT /F1 11 Tf 14 TL 72 770 Td\n{text}\nET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def add_papers(ref: Reference) -> int:
    """Put the funder's letter, the organisation's reply and the officer's call notes on one
    Birmingham case in local conciliation with the demo funder, once per database; returns
    how many documents were added."""
    # Letters generated on demo cases are documents too: look for these papers themselves.
    added = sa.select(Document.id).where(Document.filename == "Call notes.txt").limit(1)
    if db.session.scalar(added) is not None:
        return 0
    funder = ref.users.get("funder.bcc@example.org")
    officer = ref.officer("BIR")
    case = db.session.scalar(
        sa.select(Case)
        .where(
            Case.compact_id == ref.compacts["BIR"].id,
            Case.state == State.LOCAL_CONCILIATION,
            Case.funder_id == (funder.organisation_id if funder else None),
        )
        .order_by(Case.raised_on, Case.id)
        .limit(1)
    )
    if case is None or officer is None:
        return 0
    papers = [
        (f"{case.funder.name} letter to {case.third_sector.name}.pdf", _letter(case), "parties"),
        (f"{case.third_sector.name} response.txt", _response(case), "parties"),
        ("Call notes.txt", _call_notes(case), "private"),
    ]
    for filename, data, visibility in papers:
        services.add_document(
            owner=case, filename=filename, data=data, visibility=visibility, actor=officer
        )
    db.session.commit()
    return len(papers)


def _letter(case: Case) -> bytes:
    return letter_pdf(
        [
            case.funder.name,
            "",
            f"To: {case.third_sector.name}",
            "",
            "Dear colleagues,",
            "",
            "We write to tell you that the council has decided to change the funding",
            "your organisation receives. The details and the date it takes effect are",
            "set out below, and we would welcome your views.",
            "",
            case.title,
            "",
            "Yours faithfully,",
            "Grants and Commissioning Team",
        ]
    )


def _response(case: Case) -> bytes:
    return (
        f"{case.third_sector.name}: response to {case.funder.name}\n\n"
        "We received the council's letter about our funding. Under the local Compact the\n"
        "council should give at least three months' written notice, with reasons, before\n"
        "reducing or ending funding. We ask that the notice period is honoured and that any\n"
        "reduction is phased so that the service can continue for the people who rely on it.\n"
    ).encode()


def _call_notes(case: Case) -> bytes:
    return (
        f"{case.reference}: notes of a call with {case.third_sector.name}\n\n"
        "The chair would accept a phased reduction if notice runs to the end of the quarter.\n"
        "Not to be shared with the council before the conciliation meeting.\n"
    ).encode()

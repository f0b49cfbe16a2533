"""Make the default letter templates shipped with the app, one `.docx` for each kind of letter.

    .venv/bin/python scripts/make_letter_templates.py

writes them to compactcases/letters/templates/. Edit the wording here and run it again; the
fields a template may use are listed in compactcases/letters/fields.py.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import docx
from docx.document import Document
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "compactcases" / "letters" / "templates"

LETTERHEAD = "{{ compact.name }} Compact"
SIGN_OFF = ["Yours sincerely,", "{{ sender.name }}", "{{ compact.name }} Compact"]


def _addressed(to: str) -> list[str]:
    """The recipient's name and address, the date and the reference."""
    return [
        "{{ " + to + ".name }}",
        "{{ " + to + ".address }}",
        "{{ today }}",
        "Our reference: {{ reference }}",
    ]


BOTH = ["Dear {{ organisation.name }} and {{ funder.name }},"]

LETTERS: dict[str, tuple[list[str], str, list[str]]] = {
    "acknowledgement": (
        [
            "To: {{ organisation.name }}",
            "{{ organisation.address }}",
            "and to: {{ funder.name }}",
            "{{ funder.address }}",
            "{{ today }}",
            "Our reference: {{ reference }}",
        ],
        "Your dispute under the {{ compact.name }} Compact: {{ title }}",
        [
            *BOTH,
            "We acknowledge the dispute raised on {{ raised_on }} between "
            "{{ organisation.name }} and {{ funder.name }}, which we have recorded as case "
            "{{ reference }}.",
            "{{ officer.name }}, Compact officer, will look after the case and contact you both "
            "to arrange local conciliation. If local conciliation cannot settle it, the case may "
            "go to a regional mediator.",
            "Please quote {{ reference }} in all correspondence.",
        ],
    ),
    "invitation": (
        _addressed("organisation"),
        "Invitation to a conciliation meeting: {{ reference }}",
        [
            *BOTH,
            "I invite you to a conciliation meeting about case {{ reference }}, "
            "“{{ title }}”, on {{ meeting.date }} at {{ meeting.time }}, at "
            "{{ meeting.place }}.",
            "The aim is to agree a way forward that both parties can accept. Please bring any "
            "papers you wish to rely on, and let me know who will attend.",
            "Local conciliation is due to conclude by {{ conclude_by }}.",
        ],
    ),
    "escalation": (
        _addressed("organisation"),
        "Your dispute goes to regional mediation: {{ reference }}",
        [
            *BOTH,
            "Case {{ reference }}, “{{ title }}”, went to regional mediation on "
            "{{ escalated_on }}.",
            "A regional mediator will contact you both. Mediation is due to conclude by "
            "{{ conclude_by }}.",
        ],
    ),
    "outcome": (
        _addressed("organisation"),
        "Outcome of your dispute: {{ reference }}",
        [
            *BOTH,
            "Case {{ reference }}, “{{ title }}”, was resolved on {{ closed_on }} at "
            "{{ outcome.level }}.",
            "Outcome: {{ outcome.type }}.",
            "Agreed actions: {{ outcome.agreed_actions }}",
            "Thank you both for taking part.",
        ],
    ),
    "breach": (
        _addressed("funder"),
        "Notice not given as the {{ compact.name }} Compact requires: {{ reference }}",
        [
            "Dear {{ funder.name }},",
            "Your notice “{{ breach.notice }}”, given on {{ breach.notice_given_on }}, did not "
            "meet the {{ compact.name }} Compact, which requires {{ breach.required_period }} "
            "of written notice.",
            "{% for sentence in breach.sentences %}{{ sentence }} {% endfor %}",
            "The earliest date from which the change could have taken effect was "
            "{{ breach.earliest_compliant_on }}. We ask you to review the decision with "
            "{{ organisation.name }} and reply to me by {{ conclude_by }}.",
        ],
    ),
}


def build(kind: str) -> Document:
    """The template for `kind` as a python-docx document."""
    heading_lines, subject, body = LETTERS[kind]
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.sections[0].header.paragraphs[0].text = LETTERHEAD
    for line in heading_lines:
        document.add_paragraph(line)
    document.add_paragraph().add_run(subject).bold = True
    for line in [*body, *SIGN_OFF]:
        document.add_paragraph(line)
    properties = document.core_properties
    properties.title = subject
    properties.author = "Compact Cases"
    properties.created = properties.modified = datetime(2026, 1, 1)
    properties.revision = 1
    return document


def main(out: Path = OUT) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for kind in LETTERS:
        build(kind).save(out / f"{kind}.docx")
        print(out / f"{kind}.docx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

"""The fields a letter template may use: their names, what each holds, and a sample value.

This list is the contract with whoever writes a template: the fields page and the README show
it, an uploaded template is checked by rendering it against the samples, and a letter for a
case fills exactly these names (`tests/app/test_letters.py` holds the two to the same set).
Dates are written in words ("3 March 2026"); a value a case does not have is an empty text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str  # as written in a template, e.g. "funder.name"
    description: str
    sample: str | list[str] | list[dict[str, str]]


def _party(key: str, who: str, name: str, address: list[str]) -> tuple[Field, ...]:
    return (
        Field(f"{key}.name", f"The {who}'s name", name),
        Field(
            f"{key}.address",
            f"The {who}'s postal address, one line a line (empty if not recorded)",
            "\n".join(address),
        ),
        Field(
            f"{key}.address_lines",
            f"The {who}'s address as a list of lines, for a loop",
            address,
        ),
    )


FIELDS: tuple[Field, ...] = (
    Field("reference", "The case reference", "BIR-2026-0007"),
    Field("title", "The case's title", "Youth centre grant ended with six weeks' notice"),
    Field("today", "The date the letter is written", "3 March 2026"),
    Field("raised_on", "The date the dispute was raised", "16 February 2026"),
    Field("acknowledged_on", "The date the dispute was acknowledged", "18 February 2026"),
    Field("escalated_on", "The date the case went to regional mediation", ""),
    Field("closed_on", "The date the case was resolved or withdrawn", ""),
    Field("state", "Where the case is now", "Local conciliation"),
    Field("raised_by", "Which side raised the dispute", "Third-sector organisation"),
    Field("compact.name", 'The local Compact\'s name ("Birmingham")', "Birmingham"),
    Field("compact.code", "The Compact's short code", "BIR"),
    *_party(
        "funder",
        "statutory funder",
        "Birmingham City Council",
        ["Council House", "Victoria Square", "Birmingham B1 1BB"],
    ),
    *_party(
        "organisation",
        "third-sector organisation",
        "Northfield Youth Trust",
        ["12 Bristol Road South", "Birmingham B31 2NP"],
    ),
    Field("officer.name", "The case's Compact officer", "Priya Shah"),
    Field("officer.email", "The officer's e-mail address", "priya.shah@example.org"),
    Field("mediator.name", "The case's regional mediator", ""),
    Field("sender.name", "The person generating the letter", "Priya Shah"),
    Field(
        "deadlines",
        "The case's open deadlines, each with .label and .due_on, for a loop",
        [{"label": "Conclude local conciliation", "due_on": "17 March 2026"}],
    ),
    Field("acknowledge_by", "When the dispute must be acknowledged", "23 February 2026"),
    Field("conclude_by", "When the current stage must be concluded", "17 March 2026"),
    Field("meeting.date", "The meeting's date (invitation)", "10 March 2026"),
    Field("meeting.time", "The meeting's start time (invitation)", "10:30am"),
    Field("meeting.place", "Where, or the online link (invitation)", "Council House, Room 2"),
    Field("outcome.type", "How the case ended (outcome letter)", "Agreement reached"),
    Field("outcome.level", "The level it was settled at", "Local conciliation"),
    Field("outcome.agreed_actions", "The actions agreed", "The grant continues to 31 March."),
    Field("outcome.withdrawal_reason", "Why the case was withdrawn, if it was", ""),
    Field("breach.notice", "The notice found not compliant (breach letter)", "Youth grant ends"),
    Field("breach.notice_given_on", "The day that notice was given", "1 February 2026"),
    Field("breach.required_period", "The period the Compact requires", "3 calendar months"),
    Field("breach.shortfall_days", "How many days short the notice fell", "47"),
    Field("breach.earliest_compliant_on", "The earliest compliant date", "1 May 2026"),
    Field(
        "breach.sentences",
        "The verdict's sentences, as the notice page shows them, for a loop",
        [
            "Notice was given 1 February 2026 for a change effective 15 March 2026: 42 days, "
            "47 days short of the 3 calendar months required."
        ],
    ),
)

FIELD_NAMES: frozenset[str] = frozenset(f.name for f in FIELDS)


def nest(flat: dict[str, object]) -> dict[str, object]:
    """`{"funder.name": x}` as `{"funder": {"name": x}}`, the shape a template reads."""
    nested: dict[str, object] = {}
    for name, value in flat.items():
        *parents, last = name.split(".")
        level = nested
        for part in parents:
            level = level.setdefault(part, {})
        level[last] = value
    return nested


def sample_context() -> dict[str, object]:
    """Every field with its sample value: what an uploaded template is checked against."""
    return nest({f.name: f.sample for f in FIELDS})

"""The case list download: its columns and one row per case."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from flask import Response

from workflows.dispute import State
from workflows.outcomes import Level, OutcomeType

from ..downloads import csv_response
from ..models import AREA_ORDER, OutcomeKind

CASE_CSV_COLUMNS = (
    "Reference",
    "Title",
    "Compact",
    "Funder",
    "Third-sector organisation",
    "Areas of the Compact",
    "State",
    "Raised on",
    "Closed on",
    "Working days to close",
    "Money at stake (£)",
    "Level reached",
    "Outcome",
    "Funding protected (£)",
    "Jobs safeguarded",
    "Days of notice gained",
    "Service users affected",
    "Case level",
    "Affected Compacts",
    "Parties",
)


# Each area's place in the Compact's order and its label, for a case's comma-separated areas.
_AREAS = {area.value: (place, area.label) for place, area in enumerate(AREA_ORDER)}


_STATES = {state.value: state.label for state in State}
_LEVELS = {level.value: level.label for level in Level}
_OUTCOME_TYPES = {kind.value: kind.label for kind in OutcomeType}
# The columns that hold text someone typed (the rest are numbers, dates and our own labels).
CASE_CSV_TEXT_COLUMNS = (0, 1, 2, 3, 4, 18, 19)
_NO_OUTCOME = ("", None, None, None, None)


def case_csv_rows(cases: Iterable[sa.Row]) -> Iterator[tuple]:
    """The download's row for each case from `cases.search.stream_cases`, in the order of
    `CASE_CSV_COLUMNS`. Dates go to the writer as dates (written as yyyy-mm-dd) and missing
    values as None (written empty)."""
    areas_of, states, levels, outcome_types = _AREAS, _STATES, _LEVELS, _OUTCOME_TYPES
    resolved = OutcomeKind.RESOLVED.value
    for (
        reference,
        title,
        compact,
        funder,
        third_sector,
        areas,
        state,
        raised_on,
        closed_on,
        working_days,
        at_stake,
        outcome_kind,
        outcome_level,
        outcome_type,
        *figures,
        case_level,
        affected,
        parties,
    ) in cases:
        if areas:
            areas = "; ".join(label for _, label in sorted(areas_of[a] for a in areas.split(",")))
        outcome = _NO_OUTCOME
        if outcome_kind == resolved:
            outcome = (outcome_types[outcome_type], *figures)
        yield (
            reference,
            title,
            compact,
            funder,
            third_sector,
            areas or "",
            states[state],
            raised_on,
            closed_on,
            working_days,
            at_stake,
            levels[outcome_level] if outcome_level else "",
            *outcome,
            case_level,
            affected,
            parties or "",
        )


def case_csv_response(filename: str, cases: Iterable[sa.Row]) -> Response:
    """The case list download of `cases` (from `stream_cases`), streamed as it is read."""
    return csv_response(
        filename, CASE_CSV_COLUMNS, case_csv_rows(cases), text_columns=CASE_CSV_TEXT_COLUMNS
    )

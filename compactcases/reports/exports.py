"""The case list download: its columns and one row per case."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa

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
)


# Each area's place in the Compact's order and its label, for a case's comma-separated areas.
_AREAS = {area.value: (place, area.label) for place, area in enumerate(AREA_ORDER)}


def case_csv_rows(cases: Iterable[sa.Row]) -> Iterator[tuple]:
    """The download's row for each case from `cases.search.stream_cases`, in the order of
    `CASE_CSV_COLUMNS`."""
    for case in cases:
        resolved = case.outcome_kind is OutcomeKind.RESOLVED
        areas = sorted(_AREAS[value] for value in case.areas.split(",")) if case.areas else ()
        yield (
            case.reference,
            case.title,
            case.compact_name,
            case.funder_name,
            case.third_sector_name,
            "; ".join(label for _, label in areas),
            case.state.label,
            case.raised_on.isoformat(),
            case.closed_on.isoformat() if case.closed_on else "",
            case.working_days_to_close,
            case.amount_at_stake,
            case.outcome_level.label if case.outcome_level else "",
            case.outcome_type.label if resolved else "",
            case.funding_protected if resolved else None,
            case.jobs_safeguarded if resolved else None,
            case.notice_days_gained if resolved else None,
            case.service_users_affected if resolved else None,
        )

"""The case list download: its columns and one row per case."""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Case, OutcomeKind

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


def case_csv_rows(cases: Iterator[Case]) -> Iterator[tuple]:
    """The download's row for each case, in the order of `CASE_CSV_COLUMNS`."""
    for case in cases:
        outcome = case.outcome
        resolved = outcome is not None and outcome.kind is OutcomeKind.RESOLVED
        yield (
            case.reference,
            case.title,
            case.compact.name,
            case.funder.name,
            case.third_sector.name,
            "; ".join(area.label for area in case.areas),
            case.state.label,
            case.raised_on.isoformat(),
            case.closed_on.isoformat() if case.closed_on else "",
            case.working_days_to_close,
            case.amount_at_stake,
            outcome.level.label if outcome else "",
            outcome.outcome_type.label if resolved else "",
            outcome.funding_protected if resolved else None,
            outcome.jobs_safeguarded if resolved else None,
            outcome.notice_days_gained if resolved else None,
            outcome.service_users_affected if resolved else None,
        )

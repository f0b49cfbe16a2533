"""The periods a report may cover: within 2000 to 2100 and at most ten years long, so that
no request can ask for more points than a person could read (the pages and the API)."""

from __future__ import annotations

from datetime import date, timedelta

from workflows.periods import MAX_DATE, MIN_DATE

MAX_YEARS = 10


def latest_end(start: date) -> date:
    """The last day of the longest period that starts on `start`."""
    try:
        anniversary = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February, in a year that has none
        anniversary = date(start.year + MAX_YEARS, 3, 1)
    return min(anniversary - timedelta(days=1), MAX_DATE)


def period_errors(start: date | None, end: date | None) -> dict[str, str]:
    """What is wrong with a period, by the end it is about ("start" or "end"); a missing end
    is not checked. Empty when the period may be reported on."""
    errors: dict[str, str] = {}
    if start is not None and start < MIN_DATE:
        errors["start"] = f"The start of the period must be in {MIN_DATE.year} or later"
    elif start is not None and start > MAX_DATE:
        errors["start"] = f"The start of the period must be in {MAX_DATE.year} or earlier"
    if end is not None and end > MAX_DATE:
        errors["end"] = f"The end of the period must be in {MAX_DATE.year} or earlier"
    elif end is not None and end < MIN_DATE:
        errors["end"] = f"The end of the period must be in {MIN_DATE.year} or later"
    elif start is not None and "start" not in errors and end is not None and start <= end:
        last = latest_end(start)
        if end > last:
            errors["end"] = (
                f"A period can be at most {MAX_YEARS} years long: end it on or before "
                f"{last.day} {last:%B %Y}"
            )
    return errors

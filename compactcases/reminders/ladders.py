"""The reminders of funding agreements' notice windows: each window's ladder under its
Compact's rules (see workflows.agreements), for the deadlines planning is given."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.agreements import DEFAULT_LADDER, LadderReminder, ladder_schedule, parse_ladder
from workflows.periods import PeriodError

from ..extensions import db
from ..models import Compact, Deadline, FundingAgreement


def ladders_by_deadline(deadline_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The ladder of each agreement window among ``deadline_ids``: its Compact's own, else
    its parent's, else the default; one query."""
    ids = list(deadline_ids)
    if not ids:
        return {}
    parent = aliased(Compact)
    rows = db.session.execute(
        sa.select(Deadline.id, Compact.agreement_reminders, parent.agreement_reminders)
        .join(FundingAgreement, Deadline.agreement_id == FundingAgreement.id)
        .join(Compact, FundingAgreement.compact_id == Compact.id)
        .outerjoin(parent, Compact.parent_id == parent.id)
        .where(Deadline.id.in_(ids))
    )
    found = {}
    for deadline_id, own, inherited in rows:
        found[deadline_id] = _read(own or inherited)
    return found


def _read(text: str | None) -> tuple[int, ...]:
    if not text:
        return DEFAULT_LADDER
    try:
        return parse_ladder(text)
    except PeriodError:
        # Checked when saved; a value written some other way falls back to the default.
        return DEFAULT_LADDER


def series(due_on: date, opened_on: date, ladder: tuple[int, ...]) -> tuple[LadderReminder, ...]:
    """A window's reminders: none before the window was recorded, one alert once missed."""
    return ladder_schedule(due_on, opened_on, ladder)

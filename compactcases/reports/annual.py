"""The annual summary: each Compact's year on one page, its figures in a few grouped queries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from workflows.dispute import State
from workflows.outcomes import Breach, Level

from .. import policy
from ..extensions import db
from ..models import Case, Compact, Outcome, OutcomeKind, User
from .coverage import ReportFilters, closed_as, count_if, covered, open_at_end, opened
from .percentiles import MEDIAN, percentiles_by


@dataclass(frozen=True)
class CompactSummary:
    """One Compact's year, as its page of the annual summary shows it."""

    name: str
    opened: int
    resolved: int
    withdrawn: int
    open_at_end: int
    resolved_by_level: dict[Level, int]
    median_days: float | None
    funding_protected: int
    jobs_safeguarded: int
    notice_days_gained: int
    service_users_affected: int
    breaches_found: int
    shareable_learning: int


# How many figures `_outcome_totals` adds up after its count at each level.
_OUTCOME_FIGURES = 6


def annual_summary(filters: ReportFilters, user: User) -> list[CompactSummary]:
    """Each Compact's figures for the period, in four grouped queries (not one per Compact)."""
    compacts = db.session.scalars(_compacts_in(filters, user).order_by(Compact.name)).all()
    ids = [c.id for c in compacts]
    if not ids:
        return []
    base = covered(
        ReportFilters(filters.start, filters.end, filters.region_id, None, filters.area),
        user,
        sa.select().select_from(Case),
    ).where(Case.compact_id.in_(ids))
    counts = _case_counts(base, filters)
    resolved = base.join(Outcome, Outcome.case_id == Case.id).where(
        closed_as(State.RESOLVED, filters), Outcome.kind == OutcomeKind.RESOLVED
    )
    totals = _outcome_totals(resolved)
    medians = percentiles_by(
        Case.compact_id,
        Case.working_days_to_close,
        resolved.where(Case.working_days_to_close.is_not(None)),
        (MEDIAN,),
    )
    return [
        _summary(
            compact,
            counts.get(compact.id, (0, 0, 0, 0)),
            totals.get(compact.id, (0,) * (len(Level) + _OUTCOME_FIGURES)),
            medians.get(compact.id),
        )
        for compact in compacts
    ]


def _case_counts(base: sa.Select, filters: ReportFilters) -> dict[int, tuple[int, ...]]:
    """{Compact id: (opened, resolved, withdrawn, open at the end)} over `base`'s cases."""
    return {
        compact_id: tuple(int(v) for v in values)
        for compact_id, *values in db.session.execute(
            base.add_columns(
                Case.compact_id,
                count_if(opened(filters)),
                count_if(closed_as(State.RESOLVED, filters)),
                count_if(closed_as(State.WITHDRAWN, filters)),
                count_if(open_at_end(filters)),
            ).group_by(Case.compact_id)
        )
    }


def _outcome_totals(resolved: sa.Select) -> dict[int, tuple[int, ...]]:
    """{Compact id: (resolved at each level..., money, jobs, notice days, service users,
    breaches found, shareable learning)} over the `resolved` cases joined to their outcomes."""
    return {
        compact_id: tuple(int(v) for v in values)
        for compact_id, *values in db.session.execute(
            resolved.add_columns(
                Case.compact_id,
                *(count_if(Outcome.level == level) for level in Level),
                sa.func.coalesce(sa.func.sum(Outcome.funding_protected), 0),
                sa.func.coalesce(sa.func.sum(Outcome.jobs_safeguarded), 0),
                sa.func.coalesce(sa.func.sum(Outcome.notice_days_gained), 0),
                sa.func.coalesce(sa.func.sum(Outcome.service_users_affected), 0),
                count_if(Outcome.breach_found.in_((Breach.YES, Breach.PARTLY))),
                count_if(Outcome.learning_shareable),
            ).group_by(Case.compact_id)
        )
    }


def _summary(
    compact: Compact,
    counts: tuple[int, ...],
    figures: tuple[int, ...],
    median: tuple | None,
) -> CompactSummary:
    """One Compact's summary from its row of each grouped query."""
    opened_in_period, closed_resolved, withdrawn, still_open = counts
    levels = dict(zip(Level, figures[: len(Level)], strict=True))
    money, jobs, notice, users, breaches, shareable = figures[len(Level) :]
    return CompactSummary(
        name=compact.name,
        opened=opened_in_period,
        resolved=closed_resolved,
        withdrawn=withdrawn,
        open_at_end=still_open,
        resolved_by_level=levels,
        median_days=median[1][MEDIAN] if median else None,
        funding_protected=money,
        jobs_safeguarded=jobs,
        notice_days_gained=notice,
        service_users_affected=users,
        breaches_found=breaches,
        shareable_learning=shareable,
    )


def _compacts_in(filters: ReportFilters, user: User) -> sa.Select:
    """The Compacts the user's reports cover, within the filters' region and Compact."""
    query = policy.report_compacts(user)
    if filters.region_id:
        query = query.where(Compact.region_id == filters.region_id)
    if filters.compact:
        chosen = sa.select(Compact.id).where(Compact.code == filters.compact).scalar_subquery()
        query = query.where(sa.or_(Compact.id == chosen, Compact.parent_id == chosen))
    return query

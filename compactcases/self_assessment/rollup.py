"""The region's roll-up of a year's self-assessments, with the year's figures from the app.

The returns' tables come from `workflows.self_assessment.roll_up` over the returns of the
Compacts the reader's reports cover; the figures for the year (April to March) are counted in
SQL, per Compact: cases opened and resolved, what the outcomes protected, funders' notices and
how many kept the Compact, and funding agreements' notice windows kept and missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows.dispute import State
from workflows.self_assessment import Code, FiledReturn, RollUp, Structure, roll_up

from .. import policy
from ..agreements import windows
from ..extensions import db
from ..models import Case, Compact, FundingAgreement, Notice, Outcome, SelfAssessment, User
from ..reports.coverage import count_if


@dataclass(frozen=True)
class YearFigures:
    """One Compact's figures for the year, counted from its cases, notices and agreements."""

    compact: str
    cases_opened: int = 0
    cases_resolved: int = 0
    funding_protected: int = 0
    jobs_safeguarded: int = 0
    notices: int = 0
    notices_kept: int = 0
    windows_kept: int = 0
    windows_missed: int = 0


@dataclass(frozen=True)
class RegionRollUp:
    year: int
    returns: RollUp
    # Every Compact covered, by name: its return's status ("Submitted", "Draft", "Not started").
    statuses: tuple[tuple[str, str], ...]
    figures: tuple[YearFigures, ...]

    @property
    def total(self) -> YearFigures:
        return YearFigures(
            "All Compacts",
            *(
                sum(getattr(f, name) for f in self.figures)
                for name in YearFigures.__dataclass_fields__
                if name != "compact"
            ),
        )


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def covered_compacts(user: User) -> list[Compact]:
    query = policy.scope_self_assessment_compacts(sa.select(Compact), user)
    return list(db.session.scalars(query.order_by(Compact.name)))


def returns_of(compacts: list[Compact], year: int) -> list[SelfAssessment]:
    ids = [c.id for c in compacts]
    return list(
        db.session.scalars(
            sa.select(SelfAssessment).where(
                SelfAssessment.compact_id.in_(ids), SelfAssessment.year == year
            )
        )
    )


def started(filed: SelfAssessment) -> bool:
    """Whether anyone has saved or submitted the return (the region's deadline makes an
    empty draft for every Compact)."""
    return filed.updated_by_id is not None or filed.submitted_at is not None


def region_roll_up(year: int, user: User, today: date) -> RegionRollUp:
    compacts = covered_compacts(user)
    names = {c.id: c.name for c in compacts}
    filed = [f for f in returns_of(compacts, year) if started(f)]
    returns = roll_up(
        [FiledReturn(names[f.compact_id], f.status, f.answers) for f in filed], names.values()
    )
    by_compact = {names[f.compact_id]: f.status.label for f in filed}
    statuses = tuple((name, by_compact.get(name, "Not started")) for name in sorted(names.values()))
    return RegionRollUp(
        year=year,
        returns=returns,
        statuses=statuses,
        figures=year_figures(compacts, year, today),
    )


def _grouped(query: sa.Select) -> dict[int, tuple[int, ...]]:
    return {i: tuple(int(v or 0) for v in values) for i, *values in db.session.execute(query)}


def year_figures(compacts: list[Compact], year: int, today: date) -> tuple[YearFigures, ...]:
    """Each Compact's figures for the year, four GROUP BYs in all."""
    start, end = year_bounds(year)
    ids = [c.id for c in compacts]
    cases = _grouped(
        sa.select(
            Case.compact_id,
            count_if(Case.raised_on.between(start, end)),
            count_if(sa.and_(Case.state == State.RESOLVED, Case.closed_on.between(start, end))),
        )
        .where(Case.compact_id.in_(ids))
        .group_by(Case.compact_id)
    )
    outcomes = _grouped(
        sa.select(
            Case.compact_id,
            sa.func.sum(Outcome.funding_protected),
            sa.func.sum(Outcome.jobs_safeguarded),
        )
        .join(Outcome, Outcome.case_id == Case.id)
        .where(
            Case.compact_id.in_(ids),
            Case.state == State.RESOLVED,
            Case.closed_on.between(start, end),
        )
        .group_by(Case.compact_id)
    )
    dated = sa.func.coalesce(Notice.notice_given_on, Notice.opens_on)
    notices = _grouped(
        sa.select(Notice.compact_id, sa.func.count(), count_if(Notice.compliant.is_(True)))
        .where(Notice.compact_id.in_(ids), dated.between(start, end), Notice.withdrawn_at.is_(None))
        .group_by(Notice.compact_id)
    )
    missed = windows.missed(today)
    agreements = _grouped(
        sa.select(
            FundingAgreement.compact_id,
            count_if(sa.and_(FundingAgreement.latest_notice_on < today, sa.not_(missed))),
            count_if(missed),
        )
        .where(
            FundingAgreement.compact_id.in_(ids),
            FundingAgreement.latest_notice_on.between(start, end),
        )
        .group_by(FundingAgreement.compact_id)
    )
    return tuple(
        YearFigures(
            c.name,
            *cases.get(c.id, (0, 0)),
            *outcomes.get(c.id, (0, 0)),
            *notices.get(c.id, (0, 0)),
            *agreements.get(c.id, (0, 0)),
        )
        for c in compacts
    )


CODE_COLUMNS = ("Compact", *(c.label for c in Code))
STRUCTURE_COLUMNS = ("Compact", *(s.label for s in Structure))
FIGURE_COLUMNS = (
    "Compact",
    "Cases opened",
    "Cases resolved",
    "Funding protected (£)",
    "Jobs safeguarded",
    "Notices",
    "Notices that kept the Compact",
    "Notice windows kept",
    "Notice windows missed",
)


def _mark(value: bool | None) -> str:
    return "Yes" if value else ("No" if value is False else "Not answered")


def csv_rows(found: RegionRollUp) -> list[tuple]:
    """The roll-up as one CSV: a section per table, each with its own header line."""
    rows: list[tuple] = [("Codes in place",), CODE_COLUMNS]
    rows += [(name, *map(_mark, marks)) for name, marks in found.returns.codes]
    rows += [("Compacts with the code", *found.returns.codes_in_place), (), ("Structures",)]
    rows += [STRUCTURE_COLUMNS]
    rows += [(name, *map(_mark, marks)) for name, marks in found.returns.structures]
    rows += [("Compacts with it", *found.returns.structures_in_place), ()]
    rows += [("Challenges: theme", "Compacts")]
    rows += [(t.label, n) for t, n in found.returns.challenge_themes]
    rows += [(), ("Support requested: theme", "Compacts")]
    rows += [(t.label, n) for t, n in found.returns.support_themes]
    rows += [(), ("The year's figures",), FIGURE_COLUMNS]
    for f in (*found.figures, found.total):
        rows.append(tuple(getattr(f, name) for name in YearFigures.__dataclass_fields__))
    return rows

"""The register of shared learning: resolved cases' learning from every Compact, anonymised.

The parties' names and sums of money never leave this module: names become "[organisation]"
and money, typed in the text or recorded as funding protected, is shown only as its band.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.dispute import State

from ..extensions import db
from ..models import (
    AREA_ORDER,
    Area,
    Case,
    CaseArea,
    Compact,
    Organisation,
    Outcome,
    OutcomeKind,
    Region,
)
from .coverage import financial_year

# Funding protected, as the register shows it: a band, never the figure.
FUNDING_BANDS: tuple[tuple[int, str], ...] = (
    (1, "None"),
    (10_000, "Under £10,000"),
    (50_000, "£10,000 to £49,999"),
    (100_000, "£50,000 to £99,999"),
    (250_000, "£100,000 to £249,999"),
)
TOP_BAND = "£250,000 or more"


def funding_band(amount: int | None) -> str:
    """The band the register shows for an amount of funding protected."""
    if amount is None:
        return "Not recorded"
    for below, label in FUNDING_BANDS:
        if amount < below:
            return label
    return TOP_BAND


@dataclass(frozen=True)
class Learning:
    """One shared, anonymised piece of learning."""

    region: str
    year: str
    areas: tuple[str, ...]
    level: str
    outcome: str
    funding_band: str
    text: str


_MONEY = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|million)\b)?", re.IGNORECASE)


def anonymise(text: str, names: tuple[str, ...]) -> str:
    """`text` with the parties' names taken out and any sum of money shown as its band."""
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = re.sub(re.escape(name), "[organisation]", text, flags=re.IGNORECASE)
    return _MONEY.sub(lambda match: f"[{funding_band(_pounds(match.group(0)))}]", text)


# Any sum with more whole-pound digits than this is in the top band, whatever follows it.
_MAX_POUND_DIGITS = 15


def _pounds(typed: str) -> int:
    """The whole pounds a sum written in text stands for, e.g. "£1.5m" is 1,500,000.

    Exact decimal arithmetic on a bounded number of digits: a float turns a long string of
    digits into infinity, and int() refuses one of thousands of digits."""
    whole, _, fraction = re.sub(r"[^\d.]", "", typed).partition(".")
    whole = whole.lstrip("0")
    if len(whole) > _MAX_POUND_DIGITS:
        return 10**_MAX_POUND_DIGITS
    value = Decimal(f"{whole or 0}.{fraction[:_MAX_POUND_DIGITS] or 0}")
    lowered = typed.lower()
    if lowered.endswith("k"):
        value *= 1_000
    elif lowered.endswith(("m", "million")):
        value *= 1_000_000
    return int(value)


def learning_register(area: Area | None, page: int, per_page: int) -> tuple[list[Learning], int]:
    """A page of shareable learning from resolved cases in every Compact, newest first, and
    the number of entries in all; the parties' names and sums of money never leave here."""
    query = _shareable_learning(area)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.order_by(Case.closed_on.desc(), Case.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    areas = _areas_of([row[0] for row in rows])
    entries = [
        Learning(
            region=region,
            year=_financial_year_label(closed_on),
            areas=tuple(a.label for a in sorted(areas.get(case_id, []), key=AREA_ORDER.index)),
            level=level.label,
            outcome=kind.label,
            funding_band=funding_band(money),
            text=anonymise(learning or "", (funder_name, third_sector_name)),
        )
        for (
            case_id,
            closed_on,
            region,
            level,
            kind,
            money,
            learning,
            funder_name,
            third_sector_name,
        ) in rows
    ]
    return entries, int(total)


def _shareable_learning(area: Area | None) -> sa.Select:
    """Each resolved case whose learning may be shared (about `area`, if given): its id, date
    closed, region, outcome and learning, and its parties' names for `anonymise` to take out."""
    funder, third_sector = aliased(Organisation), aliased(Organisation)
    query = (
        sa.select(
            Case.id,
            Case.closed_on,
            Region.name,
            Outcome.level,
            Outcome.outcome_type,
            Outcome.funding_protected,
            Outcome.learning,
            funder.name,
            third_sector.name,
        )
        .select_from(Outcome)
        .join(Case, Case.id == Outcome.case_id)
        .join(Compact, Compact.id == Case.compact_id)
        .join(Region, Region.id == Compact.region_id)
        .join(funder, funder.id == Case.funder_id)
        .join(third_sector, third_sector.id == Case.third_sector_id)
        .where(
            Outcome.kind == OutcomeKind.RESOLVED,
            Outcome.learning_shareable.is_(True),
            Case.state == State.RESOLVED,
        )
    )
    if area:
        query = query.where(sa.exists().where(CaseArea.case_id == Case.id, CaseArea.area == area))
    return query


def _areas_of(case_ids: list[int]) -> dict[int, list[Area]]:
    """The areas of the Compact each of the cases concerns, in one query."""
    areas: dict[int, list[Area]] = {}
    for case_id, case_area in db.session.execute(
        sa.select(CaseArea.case_id, CaseArea.area).where(CaseArea.case_id.in_(case_ids))
    ):
        areas.setdefault(case_id, []).append(case_area)
    return areas


def _financial_year_label(day: date) -> str:
    start, end = financial_year(day)
    return f"{start.year}/{str(end.year)[2:]}"

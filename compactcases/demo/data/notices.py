"""The funders' notices and consultations of the demo: a mix of kept and broken undertakings,
as funders record them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ...models import NoticeKind

_END, _CUT, _CONSULT = NoticeKind.FUNDING_END, NoticeKind.FUNDING_REDUCTION, NoticeKind.CONSULTATION


@dataclass(frozen=True)
class DemoNotice:
    """A notice or consultation as the funder recorded it; organisations by name."""

    compact: str
    kind: NoticeKind
    funder: str
    recipient: str | None
    title: str
    first: date  # notice given, or consultation opens
    second: date  # change takes effect, or consultation closes
    amounts: tuple[int, int] | None = None
    written: bool = True
    reasons_given: bool = True


# A mix of kept and broken undertakings, as funders record them.
DEMO_NOTICES: tuple[DemoNotice, ...] = (
    DemoNotice(
        "BIR",
        _END,
        "Birmingham City Council",
        "Sparkbrook Youth Project",
        "Detached youth work grant ends",
        date(2026, 9, 1),
        date(2026, 10, 15),
        (45_000, 0),
    ),
    DemoNotice(
        "BIR",
        _CUT,
        "Birmingham City Council",
        "Small Heath Women's Advice Centre",
        "Advice grant cut by a quarter",
        date(2026, 6, 30),
        date(2026, 10, 1),
        (60_000, 45_000),
    ),
    DemoNotice(
        "BIR",
        _CONSULT,
        "Birmingham City Council",
        None,
        "Future of day services for older people",
        date(2026, 9, 7),
        date(2026, 10, 5),
    ),
    DemoNotice(
        "BIR",
        _CONSULT,
        "Birmingham City Council",
        None,
        "Community libraries review",
        date(2026, 7, 6),
        date(2026, 9, 28),
    ),
    DemoNotice(
        "BIR",
        _END,
        "NHS Birmingham and Solihull Integrated Care Board",
        "Handsworth Elders Lunch Club",
        "Befriending contract not renewed",
        date(2026, 8, 3),
        date(2026, 11, 3),
        (28_000, 0),
        reasons_given=False,
    ),
    DemoNotice(
        "BIR",
        _CUT,
        "West Midlands Police",
        "Ladywood Community Food Bank",
        "Crime prevention grant cut with six weeks' notice",
        date(2026, 8, 17),
        date(2026, 10, 1),
        (20_000, 12_000),
    ),
    DemoNotice(
        "COV",
        _CUT,
        "Coventry City Council",
        "Foleshill Women's Training",
        "ESOL grant reduced",
        date(2026, 7, 15),
        date(2026, 10, 15),
        (52_000, 40_000),
    ),
    DemoNotice(
        "STS",
        _END,
        "Staffordshire County Council",
        "Leek Moorlands Carers",
        "Carers' breaks grant ends",
        date(2026, 6, 1),
        date(2026, 10, 1),
        (34_000, 0),
    ),
    DemoNotice(
        "CAN",
        _CUT,
        "Cannock Chase District Council",
        "Hednesford Community Larder",
        "Community grants halved",
        date(2026, 3, 2),
        date(2026, 9, 2),
        (8_000, 4_000),
    ),
    DemoNotice(
        "WAR",
        _CONSULT,
        "Warwickshire County Council",
        None,
        "Early help strategy consultation",
        date(2026, 9, 14),
        date(2026, 12, 7),
    ),
    DemoNotice(
        "WAR",
        _END,
        "Warwickshire County Council",
        "Atherstone Rural Transport",
        "Rural transport grant ends",
        date(2026, 7, 1),
        date(2026, 10, 1),
        (36_000, 0),
    ),
    DemoNotice(
        "SOL",
        _CUT,
        "Solihull Metropolitan Borough Council",
        "North Solihull Youth Partnership",
        "Youth grant reduced after a phone call",
        date(2026, 8, 20),
        date(2026, 12, 1),
        (30_000, 18_000),
        written=False,
    ),
)

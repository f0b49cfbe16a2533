"""The funders' funding agreements of the demo: a handful whose notice windows close within
weeks of the demo's day, one missed, one renewed, one closed by notice, some far off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DemoAgreement:
    """An agreement as its funder recorded it; organisations by name, the Compact by code.

    ``renewed`` is a renewal decided on its first date, to the second; ``notice_on`` the day
    notice of ending it was given, ending it on its end date."""

    compact: str
    funder: str
    organisation: str
    title: str
    reference: str
    annual_value: int
    starts_on: date
    ends_on: date
    renewed: tuple[date, date] | None = None
    notice_on: date | None = None


_BCC = "Birmingham City Council"
_SCC = "Staffordshire County Council"

# The latest notice dates, worked out by hand under each Compact's rules (Birmingham and
# Warwickshire 3 months; Staffordshire and its districts 6 months), are in the comments.
DEMO_AGREEMENTS: tuple[DemoAgreement, ...] = (
    # Ends 28 February 2027: notice by 30 November 2026 (month end to month end).
    DemoAgreement(
        "BIR",
        _BCC,
        "Ladywood Community Food Bank",
        "Food bank core costs",
        "BCC-FB-0198",
        18_500,
        date(2025, 3, 1),
        date(2027, 2, 28),
    ),
    # Ends 15 March 2027: notice by 15 December 2026.
    DemoAgreement(
        "BIR",
        _BCC,
        "Handsworth Elders Lunch Club",
        "Lunch club for older people",
        "BCC-AS-0077",
        12_000,
        date(2024, 1, 15),
        date(2027, 3, 15),
    ),
    # Ends 31 March 2027: notice by 31 December 2026.
    DemoAgreement(
        "BIR",
        _BCC,
        "Sparkbrook Youth Project",
        "Detached youth work",
        "BCC-YS-0412",
        45_000,
        date(2024, 4, 1),
        date(2027, 3, 31),
    ),
    # Ends 31 January 2027: notice was due by 31 October 2026, and none was given: missed.
    DemoAgreement(
        "BIR",
        _BCC,
        "Kings Norton Community Transport",
        "Dial-a-ride community transport",
        "BCC-TR-0031",
        32_000,
        date(2023, 11, 1),
        date(2027, 1, 31),
    ),
    # Ends 30 September 2027: notice by 30 June 2027.
    DemoAgreement(
        "BIR",
        _BCC,
        "Small Heath Women's Advice Centre",
        "Welfare benefits advice",
        "BCC-AD-0120",
        60_000,
        date(2023, 10, 1),
        date(2027, 9, 30),
    ),
    # Renewed on 15 December 2025 from 31 March 2026 to 31 March 2028: notice by 31 December
    # 2027.
    DemoAgreement(
        "BIR",
        _BCC,
        "Birmingham Voluntary Service Council",
        "Voluntary sector infrastructure support",
        "BCC-INF-0005",
        150_000,
        date(2022, 4, 1),
        date(2026, 3, 31),
        renewed=(date(2025, 12, 15), date(2028, 3, 31)),
    ),
    # Ends 31 May 2027: notice by 28 February 2027.
    DemoAgreement(
        "BIR",
        "NHS Birmingham and Solihull Integrated Care Board",
        "Birmingham Voluntary Service Council",
        "Social prescribing link workers",
        "BSOL-SP-014",
        96_000,
        date(2025, 6, 1),
        date(2027, 5, 31),
    ),
    # Staffordshire's 6 months. Ends 31 May 2027: notice by 30 November 2026.
    DemoAgreement(
        "STS",
        _SCC,
        "Stafford Domestic Abuse Project",
        "Refuge outreach",
        "SCC-DA-1107",
        85_000,
        date(2024, 4, 1),
        date(2027, 5, 31),
    ),
    # East Staffordshire inherits 6 months. Ends 30 June 2027: notice by 31 December 2026.
    DemoAgreement(
        "EST",
        _SCC,
        "Burton Asian Women's Network",
        "Community cohesion project",
        "SCC-CC-2201",
        22_000,
        date(2025, 2, 1),
        date(2027, 6, 30),
    ),
    # Ends 31 January 2027: notice due by 31 October 2026, given on 20 October 2026.
    DemoAgreement(
        "WAR",
        "Warwickshire County Council",
        "Atherstone Rural Transport",
        "Rural bus service",
        "WCC-RT-0310",
        27_000,
        date(2024, 7, 1),
        date(2027, 1, 31),
        notice_on=date(2026, 10, 20),
    ),
)

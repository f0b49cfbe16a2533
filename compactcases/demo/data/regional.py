"""The demo's regional dispute: a regional NHS commissioner with no Compact of its own ends
its carers' and family support contracts across three Compacts at once."""

from __future__ import annotations

from workflows.outcomes import MAX_REASON_LENGTH

from ...models import Area, OrganisationType

# A statutory body of the region with no local Compact of its own.
REGIONAL_FUNDERS: tuple[tuple[str, OrganisationType], ...] = (
    ("NHS England – Midlands", OrganisationType.NHS),
)

REGIONAL_DISPUTE = {
    "title": "Carers' support contracts ended across three Compacts at four weeks' notice",
    "summary": (
        "NHS England – Midlands wrote to the carers' and family support services it funds in "
        "Birmingham, Coventry and Solihull ending every contract from the same date, four "
        "weeks on, with no consultation and no reasons given. The organisations say the "
        "Compacts' three months' notice was not kept in any of the three areas."
    )[:MAX_REASON_LENGTH],
    "funder": "NHS England – Midlands",
    # The lead organisation first, then the others, one or more in each Compact.
    "third_sector": (
        "Foleshill Women's Training",
        "Tile Hill Carers Network",
        "Handsworth Elders Lunch Club",
        "Shirley Bereavement Support",
    ),
    # The lead Compact (its reference) first.
    "compacts": ("COV", "BIR", "SOL"),
    "areas": (Area.FUNDING, Area.COMMISSIONING),
    "amount_at_stake": 486_000,
    # The latest case of the standard set, so that references still follow raised order.
    "days_ago": 2,
    "note": (
        "Met the commissioner's regional lead with the four organisations; the contracts' "
        "end is paused while the notice given is compared with each Compact's rules."
    ),
}

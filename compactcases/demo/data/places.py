"""The demo's places: the West Midlands region, its upper-tier and district Compacts, and the
local rules stricter than the national defaults."""

from __future__ import annotations

REGION_CODE = "WM"
REGION_NAME = "West Midlands"

# (code, name) of the 14 upper-tier Compacts.
UPPER_COMPACTS: tuple[tuple[str, str], ...] = (
    ("BIR", "Birmingham"),
    ("COV", "Coventry"),
    ("DUD", "Dudley"),
    ("HEF", "Herefordshire"),
    ("SAW", "Sandwell"),
    ("SHR", "Shropshire"),
    ("SOL", "Solihull"),
    ("STS", "Staffordshire"),
    ("STE", "Stoke-on-Trent"),
    ("TFW", "Telford and Wrekin"),
    ("WLL", "Walsall"),
    ("WAR", "Warwickshire"),
    ("WLV", "Wolverhampton"),
    ("WOR", "Worcestershire"),
)

# (code, name, parent code) of the district Compacts beneath the county ones.
DISTRICT_COMPACTS: tuple[tuple[str, str, str], ...] = (
    ("CAN", "Cannock Chase", "STS"),
    ("LIC", "Lichfield", "STS"),
    ("TAM", "Tamworth", "STS"),
    ("EST", "East Staffordshire", "STS"),
    ("RUG", "Rugby", "WAR"),
    ("WAW", "Warwick", "WAR"),
    ("NUN", "Nuneaton and Bedworth", "WAR"),
    ("STR", "Stratford-on-Avon", "WAR"),
    ("RED", "Redditch", "WOR"),
    ("WYF", "Wyre Forest", "WOR"),
    ("WCS", "Worcester", "WOR"),
    ("MAL", "Malvern Hills", "WOR"),
)

# Local rules stricter than the national defaults: (Compact, rule, period). Staffordshire's
# districts inherit its six months' notice; Coventry's funding code pays invoices in 14 days.
RULE_OVERRIDES: tuple[tuple[str, str, str], ...] = (
    ("STS", "funding_notice", "6 months"),
    ("COV", "invoice_payment", "14 days"),
)

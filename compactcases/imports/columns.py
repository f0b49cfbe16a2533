"""The columns of each kind of import: name, whether it is required, its format, and the
example row the templates carry. The templates, the columns page and the reader all use it."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import ImportKind


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    format: str
    example: str


DATE = "A date: 31/12/2019, 2019-12-31, 31 December 2019 or an Excel date"
MONEY = "Whole pounds, like £18,000 or 18000"
COUNT = "A whole number from 0"
SOURCE_REFERENCE = Column(
    "source_reference",
    True,
    "Your own reference for the row, unique in the file (at most 60 characters): importing "
    "the file again updates the record it made instead of making another",
    "LOG-2019-017",
)
COMPACT = Column(
    "compact",
    False,
    "The local Compact's code, like BIR; required unless the import names one Compact",
    "BIR",
)
ORGANISATION = "An organisation's exact name, or an alias declared for it"

COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.ORGANISATIONS: (
        SOURCE_REFERENCE,
        Column(
            "name",
            True,
            "The organisation's full name (at most 160 characters)",
            "Sparkbrook Youth Project",
        ),
        Column(
            "type",
            True,
            "council, nhs, police, fire_rescue, government, charity, cvs, "
            "community_group or social_enterprise",
            "charity",
        ),
        Column("region", True, "The region's code, like WM", "WM"),
        Column("compact", False, "The code of the Compact it mainly works in, like BIR", "BIR"),
        Column(
            "aliases",
            False,
            "Other names it is known by in your files, separated by ;",
            "Sparkbrook Youth; SYP",
        ),
    ),
    ImportKind.CASES: (
        SOURCE_REFERENCE,
        COMPACT,
        Column(
            "title",
            True,
            "Text, at most 200 characters",
            "Youth service grant cut with six weeks' notice",
        ),
        Column("summary", True, "Text", "The council ended the youth work grant."),
        Column("funder", True, ORGANISATION + " (a statutory funder)", "Birmingham City Council"),
        Column(
            "third_sector_organisation",
            True,
            ORGANISATION + " (third sector)",
            "Sparkbrook Youth Project",
        ),
        Column("raised_by", False, "third_sector (the default) or funder", "third_sector"),
        Column(
            "areas",
            False,
            "Areas of the Compact separated by ;: funding, commissioning, "
            "consultation, volunteering, equality, community_groups, bme",
            "funding",
        ),
        Column("amount_at_stake", False, MONEY, "£45,000"),
        Column("raised_on", True, DATE, "14/03/2019"),
        Column(
            "state",
            True,
            "raised, local_conciliation, regional_mediation, resolved or withdrawn",
            "resolved",
        ),
        Column("escalated_on", False, DATE + "; the day it went to regional mediation", ""),
        Column(
            "closed_on", False, DATE + "; required for a resolved or withdrawn case", "2 May 2019"
        ),
        Column(
            "level_reached",
            False,
            "For a closed case: before_conciliation, "
            "local_conciliation or regional_mediation (by default regional_mediation if it "
            "was escalated, local_conciliation if not)",
            "local_conciliation",
        ),
        Column(
            "outcome_type",
            False,
            "For a resolved case: agreement_reached, "
            "funding_reinstated, notice_extended, decision_upheld, partially_resolved, "
            "no_agreement or referred_national",
            "funding_reinstated",
        ),
        Column("breach_found", False, "For a resolved case: yes, no or partly", "yes"),
        Column("funding_protected", False, MONEY, "£30,000"),
        Column("jobs_safeguarded", False, COUNT, "2"),
        Column("notice_days_gained", False, COUNT, ""),
        Column("service_users_affected", False, COUNT, "120"),
        Column("agreed_actions", False, "Text", "Grant restored to March 2020."),
        Column("learning", False, "Text", ""),
        Column("withdrawal_reason", False, "Text; required for a withdrawn case", ""),
    ),
    ImportKind.NOTICES: (
        SOURCE_REFERENCE,
        COMPACT,
        Column("kind", True, "funding_end, funding_reduction or consultation", "funding_end"),
        Column("title", True, "Text, at most 200 characters", "Ending the advice services grant"),
        Column("funder", True, ORGANISATION + " (a statutory funder)", "Birmingham City Council"),
        Column(
            "recipient",
            False,
            ORGANISATION + "; required for a funding change",
            "Sparkbrook Youth Project",
        ),
        Column("notice_given_on", False, DATE + "; required for a funding change", "2019-01-07"),
        Column("effective_on", False, DATE + "; required for a funding change", "31/03/2019"),
        Column("written", False, "yes (the default) or no", "yes"),
        Column("reasons_given", False, "yes (the default) or no", "yes"),
        Column("amount_before", False, MONEY, "£18,000"),
        Column("amount_after", False, MONEY, "0"),
        Column("opens_on", False, DATE + "; required for a consultation", ""),
        Column("closes_on", False, DATE + "; required for a consultation", ""),
    ),
    ImportKind.AGREEMENTS: (
        SOURCE_REFERENCE,
        COMPACT,
        Column("funder", True, ORGANISATION + " (a statutory funder)", "Birmingham City Council"),
        Column("organisation", True, ORGANISATION + " (third sector)", "Sparkbrook Youth Project"),
        Column("title", True, "Text, at most 200 characters", "Youth work grant"),
        Column(
            "funder_reference",
            True,
            "The funder's reference, at most 60 characters",
            "BCC-GR-2019-114",
        ),
        Column("annual_value", True, MONEY, "£18,000"),
        Column("starts_on", True, DATE, "01/04/2019"),
        Column("ends_on", True, DATE, "31 March 2022"),
        Column("break_on", False, DATE, ""),
        Column("review_on", False, DATE, ""),
    ),
}


def headers(kind: ImportKind) -> list[str]:
    return [c.name for c in COLUMNS[kind]]


def required(kind: ImportKind, compact_given: bool) -> set[str]:
    """The headers a file must have (the compact column may go when the import names one)."""
    return {c.name for c in COLUMNS[kind] if c.required or (c is COMPACT and not compact_given)}

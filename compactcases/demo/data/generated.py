"""The words and proportions of generated (bulk) cases: their titles and areas, the reasons on
their timelines, and how many of every 100 are in each state."""

from __future__ import annotations

from workflows.dispute import State

from ...models import Area

GENERATED_TITLES: tuple[tuple[str, tuple[Area, ...]], ...] = (
    ("Less than three months' notice of a grant cut to {ts}", (Area.FUNDING,)),
    ("Grant to {ts} ended without written reasons", (Area.FUNDING,)),
    ("Invoices from {ts} paid late", (Area.FUNDING,)),
    ("Short consultation on the future of {ts}'s service", (Area.CONSULTATION,)),
    ("Contract re-tendered without involving {ts}", (Area.COMMISSIONING,)),
    ("Overheads excluded from {ts}'s contract price", (Area.COMMISSIONING, Area.FUNDING)),
    ("Volunteer expenses disallowed for {ts}", (Area.VOLUNTEERING, Area.FUNDING)),
    ("No equality impact assessment before cutting {ts}'s grant", (Area.EQUALITY, Area.FUNDING)),
    ("Disproportionate monitoring asked of {ts}", (Area.COMMUNITY_GROUPS,)),
    ("Clawback of underspend from {ts}", (Area.FUNDING,)),
    ("BME advice funding for {ts} withdrawn", (Area.BME, Area.FUNDING)),
)
GENERATED_OUTCOMES = (
    "Funder agreed to give three months' written notice and phase the change.",
    "Funding reinstated to the end of the financial year.",
    "Agreement reached at conciliation; the funder will involve the sector earlier.",
    "Decision upheld after the organisation's response was considered.",
    "Outstanding invoices paid and payment terms agreed.",
    "Partially resolved: notice extended but the reduction stands.",
)
GENERATED_WITHDRAWALS = (
    "Withdrawn at the organisation's request.",
    "The funder reversed its decision before conciliation.",
    "The organisation chose the funder's complaints procedure instead.",
)
GENERATED_ESCALATIONS = (
    "Local conciliation did not reach agreement.",
    "The funder works across the region.",
    "The funder hosts the local Compact and is a party.",
)
# Of every 100 generated cases, how many are in each state.
GENERATED_STATES: tuple[tuple[State, int], ...] = (
    (State.RAISED, 10),
    (State.LOCAL_CONCILIATION, 14),
    (State.REGIONAL_MEDIATION, 8),
    (State.RESOLVED, 56),
    (State.WITHDRAWN, 12),
)

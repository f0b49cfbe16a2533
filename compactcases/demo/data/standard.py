"""The plan of the standard demo set: how many cases each Compact has, the routes they took
through the workflow, and the states that Birmingham's and Warwickshire's first cases reach."""

from __future__ import annotations

from workflows.dispute import Event, State

# (Compact code, number of cases) for the standard set: 60 cases.
STANDARD_COMPACTS: tuple[tuple[str, int], ...] = (
    ("BIR", 10),
    ("WAR", 8),
    ("COV", 6),
    ("STS", 5),
    ("WOR", 5),
    ("WLV", 4),
    ("DUD", 3),
    ("SAW", 3),
    ("SHR", 3),
    ("SOL", 2),
    ("STE", 2),
    ("HEF", 2),
    ("TFW", 2),
    ("WLL", 2),
    ("RUG", 1),
    ("LIC", 1),
    ("RED", 1),
)

# The routes of the standard set: 8 raised, 9 in conciliation, 9 in mediation, 26 resolved
# (most at local level), 8 withdrawn.
STANDARD_ROUTES: tuple[tuple[tuple[Event, ...], int], ...] = (
    ((), 8),
    ((Event.START_CONCILIATION,), 9),
    ((Event.START_CONCILIATION, Event.ESCALATE), 6),
    ((Event.ESCALATE,), 3),
    ((Event.RESOLVE,), 4),
    ((Event.START_CONCILIATION, Event.RESOLVE), 16),
    ((Event.START_CONCILIATION, Event.ESCALATE, Event.RESOLVE), 4),
    ((Event.ESCALATE, Event.RESOLVE), 2),
    ((Event.WITHDRAW,), 3),
    ((Event.START_CONCILIATION, Event.WITHDRAW), 4),
    ((Event.START_CONCILIATION, Event.ESCALATE, Event.WITHDRAW), 1),
)

# Birmingham's and Warwickshire's cases come first in the plan; these are the states their
# first ten cases reach, so that both show every state.
FIRST_STATES = (
    State.RAISED,
    State.LOCAL_CONCILIATION,
    State.REGIONAL_MEDIATION,
    State.RESOLVED,
    State.WITHDRAWN,
    State.RESOLVED,
    State.RESOLVED,
)

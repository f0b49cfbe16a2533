"""The demo's calendar: the day every demo date counts back from, the seed of its randomness,
the routes a case can take through the workflow and the gaps between its steps."""

from __future__ import annotations

from datetime import date

from workflows.dispute import Event, State

# Every demo date is counted back from this day, not from today, so the data never drifts.
ANCHOR = date(2026, 11, 1)
RANDOM_SEED = 2026

# The ways through the workflow a demo case has taken so far: the events fired, in order.
ROUTES: dict[State, tuple[tuple[Event, ...], ...]] = {
    State.RAISED: ((),),
    State.LOCAL_CONCILIATION: ((Event.START_CONCILIATION,),),
    State.REGIONAL_MEDIATION: (
        (Event.START_CONCILIATION, Event.ESCALATE),
        (Event.ESCALATE,),
    ),
    State.RESOLVED: (
        (Event.RESOLVE,),
        (Event.START_CONCILIATION, Event.RESOLVE),
        (Event.START_CONCILIATION, Event.ESCALATE, Event.RESOLVE),
        (Event.ESCALATE, Event.RESOLVE),
    ),
    State.WITHDRAWN: (
        (Event.WITHDRAW,),
        (Event.START_CONCILIATION, Event.WITHDRAW),
        (Event.START_CONCILIATION, Event.ESCALATE, Event.WITHDRAW),
    ),
}

# The state each event of a demo route leads to.
DESTINATION: dict[Event, State] = {
    Event.START_CONCILIATION: State.LOCAL_CONCILIATION,
    Event.ESCALATE: State.REGIONAL_MEDIATION,
    Event.RESOLVE: State.RESOLVED,
    Event.WITHDRAW: State.WITHDRAWN,
}

# How many days before ANCHOR a case on each route may have been raised, so that its whole
# timeline fits before ANCHOR: (earliest, latest).
RAISED_DAYS_AGO: dict[State, tuple[int, int]] = {
    State.RAISED: (3, 28),
    State.LOCAL_CONCILIATION: (14, 60),
    State.REGIONAL_MEDIATION: (60, 160),
    State.RESOLVED: (100, 545),
    State.WITHDRAWN: (100, 545),
}

# Days from the previous step to each event: (fewest, most).
GAPS: dict[tuple[Event, State], tuple[int, int]] = {
    (Event.START_CONCILIATION, State.RAISED): (2, 7),
    (Event.ESCALATE, State.RAISED): (3, 10),
    (Event.ESCALATE, State.LOCAL_CONCILIATION): (20, 35),
    (Event.RESOLVE, State.RAISED): (5, 20),
    (Event.RESOLVE, State.LOCAL_CONCILIATION): (10, 30),
    (Event.RESOLVE, State.REGIONAL_MEDIATION): (25, 45),
    (Event.WITHDRAW, State.RAISED): (5, 20),
    (Event.WITHDRAW, State.LOCAL_CONCILIATION): (10, 30),
    (Event.WITHDRAW, State.REGIONAL_MEDIATION): (25, 45),
}

"""Dating a demo case's history, shared by the standard set and the bulk generator: the day it
was raised, the days of its steps along a route, times in office hours, and believable
outcomes. Plain values from a seeded generator; nothing here touches the database."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from workflows.dispute import LEVEL_OF_STATE, Event, State
from workflows.outcomes import Breach, Level, OutcomeType

from ..models import OutcomeKind
from .data.timing import ANCHOR, DESTINATION, GAPS, RAISED_DAYS_AGO, ROUTES
from .data.words import LEARNINGS, NO_AGREEMENT_TEXTS

# One dated transition of a route: (event, from state, to state, day).
Step = tuple[Event, State, State, date]


def working_day(day: date) -> date:
    """The day itself, or the Monday after if it falls at a weekend."""
    weekday = day.weekday()
    return day + timedelta(days=7 - weekday) if weekday >= 5 else day


def at(day: date, rng: random.Random) -> datetime:
    """A time in office hours (UTC) on `day`."""
    return datetime.combine(day, time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))), UTC)


def raised_on(rng: random.Random, state: State) -> date:
    """A working day on which a case that has reached `state` by ANCHOR may have been raised."""
    earliest, latest = RAISED_DAYS_AGO[state]
    return working_day(ANCHOR - timedelta(days=rng.randint(earliest, latest)))


def steps(rng: random.Random, raised: date, route: tuple[Event, ...]) -> list[Step]:
    """The dated transitions of `route` for a case raised on `raised`."""
    found = []
    state, day = State.RAISED, raised
    for event in route:
        fewest, most = GAPS[(event, state)]
        day = working_day(day + timedelta(days=rng.randint(fewest, most)))
        found.append((event, state, DESTINATION[event], day))
        state = DESTINATION[event]
    return found


def pick_route(rng: random.Random, state: State) -> tuple[Event, ...]:
    """A route that ends in `state`, weighted as disputes usually go."""
    routes = ROUTES[state]
    if state is State.RESOLVED:
        # Most disputes end at local conciliation, or before.
        return rng.choices(routes, weights=(15, 60, 15, 10))[0]
    if state is State.WITHDRAWN:
        return rng.choices(routes, weights=(40, 45, 15))[0]
    if state is State.REGIONAL_MEDIATION:
        return rng.choices(routes, weights=(70, 30))[0]
    return routes[0]


def state_after(route: tuple[Event, ...]) -> State:
    return DESTINATION[route[-1]] if route else State.RAISED


def between(rng: random.Random, after: date, before: date) -> date | None:
    """A working day strictly between two days, early in the gap, or None if there is none."""
    days = [
        after + timedelta(days=n)
        for n in range(1, (before - after).days)
        if (after + timedelta(days=n)).weekday() < 5
    ]
    return rng.choice(days[: max(1, len(days) // 2)]) if days else None


def outcome_type(text: str) -> OutcomeType:
    """The outcome type a demo outcome's words describe."""
    words = text.lower()
    if "partially" in words:
        return OutcomeType.PARTIALLY_RESOLVED
    if "upheld" in words:
        return OutcomeType.DECISION_UPHELD
    if any(w in words for w in ("reinstated", "phase", "paid", "arrears", "further three")):
        return OutcomeType.FUNDING_REINSTATED
    if "notice" in words or "extend" in words:
        return OutcomeType.NOTICE_EXTENDED
    return OutcomeType.AGREEMENT_REACHED


def outcome_values(
    rng: random.Random, text: str, left: State, amount: int | None
) -> tuple[str, dict]:
    """A believable resolved outcome: the agreed actions (possibly replaced) and its columns."""
    level = LEVEL_OF_STATE[left]
    kind = outcome_type(text)
    if level is Level.REGIONAL_MEDIATION and rng.random() < 0.3:
        kind, text = rng.choice(NO_AGREEMENT_TEXTS)
    share = {
        OutcomeType.FUNDING_REINSTATED: 1.0,
        OutcomeType.PARTIALLY_RESOLVED: 0.5,
        OutcomeType.NOTICE_EXTENDED: 0.25,
        OutcomeType.AGREEMENT_REACHED: rng.choice((0.0, 0.3, 0.6)),
    }.get(kind, 0.0)
    funding = None if amount is None else int(round(amount * share, -3))
    jobs = {
        OutcomeType.FUNDING_REINSTATED: rng.randint(1, 6),
        OutcomeType.PARTIALLY_RESOLVED: rng.randint(0, 3),
        OutcomeType.NOTICE_EXTENDED: rng.randint(0, 2),
        OutcomeType.AGREEMENT_REACHED: rng.randint(0, 2),
    }.get(kind, 0)
    notice_days = {
        OutcomeType.NOTICE_EXTENDED: rng.choice((28, 42, 61, 92)),
        OutcomeType.FUNDING_REINSTATED: rng.choice((0, 30, 61)),
        OutcomeType.PARTIALLY_RESOLVED: rng.choice((30, 45)),
    }.get(kind, 0)
    if kind in (OutcomeType.DECISION_UPHELD, OutcomeType.NO_AGREEMENT):
        breach = rng.choice((Breach.NO, Breach.PARTLY))
    else:
        breach = Breach.YES if rng.random() < 0.7 else Breach.PARTLY
    return text, {
        "kind": OutcomeKind.RESOLVED,
        "level": level,
        "outcome_type": kind,
        "breach_found": breach,
        "funding_protected": funding,
        "jobs_safeguarded": jobs,
        "notice_days_gained": notice_days,
        "service_users_affected": None if rng.random() < 0.1 else rng.randint(4, 60) * 10,
        "agreed_actions": text,
        "learning": rng.choice(LEARNINGS),
        "learning_shareable": rng.random() < 0.65,
    }


def withdrawal_values(reason: str, left: State) -> dict:
    """The columns of the outcome of a case withdrawn from `left`."""
    return {
        "kind": OutcomeKind.WITHDRAWN,
        "level": LEVEL_OF_STATE[left],
        "withdrawal_reason": reason,
        "learning_shareable": False,
    }

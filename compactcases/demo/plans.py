"""The standard demo set as plans: for each case, what was typed in when it was logged and
every later step a person took (fire an event, write a note, take the case), with its moment.

Plans are plain values drawn from one seeded generator, so the set is the same on every run;
`standard.replay` turns them into cases by calling the services a person's clicks call.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from workflows import outcomes
from workflows.dispute import Event, State

from ..cases.services import CaseDetails
from ..models import Side
from .data.people import MEDIATOR_EMAIL, officer_email
from .data.scenarios import FUNDER_TYPES, REGIONAL_SCENARIOS, SCENARIOS, SERVICES, Scenario
from .data.standard import FIRST_STATES, STANDARD_COMPACTS, STANDARD_ROUTES
from .data.timing import ANCHOR, RANDOM_SEED
from .data.words import (
    ACKNOWLEDGEMENT_NOTE,
    CONCILIATION_NOTES,
    ESCALATE_FROM_LOCAL,
    ESCALATE_HOST,
    ESCALATE_REGIONAL,
    MEDIATION_NOTES,
    WITHDRAW_REASONS,
)
from .reference import Parties, Reference, parties
from .timelines import (
    Step,
    at,
    between,
    outcome_values,
    raised_on,
    state_after,
    steps,
    working_day,
)

# How long after an escalation the regional mediator takes the case.
TAKEN_AFTER = timedelta(minutes=30)


# An acknowledgement is recorded just before the note or step that goes with it.
ONE_MINUTE = timedelta(minutes=1)
ONE_SECOND = timedelta(seconds=1)
# The Compacts whose officers generate the acknowledgement letter as they acknowledge.
LETTER_COMPACTS = frozenset({"BIR"})


class ActionKind(enum.Enum):
    """Which service a step calls: fire a workflow event, add a note, take the case, or
    record its acknowledgement."""

    EVENT = "event"
    NOTE = "note"
    TAKE = "take"
    ACKNOWLEDGE = "acknowledge"


@dataclass(frozen=True)
class Action:
    """One step a person took on a case: who (by email), when, and what they entered."""

    kind: ActionKind
    moment: datetime
    actor: str | None
    event: Event | None = None
    text: str = ""
    outcome: outcomes.OutcomeDraft | None = None
    # An acknowledgement that also generates the acknowledgement letter.
    with_letter: bool = False


@dataclass(frozen=True)
class CasePlan:
    """A demo case: the details it was logged with, by whom and when, then its steps."""

    details: CaseDetails
    logged_by: str | None
    logged_at: datetime
    actions: tuple[Action, ...]


def plan_standard_set(ref: Reference) -> list[CasePlan]:
    """The standard set's cases, in the order they were planned (not yet by raised day)."""
    rng = random.Random(RANDOM_SEED)
    pools = parties(ref)
    names = {o.id: o.name for o in ref.organisations.values()}
    routes = [route for route, count in STANDARD_ROUTES for _ in range(count)]
    rng.shuffle(routes)
    codes = [code for code, count in STANDARD_COMPACTS for _ in range(count)]
    wanted = [*FIRST_STATES, *([State.RESOLVED] * 3), *FIRST_STATES]
    for position, state in enumerate(wanted):
        found = next(i for i in range(position, len(routes)) if state_after(routes[i]) is state)
        routes[position], routes[found] = routes[found], routes[position]

    local = list(SCENARIOS)
    rng.shuffle(local)
    turn = 0
    # Outcomes draw from a generator of their own, so adding them left the cases unchanged.
    outcome_rng = random.Random(RANDOM_SEED + 1)

    def next_local(fits: Callable[[Scenario], bool]) -> Scenario:
        nonlocal turn
        while True:
            scenario = local[turn % len(local)]
            turn += 1
            if fits(scenario):
                return scenario

    plans = []
    straight_to_region = 0
    for code, route in zip(codes, routes, strict=True):
        if route and route[0] is Event.ESCALATE:
            # Straight to the region: a regional funder, or the council hosting the Compact.
            if straight_to_region % 2 == 0:
                scenario = REGIONAL_SCENARIOS[(straight_to_region // 2) % len(REGIONAL_SCENARIOS)]
            else:
                scenario = next_local(lambda s: s.funder == "council")
            straight_to_region += 1
        else:
            by_type = pools[code].by_type
            scenario = next_local(
                lambda s, by_type=by_type: (
                    s.funder == "council" or FUNDER_TYPES[s.funder] in by_type
                )
            )
        planner = _CasePlanner(ref, rng, outcome_rng, pools[code], names, code)
        plans.append(planner.plan(route, scenario))
    return plans


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_name(name: str) -> str:
    """A funder's name as a title would shorten it."""
    if name.startswith("NHS ") and name.endswith(" Integrated Care Board"):
        return name[4 : -len(" Integrated Care Board")] + " ICB"
    return name


def outcome_draft(values: dict) -> outcomes.OutcomeDraft:
    """An outcome's column values as the resolve form would send them."""

    def typed(value: int | None) -> str:
        return "" if value is None else str(value)

    return outcomes.OutcomeDraft(
        level=values["level"].value,
        outcome_type=values["outcome_type"].value,
        breach_found=values["breach_found"].value,
        funding_protected=typed(values["funding_protected"]),
        jobs_safeguarded=typed(values["jobs_safeguarded"]),
        notice_days_gained=typed(values["notice_days_gained"]),
        service_users_affected=typed(values["service_users_affected"]),
        agreed_actions=values["agreed_actions"],
        learning=values["learning"],
        learning_shareable="yes" if values["learning_shareable"] else "no",
    )


class _CasePlanner:
    """Plans one case of the standard set; the draws from `rng` come in a fixed order."""

    def __init__(
        self,
        ref: Reference,
        rng: random.Random,
        outcome_rng: random.Random,
        pool: Parties,
        names: dict[int, str],
        code: str,
    ) -> None:
        self.ref, self.rng, self.outcome_rng = ref, rng, outcome_rng
        self.pool, self.names, self.code = pool, names, code
        self.officer = officer_email(code) if ref.officer(code) else None

    def plan(self, route: tuple[Event, ...], scenario: Scenario) -> CasePlan:
        rng = self.rng
        funder_id, ts_id = self._parties(scenario)
        raised = raised_on(rng, state_after(route))
        words = self._words(raised, funder_id, ts_id)
        amount = None
        if scenario.amount and rng.random() > 0.1:
            amount = round(rng.randint(*scenario.amount), -3)
        details = CaseDetails(
            compact_id=self.ref.compacts[self.code].id,
            title=scenario.title.format(**words),
            summary=scenario.summary.format(**words),
            funder_id=funder_id,
            third_sector_id=ts_id,
            raised_by=Side.FUNDER if rng.random() < 0.08 else Side.THIRD_SECTOR,
            areas=tuple(scenario.areas),
            amount_at_stake=amount,
            raised_on=raised,
            officer_id=self.ref.officer_id(self.code),
        )
        logged_at = at(raised, rng)
        dated = steps(rng, raised, route)
        notes = self._notes(raised, dated, words)
        actions = list(notes.get(raised, ()))
        for step in dated:
            transition = self._transition(step, scenario, words, amount)
            actions.append(transition)
            if step[0] is Event.ESCALATE and self.ref.mediator is not None:
                actions.append(
                    Action(ActionKind.TAKE, transition.moment + TAKEN_AFTER, MEDIATOR_EMAIL)
                )
            actions.extend(notes.get(step[3], ()))
        return CasePlan(details, self.officer, logged_at, tuple(actions))

    def _parties(self, scenario: Scenario) -> tuple[int, int]:
        rng, pool = self.rng, self.pool
        if scenario.body:
            funder_id = self.ref.organisations[scenario.body].id
        elif scenario.funder == "council":
            funder_id = pool.councils[0]
        else:
            funder_id = rng.choice(pool.by_type[FUNDER_TYPES[scenario.funder]])
        ts_id = rng.choice(pool.own_third_sector if rng.random() < 0.75 else pool.third_sector)
        return funder_id, ts_id

    def _words(self, raised: date, funder_id: int, ts_id: int) -> dict:
        """The fields a scenario's and the timeline's texts are filled in with."""
        rng = self.rng
        notice = working_day(raised - timedelta(days=rng.randint(6, 20)))
        weeks = rng.randint(4, 9)
        service = rng.choice(SERVICES)
        return {
            "ts": self.names[ts_id],
            "funder": self.names[funder_id],
            "funder_short": short_name(self.names[funder_id]),
            "notice": long_date(notice),
            "effective": long_date(notice + timedelta(weeks=weeks)),
            "weeks": weeks,
            "cweeks": rng.choice((4, 6, 6, 8)),
            "pct": rng.choice((15, 20, 25, 30, 40, 50)),
            "days": rng.choice((45, 60, 75, 90)),
            "service": service,
            "service_title": service[0].upper() + service[1:],
        }

    def _notes(
        self, raised: date, dated: list[Step], words: dict
    ) -> dict[date, tuple[Action, ...]]:
        """A note in the gap after the case was logged and after each step that opens a
        stage, keyed by the day the gap starts; the officer's acknowledgement note comes
        with the acknowledgement it records."""
        rng = self.rng
        ends = [day for *_, day in dated] + [ANCHOR]
        gaps = [(raised, ends[0], State.RAISED)]
        gaps += [(day, end, to) for (_, _, to, day), end in zip(dated, ends[1:], strict=True)]
        notes = {}
        for start, end, stage in gaps:
            if stage is State.RAISED and rng.random() < 0.4:
                text, actor = ACKNOWLEDGEMENT_NOTE, self.officer
            elif stage is State.LOCAL_CONCILIATION:
                text, actor = rng.choice(CONCILIATION_NOTES), self.officer
            elif stage is State.REGIONAL_MEDIATION:
                text, actor = rng.choice(MEDIATION_NOTES), MEDIATOR_EMAIL
            else:
                continue
            day = between(rng, start, end)
            if day:
                text = text.format(day=long_date(day), **words)
                note = Action(ActionKind.NOTE, at(day, rng), actor, text=text)
                notes[start] = (note,)
                if stage is State.RAISED and actor is not None:
                    acknowledged = Action(
                        ActionKind.ACKNOWLEDGE,
                        note.moment - ONE_MINUTE,
                        actor,
                        with_letter=self.code in LETTER_COMPACTS,
                    )
                    notes[start] = (acknowledged, note)
        return notes

    def _transition(
        self, step: Step, scenario: Scenario, words: dict, amount: int | None
    ) -> Action:
        """The step's transition with the reason (and, resolving, the outcome) entered."""
        rng = self.rng
        event, from_state, _, day = step
        outcome = None
        if event is Event.RESOLVE:
            reason = rng.choice(scenario.outcomes).format(**words)
            reason, values = outcome_values(self.outcome_rng, reason, from_state, amount)
            outcome = outcome_draft(values)
        elif event is Event.WITHDRAW:
            reason = rng.choice(WITHDRAW_REASONS)
        elif event is Event.ESCALATE and from_state is State.RAISED:
            reason = ESCALATE_REGIONAL if scenario.body else ESCALATE_HOST
        elif event is Event.ESCALATE:
            reason = rng.choice(ESCALATE_FROM_LOCAL)
        else:
            reason = ""
        actor = MEDIATOR_EMAIL if from_state is State.REGIONAL_MEDIATION else self.officer
        return Action(
            ActionKind.EVENT,
            at(day, rng),
            actor,
            event=event,
            text=reason.format(**words),
            outcome=outcome,
        )

"""Benchmark: the dispute machine, against a plain dict lookup and a machine built per call.

Run: make bench (or PYTHONPATH=. .venv/bin/python bench/bench_dispute.py)
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from transitions import Machine

from bench.record import record
from workflows import dispute
from workflows.dispute import CaseSnapshot, EventRequest, State
from workflows.outcomes import OutcomeDraft

N = 100_000
TODAY = date(2026, 11, 28)


def best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    rng = random.Random(1)
    snapshots = []
    for _ in range(N):
        state = rng.choice(list(State))
        closed = not state.is_open
        snapshots.append(
            CaseSnapshot(
                state=state,
                previous_state=State.LOCAL_CONCILIATION if closed else None,
                closed_on=TODAY - timedelta(days=rng.randint(0, 200)) if closed else None,
            )
        )
    outcome = OutcomeDraft(
        level="before_conciliation",
        outcome_type="agreement_reached",
        breach_found="no",
        agreed_actions="Agreed",
        learning="Talk early",
        learning_shareable="no",
    )
    request = EventRequest(today=TODAY, reason="Because", outcome=outcome)
    floor_table = {
        s: dispute.allowed_events(CaseSnapshot(s, State.RAISED, TODAY), TODAY) for s in State
    }

    def floor():
        for s in snapshots:
            floor_table[s.state]

    def allowed():
        for s in snapshots:
            dispute.allowed_events(s, TODAY)

    def fire():
        for s in snapshots:
            events = dispute.allowed_events(s, TODAY)
            if events:
                dispute.fire(s, events[0].value, request)

    def machine_per_call():
        for _ in snapshots[: N // 20]:
            Machine(
                model=None,
                states=[x.value for x in State],
                transitions=[
                    {
                        "trigger": "resolve",
                        "source": ["raised", "local_conciliation"],
                        "dest": "resolved",
                    }
                ],
                auto_transitions=False,
                initial=None,
            )

    t_floor = best_of(5, floor)
    t_allowed = best_of(5, allowed)
    t_fire = best_of(3, fire)
    t_build = best_of(3, machine_per_call) * 20
    print(f"{N:,} cases")
    report("floor (dict lookup of allowed events)", t_floor, t_floor)
    report("allowed_events", t_allowed, t_floor)
    report("allowed_events + fire (shared machine)", t_fire, t_floor)
    report("building a Machine per call", t_build, t_floor)


def report(label: str, seconds: float, floor: float) -> None:
    print(f"{label:<42} {N / seconds:>12,.0f}/s  ratio {seconds / floor:6.1f}")
    record("dispute", label, seconds, floor, f"{N:,} cases, {N / seconds:,.0f}/s")


if __name__ == "__main__":
    main()

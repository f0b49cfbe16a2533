"""Benchmark of workflows.periods: funding-notice verdicts and working-day due dates per second.

Run as ``.venv/bin/python bench/bench_periods.py [--n 200000] [--check]``. Each timing is the
best of several runs over the same seeded random inputs, and is also given as a ratio to a floor
measured in the same run: plain ``date + timedelta`` over the same dates, the least any date
rule could cost. The ratio is what to compare between machines; the rates are for this one.
``--check`` exits non-zero when verdicts fall below the 200 000 a second the design asks for.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

VERDICTS_PER_SECOND_TARGET = 200_000


def best_of(repeats: int, run: Callable[[], None]) -> float:
    """Fastest wall time of ``repeats`` runs: the least disturbed by other work on the machine."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="inputs per timing")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--check", action="store_true", help="fail below the verdict target")
    args = parser.parse_args()

    # Run from anywhere: the project root holds the workflows package.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.record import record
    from workflows.periods import MONTHS, WORKING_DAYS, Pause, Period, bank_holidays, due_date
    from workflows.verdicts import check_funding_notice

    started = time.perf_counter()
    bank_holidays()
    build_ms = (time.perf_counter() - started) * 1000

    rng = random.Random(args.seed)
    first = date(2000, 1, 1).toordinal()
    notices = [date.fromordinal(first + rng.randrange(36_400)) for _ in range(args.n)]
    # Up to ~6 months after notice, so about half the verdicts are short of 3 months.
    pairs = [(d, d + timedelta(days=rng.randrange(200))) for d in notices]
    pauses = []
    for d in notices:
        spans = []
        for _ in range(rng.randint(1, 3)):
            lo = d + timedelta(days=rng.randrange(40))
            spans.append(Pause(lo, lo + timedelta(days=rng.randrange(1, 15))))
        pauses.append(spans)
    three_months = Period(3, MONTHS)
    twenty_working_days = Period(20, WORKING_DAYS)
    delta = timedelta(days=91)

    def floor() -> None:
        for notice, _effective in pairs:
            notice + delta

    def verdicts() -> None:
        for notice, effective in pairs:
            check_funding_notice(notice, effective, three_months)

    def working_days() -> None:
        for notice in notices:
            due_date(notice, twenty_working_days)

    def working_days_paused() -> None:
        for notice, spans in zip(notices, pauses, strict=True):
            due_date(notice, twenty_working_days, spans)

    n = args.n
    floor_s = best_of(args.repeats, floor)
    rows = [
        ("check_funding_notice, 3 months", best_of(args.repeats, verdicts)),
        ("due_date, 20 working days", best_of(args.repeats, working_days)),
        ("due_date, 20 working days, 1-3 pauses", best_of(args.repeats, working_days_paused)),
    ]

    print(f"workflows.periods over {n:,} random dates (best of {args.repeats})")
    print(f"  working-day calendar built once in {build_ms:.0f} ms")
    print(f"  {'floor: date + timedelta':<40} {n / floor_s:>12,.0f} /s  ratio    1.0")
    for name, seconds in rows:
        print(f"  {name:<40} {n / seconds:>12,.0f} /s  ratio {seconds / floor_s:>6.1f}")
        record("periods", name, seconds, floor_s, f"{n:,} dates, {n / seconds:,.0f}/s")
    rate = n / rows[0][1]
    met = rate >= VERDICTS_PER_SECOND_TARGET
    print(f"  target {VERDICTS_PER_SECOND_TARGET:,} verdicts/s: {'met' if met else 'NOT met'}")
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())

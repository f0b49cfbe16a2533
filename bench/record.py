"""One table for `make bench`: each benchmark adds its rows here, `bench/summary.py` prints them.

A row is (benchmark, scenario, service seconds, floor seconds, note). When BENCH_RECORD names a
file, `record` appends the row to it as a JSON line; otherwise it does nothing, so a script
run by hand prints only its own table.
"""

from __future__ import annotations

import json
import os


def record(bench: str, scenario: str, service: float, floor: float, note: str = "") -> None:
    path = os.environ.get("BENCH_RECORD")
    if not path:
        return
    row = {"bench": bench, "scenario": scenario, "service": service, "floor": floor, "note": note}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(row) + "\n")

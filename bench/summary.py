"""Print every row the benchmarks of one `make bench` recorded (see `bench/record.py`) as one
table of service, floor and ratio.

Run: PYTHONPATH=. .venv/bin/python bench/summary.py FILE
"""

from __future__ import annotations

import json
import sys


def _time(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def main(path: str) -> None:
    with open(path, encoding="utf-8") as rows:
        found = [json.loads(line) for line in rows if line.strip()]
    print()
    print(f"{'benchmark':<13} {'scenario':<40} {'service':>12} {'floor':>12} {'ratio':>7}  note")
    for row in found:
        service, floor = row["service"], row["floor"]
        ratio = f"{service / floor:7.2f}" if floor else "      -"
        print(
            f"{row['bench']:<13} {row['scenario'][:40]:<40} {_time(service):>12}"
            f" {_time(floor) if floor else '-':>12} {ratio}  {row['note']}"
        )


if __name__ == "__main__":
    main(sys.argv[1])

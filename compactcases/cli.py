"""`flask` commands: demo data."""

from __future__ import annotations

import time

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data for the West Midlands region.")


@demo_cli.command("seed")
@click.option(
    "--cases",
    type=click.IntRange(min=1),
    default=None,
    help="Add this many generated cases (for benchmarks) instead of the standard demo set.",
)
def seed_command(cases: int | None) -> None:
    """Load the demo region, Compacts, organisations, users and cases. Safe to run again."""
    from .demo import seed

    started = time.perf_counter()
    if cases:
        with click.progressbar(length=cases, label="Adding cases") as bar:
            done = 0

            def progress(added: int, total: int) -> None:
                nonlocal done
                bar.update(added - done)
                done = added

            report = seed(cases=cases, progress=progress)
    else:
        report = seed()
    click.echo(
        f"Demo data ready: {report.regions} region, {report.compacts} Compacts, "
        f"{report.organisations} organisations, {report.users} users; "
        f"{report.cases_added} cases added in {time.perf_counter() - started:.1f}s."
    )


def register(app: Flask) -> None:
    app.cli.add_command(demo_cli)

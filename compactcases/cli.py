"""`flask` commands: demo data, user accounts, the reminder sweep and bank holidays."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from workflows.bank_holidays import Override

from . import bank_holidays as holidays_in_force
from . import localtime
from .admin import bank_holidays as holiday_admin
from .admin import services
from .demo import demo_accounts, demo_password, seed, set_demo_passwords
from .imports.reading import MAX_BYTES
from .imports.services import Summary, run_import
from .models import ImportKind, Role
from .reminders.sending import sweep
from .subscriptions import mailing
from .webhooks import delivery

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
    started = time.perf_counter()
    holidays_in_force.bring_up_to_date()
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
    password = demo_password(Path(current_app.instance_path) / "demo-password.txt")
    set_demo_passwords(password, current_app.config["PASSWORD_HASH_METHOD"])
    click.echo(
        f"Demo data ready: {report.regions} region, {report.compacts} Compacts, "
        f"{report.organisations} organisations, {report.users} users; "
        f"{report.cases_added} cases added in {time.perf_counter() - started:.1f}s."
    )


@demo_cli.command("accounts")
def accounts_command() -> None:
    """List the demo accounts, one for each role, and their password."""
    path = Path(current_app.instance_path) / "demo-password.txt"
    users = demo_accounts()
    if not users or not path.exists():
        click.echo("No demo accounts yet: run `flask --app app demo seed`.")
        return
    click.echo(f"Sign in with one of these demo accounts (password: {path.read_text().strip()}):")
    for user in users:
        scope = user.organisation or user.compact or user.region
        where = f", {scope.name}" if scope else ""
        click.echo(f"  {user.email:<26} {user.role.label}{where}")


users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--compact", "compact_code", help="The officer's Compact code, e.g. BIR.")
@click.option("--region", "region_code", help="The mediator's or viewer's region code, e.g. WM.")
@click.option(
    "--organisation",
    "organisation_name",
    help="The organisation of a funder or organisation user (its name).",
)
@click.option(
    "--lead-mediator",
    is_flag=True,
    help="A mediator who assigns and reassigns the region's escalated cases.",
)
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (so it never appears in the shell history).",
)
def create_user_command(
    email, name, role, compact_code, region_code, organisation_name, lead_mediator, password_stdin
) -> None:
    """Create an account that can sign in."""
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = services.create_user(
            services.NewUser(
                email=email,
                name=name,
                role=Role(role),
                password=password,
                compact_code=compact_code,
                region_code=region_code,
                organisation_name=organisation_name,
                lead_mediator=lead_mediator,
            )
        )
    except services.AdminError as error:
        raise click.UsageError(f"--{error.field}: {error.message}") from None
    click.echo(f"Created {user.role.label.lower()} {user.name} <{user.email}>.")


@users_cli.command("deactivate")
@click.option("--email", required=True)
def deactivate_user_command(email: str) -> None:
    """Stop an account signing in; its open sessions end at their next request."""
    user = services.find_user(email)
    if user is None:
        raise click.UsageError(f"There is no account for {email}")
    services.set_active(user, False)
    click.echo(f"Deactivated {user.name} <{user.email}>.")


reminders_cli = AppGroup("reminders", help="Deadline reminders.")


@reminders_cli.command("run")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help=(
        "Run the sweep as of this date (YYYY-MM-DD), as if at REMINDER_SEND_HOUR on it, "
        "instead of now in London."
    ),
)
def reminders_run_command(today) -> None:
    """One sweep: plan reminders from open deadlines, then send the due ones. Safe to run from
    cron beside servers that run their own scheduler."""
    report = sweep(today.date() if today else None)
    click.echo(
        f"Planned {report.planned} reminders, moved {report.moved}, cancelled {report.cancelled}."
    )
    click.echo(
        f"Sent {report.sent_email} by e-mail and {report.sent_inbox} to inboxes; "
        f"{report.retrying} will be retried, {report.failed} failed."
    )
    delivered = delivery.sweep()
    click.echo(
        f"Webhooks: {delivered.delivered} delivered, {delivered.retrying} will be retried, "
        f"{delivered.failed} failed."
    )
    mailed = mailing.sweep(today.date() if today else localtime.today())
    click.echo(f"Report e-mails: {mailed.sent} sent, {mailed.failed} failed.")


@reminders_cli.command("serve")
def reminders_serve_command() -> None:
    """Run the reminder sweep on its timer in this one process, until stopped: at start-up,
    then every REMINDER_SWEEP_MINUTES. Use it with SCHEDULER_ENABLED=false on the web
    servers."""
    from flask import current_app

    from .reminders import jobs

    click.echo(
        f"Sweeping reminders every {current_app.config['REMINDER_SWEEP_MINUTES']} minutes; "
        "stop with Ctrl+C or SIGTERM."
    )
    jobs.serve_forever(current_app._get_current_object())


holidays_cli = AppGroup(
    "bank-holidays", help="England's bank holidays, as working days count them."
)


@holidays_cli.command("list")
@click.option("--year", type=click.IntRange(2000, 2100), default=None, help="Default: this year.")
def holidays_list_command(year: int | None) -> None:
    """The year's bank holidays in force, and the published ones removed."""
    year = year or localtime.today().year
    for row in holiday_admin.year_rows(year):
        reason = f"  ({row.reason})" if row.reason else ""
        click.echo(f"{row.day.isoformat()}  {row.day:%A}  {row.status}{reason}")


def _change_day(day, change: Override, reason: str) -> None:
    try:
        result = holiday_admin.change_day(day.date(), change, reason, None, localtime.today())
    except holiday_admin.HolidayRefused as error:
        raise click.ClickException(" ".join(error.field_errors.values())) from None
    moved = result.deadlines_moved
    click.echo(f"{result.day.isoformat()} {change.value}; {moved} open deadlines moved.")


@holidays_cli.command("add")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--reason", required=True, help="Why, e.g. the announcement.")
def holidays_add_command(day, reason: str) -> None:
    """Add a one-off bank holiday (or the new date of a moved one)."""
    _change_day(day, Override.ADDED, reason)


@holidays_cli.command("remove")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
@click.option("--reason", required=True, help="Why, e.g. the holiday moved.")
def holidays_remove_command(day, reason: str) -> None:
    """Remove a bank holiday (the old date of a moved one, or a day added by mistake)."""
    _change_day(day, Override.REMOVED, reason)


class ImportProgress:
    """Rows done, rows a second and the time left, on one line of standard error."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0
        width = 30
        filled = width * done // max(total, 1)
        click.echo(
            f"\r[{'#' * filled}{'-' * (width - filled)}] {done:,}/{total:,} rows  "
            f"{rate:,.0f} rows/s  {left:,.0f}s left ",
            nl=done >= total,
            err=True,
        )


@click.command("import")
@click.argument("kind", type=click.Choice([k.value for k in ImportKind]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Check every row and say what would change; write nothing."
)
@click.option(
    "--compact",
    metavar="CODE",
    help="Import into this Compact; rows may leave the compact column blank.",
)
@click.option(
    "--valid-rows", is_flag=True, help="Import the valid rows even if others have errors."
)
def import_command(
    kind: str, file: Path, dry_run: bool, compact: str | None, valid_rows: bool
) -> None:
    """Import KIND (cases, notices, agreements or organisations) from FILE, a CSV or XLSX."""
    with file.open("rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    summary = run_import(
        ImportKind(kind),
        file.name,
        content,
        None,
        compact=compact,
        dry_run=dry_run,
        valid_rows=valid_rows,
        progress=ImportProgress(),
    )
    for line in summary_lines(summary, dry_run=dry_run):
        click.echo(line)
    if summary.file_error or (summary.errors and not summary.written):
        sys.exit(1)


def summary_lines(summary: Summary, *, dry_run: bool) -> list[str]:
    if summary.file_error:
        return [f"{summary.filename}: {summary.file_error}. Nothing was imported."]
    verb = "would be" if not summary.written else "were"
    lines = [
        f"{summary.filename}: {summary.rows:,} rows. {summary.created:,} {verb} created, "
        f"{summary.updated:,} {verb} updated, {summary.unchanged:,} unchanged; "
        f"{len(summary.errors):,} errors."
    ]
    lines += [f"  row {e.row}, {e.column}: {e.message}" for e in summary.errors]
    if dry_run:
        lines.append("Dry run: nothing was written.")
    elif not summary.written:
        lines.append(
            "Nothing was imported: correct the errors, or import the valid rows with --valid-rows."
        )
    return lines


def register(app: Flask) -> None:
    app.cli.add_command(import_command)
    app.cli.add_command(holidays_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(reminders_cli)

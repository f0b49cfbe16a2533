"""The reminder sweep on a timer: an APScheduler BackgroundScheduler in the processes that
serve (each `flask run`, each gunicorn worker through gunicorn.conf.py), or in one
`flask reminders serve` process; never as a side effect of `create_app()` in a script.

APScheduler only supplies the timer. Each process keeps its own interval job in memory (the
default MemoryJobStore; a job store must never be shared between schedulers). Running the job
in every gunicorn worker or host is safe because a sweep only sends the reminder rows it has
claimed (see `sending`). The job runs once at start-up, so a server that was down catches up,
then every REMINDER_SWEEP_MINUTES; runs missed while the process was busy are coalesced into
one, and never two at once in a process.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import threading
from datetime import UTC, datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from flask.cli import get_debug_flag

from .. import localtime
from ..subscriptions import mailing
from ..webhooks import delivery
from .sending import sweep

log = logging.getLogger("compactcases.reminders")

JOB_ID = "reminders-sweep"


def run_sweep(app: Flask) -> None:
    """One pass of the timer: reminders, then webhook deliveries, then report e-mails; each
    in its own try, so one failing does not hold up the others."""
    with app.app_context():
        try:
            report = sweep()
        except Exception:
            log.exception("Reminder sweep failed")
        else:
            busy = report.sent + report.sent_invitations + report.planned
            if busy or report.failed or report.retrying:
                log.info("Reminder sweep: %s", report.summary())
        integrations_sweep()


def integrations_sweep() -> None:
    """Send the webhook deliveries and report e-mails that are due."""
    try:
        delivered = delivery.sweep()
    except Exception:
        log.exception("Webhook sweep failed")
    else:
        if delivered.delivered or delivered.retrying or delivered.failed:
            log.info("Webhook sweep: %s", delivered)
    try:
        mailed = mailing.sweep(localtime.today())
    except Exception:
        log.exception("Report e-mail sweep failed")
    else:
        if mailed.sent or mailed.failed or mailed.retrying:
            log.info("Report e-mail sweep: %s", mailed)


def start_scheduler(app: Flask) -> BackgroundScheduler:
    """Start this process's timer for the sweep; stopped when the process exits."""
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        run_sweep,
        "interval",
        args=[app],
        id=JOB_ID,
        minutes=app.config["REMINDER_SWEEP_MINUTES"],
        next_run_time=datetime.now(UTC),  # once at start-up
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    scheduler.start()
    atexit.register(lambda: scheduler.running and scheduler.shutdown(wait=False))
    app.extensions["reminder_scheduler"] = scheduler
    log.info("Reminder scheduler started: every %s minutes", app.config["REMINDER_SWEEP_MINUTES"])
    return scheduler


def serving() -> bool:
    """Whether this process is `flask run` serving requests (in the reloader's child, not the
    process that watches files). Not any other `flask` command (db upgrade, demo seed,
    reminders run, ...), and not a script or test that merely calls `create_app()`: gunicorn
    workers start their timer from gunicorn.conf.py instead."""
    context = click.get_current_context(silent=True)
    if context is None or context.command.name != "run":
        return False
    reload = context.params.get("reload")
    if reload is None:
        reload = get_debug_flag()
    return not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


def start_if_enabled(app: Flask) -> BackgroundScheduler | None:
    """Start this process's timer unless SCHEDULER_ENABLED is off or it already runs."""
    if not app.config.get("SCHEDULER_ENABLED") or app.testing:
        return None
    return app.extensions.get("reminder_scheduler") or start_scheduler(app)


def init_app(app: Flask) -> None:
    if serving():
        start_if_enabled(app)


def serve_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Run only the timer, in the foreground, until SIGTERM or SIGINT (`flask reminders
    serve`): for deployments whose web processes run with SCHEDULER_ENABLED=false."""
    stop = stop or threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = start_scheduler(app)
    try:
        stop.wait()
    finally:
        scheduler.shutdown(wait=True)

"""Exactly once with several workers: four sweeps at once, each in its own thread with its own
application context and database connection, over 1 000 due reminders, on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.models import (
    Case,
    Deadline,
    Reminder,
    ReminderStatus,
    Side,
)
from compactcases.reminders.planning import plan_due
from compactcases.reminders.sending import SweepReport, sweep
from tests.conftest import ON_POSTGRES
from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import State
from workflows.periods import WORKING_DAYS

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sweeps need PostgreSQL"),
]

TODAY = date(2026, 10, 12)
DEADLINES = 1000
SWEEPERS = 4


def _open_deadlines_due_today(db, world, count: int) -> None:
    """`count` cases, each with an acknowledge deadline due today, written in bulk."""
    cases = db.session.execute(
        sa.insert(Case).returning(Case.id),
        [
            {
                "reference": f"BIR-2026-{n:04d}",
                "compact_id": world.bir.id,
                "title": f"Dispute {n}",
                "summary": "Generated",
                "funder_id": world.council.id,
                "third_sector_id": world.youth.id,
                "raised_by": Side.THIRD_SECTOR,
                "state": State.RAISED,
                "officer_id": world.officer.id,
                "raised_on": date(2026, 10, 5),
                "version": 1,
            }
            for n in range(1, count + 1)
        ],
    ).scalars()
    db.session.execute(
        sa.insert(Deadline),
        [
            {
                "case_id": case_id,
                "kind": DeadlineKind.ACKNOWLEDGE,
                "rule": "acknowledge",
                "starts_on": date(2026, 10, 5),
                "period_count": 5,
                "period_unit": WORKING_DAYS,
                "extended_by": 0,
                "due_on": TODAY,
                "status": DeadlineStatus.OPEN,
            }
            for case_id in cases
        ],
    )
    db.session.commit()


def test_four_sweeps_at_once_send_each_of_1000_reminders_exactly_once(
    app, db, world, smtp, monkeypatch
):
    # One reminder per deadline today: the due day's, by e-mail only.
    monkeypatch.setitem(app.config, "REMINDER_OFFSETS", "0")
    monkeypatch.setitem(app.config, "REMINDER_CHANNELS", "email")
    monkeypatch.setitem(app.config, "REMINDER_BATCH_SIZE", 50)
    _open_deadlines_due_today(db, world, DEADLINES)
    # Planned beforehand, so that the four sweeps race for the same due rows (left to them,
    # they would share the planning, each batch planned by one of them).
    plan_due(TODAY)
    db.session.commit()

    start = threading.Barrier(SWEEPERS)
    reports: list[SweepReport] = []
    errors: list[BaseException] = []

    def sweeper() -> None:
        try:
            with app.app_context():
                start.wait()
                reports.append(sweep(TODAY))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=sweeper) for _ in range(SWEEPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    messages = smtp.messages
    received = Counter(m["Message-ID"] for m in messages)
    rows = Counter(db.session.scalars(sa.select(Reminder.status).where(Reminder.offset_days == 0)))
    print(
        f"\nexactly-once: {len(messages)} messages received, "
        f"{len(received)} distinct, {sum(n - 1 for n in received.values())} duplicates; "
        f"{rows[ReminderStatus.SENT]} rows sent; per sweeper "
        f"{sorted(r.sent_email for r in reports)}"
    )
    assert len(messages) == DEADLINES
    assert len(received) == DEADLINES
    assert rows == {ReminderStatus.SENT: DEADLINES}
    assert sum(r.sent_email for r in reports) == DEADLINES
    # Planned once whoever planned: the due day's and the first overdue repeat, per deadline.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 2 * DEADLINES

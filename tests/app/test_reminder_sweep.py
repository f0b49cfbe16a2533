"""The sweep plans only what is due for planning: a steady sweep reads no deadline but through
the `plan_on` index, an overdue repeat still goes out on its day, a rule change or deadlines
written in bulk are planned by the next sweep, and on SQLite a request's write waits for one
planning batch at most, never for the whole sweep."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from compactcases import create_app
from compactcases.admin import rule_set_rows as admin_rules
from compactcases.config import TestConfig
from compactcases.extensions import db as _db
from compactcases.localtime import LONDON
from compactcases.models import (
    PLAN_AT_NEXT_SWEEP,
    Case,
    Deadline,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    Side,
)
from compactcases.reminders import planning
from compactcases.reminders.sending import sweep
from tests.conftest import ON_POSTGRES, World, counting_statements
from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import State
from workflows.periods import WORKING_DAYS, Period

# Raised Monday 5 October 2026, acknowledge by Monday 12 October; overdue repeats every 5
# working days: 19 October, 26 October, 2 November...
RAISED = date(2026, 10, 5)
DUE = date(2026, 10, 12)


@pytest.fixture
def on_day():
    """Move the clock to 9 in the morning of a day."""
    travellers = []

    def travel(day: date) -> None:
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(
            datetime(day.year, day.month, day.day, 9, tzinfo=LONDON), tick=False
        )
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


def bulk_cases(world: World, count: int, due_on: date, compact=None) -> list[int]:
    """`count` cases, each with an open acknowledge deadline, inserted as rows: no planning."""
    compact = compact or world.bir
    cases = _db.session.execute(
        sa.insert(Case).returning(Case.id),
        [
            {
                "reference": f"{compact.code}-2026-{n:04d}",
                "compact_id": compact.id,
                "title": f"Dispute {n}",
                "summary": "Written in bulk",
                "funder_id": world.council.id,
                "third_sector_id": world.youth.id,
                "raised_by": Side.THIRD_SECTOR,
                "state": State.RAISED,
                "officer_id": (world.officer if compact is world.bir else world.officer_war).id,
                "raised_on": RAISED,
                "version": 1,
            }
            for n in range(1, count + 1)
        ],
    ).scalars()
    ids = _db.session.execute(
        sa.insert(Deadline).returning(Deadline.id),
        [
            {
                "case_id": case_id,
                "kind": DeadlineKind.ACKNOWLEDGE,
                "rule": "acknowledge",
                "starts_on": RAISED,
                "period_count": 5,
                "period_unit": WORKING_DAYS,
                "extended_by": 0,
                "due_on": due_on,
                "status": DeadlineStatus.OPEN,
            }
            for case_id in cases
        ],
    ).scalars()
    ids = list(ids)
    _db.session.commit()
    return ids


def plan_on(deadline_id: int) -> date | None:
    _db.session.expire_all()
    return _db.session.get(Deadline, deadline_id).plan_on


def test_a_steady_sweep_plans_nothing_and_reads_deadlines_only_through_the_index(
    app, db, world, make_case, on_day
):
    on_day(RAISED)
    case = make_case(raised_on=RAISED)
    [deadline] = case.deadlines
    assert plan_on(deadline.id) == date(2026, 10, 19)  # its first overdue repeat
    on_day(date(2026, 10, 6))
    with counting_statements(db.engine) as statements:
        report = planning.plan_due(date(2026, 10, 6))
        swept = sweep()
    assert report == planning.PlanReport()
    assert (swept.planned, swept.moved, swept.cancelled, swept.sent) == (0, 0, 0, 0)
    reading_deadlines = [s for s in statements if "FROM deadlines" in s and "reminders" not in s]
    # One query per plan_due, each on the open deadlines whose plan_on has come.
    assert len(reading_deadlines) == 2
    assert all("plan_on <=" in s for s in reading_deadlines)
    assert not [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_an_overdue_deadlines_repeats_go_out_on_their_days(app, db, world, make_case, on_day, smtp):
    on_day(RAISED)
    case = make_case(raised_on=RAISED)
    [deadline] = case.deadlines
    for day in (date(2026, 10, 7), DUE):
        on_day(day)
        sweep()
    on_day(date(2026, 10, 19))
    first = sweep()
    assert first.sent_email == 1
    assert plan_on(deadline.id) == date(2026, 10, 26)  # the next repeat is planned now
    on_day(date(2026, 10, 23))
    assert sweep().sent == 0
    on_day(date(2026, 10, 26))
    assert sweep().sent_email == 1
    assert "10 working days overdue" in smtp.messages[-1]["Subject"]
    assert plan_on(deadline.id) == date(2026, 11, 2)


def test_a_rule_change_re_plans_that_compacts_deadlines_at_the_next_sweep(
    app, db, world, make_case, on_day
):
    on_day(RAISED)
    here = make_case(raised_on=RAISED).deadlines[0].id
    elsewhere = bulk_cases(world, 1, DUE, compact=world.war)[0]
    planning.plan_due(RAISED)
    assert plan_on(here) == plan_on(elsewhere) == date(2026, 10, 19)

    changed = admin_rules.save_rules(world.bir, {"acknowledge": Period(7, WORKING_DAYS)})
    assert changed == ["acknowledge"]
    assert plan_on(here) == PLAN_AT_NEXT_SWEEP
    assert plan_on(elsewhere) == date(2026, 10, 19)
    report = planning.plan_due(date(2026, 10, 6))
    assert report.deadlines == 1
    assert plan_on(here) == date(2026, 10, 19)


def test_deadlines_written_in_bulk_get_their_reminders_at_the_next_sweep(
    app, db, world, on_day, smtp
):
    on_day(date(2026, 10, 7))
    ids = bulk_cases(world, 3, DUE)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Reminder)) == 0
    assert {plan_on(i) for i in ids} == {PLAN_AT_NEXT_SWEEP}
    report = sweep()
    # Each: 3 working days before (today, sent now), the due day and the first repeat.
    assert report.planned == 3 * 3 * len(ReminderChannel)
    assert report.sent_email == 3
    assert {plan_on(i) for i in ids} == {date(2026, 10, 19)}
    assert sweep().planned == 0
    statuses = db.session.scalars(sa.select(Reminder.status).where(Reminder.offset_days == 3))
    assert set(statuses) == {ReminderStatus.SENT}


def test_a_deactivated_person_is_no_longer_reminded_after_the_next_sweep(
    app, db, world, make_case, on_day
):
    from compactcases.admin import services as admin

    on_day(RAISED)
    make_case(raised_on=RAISED)
    admin.set_active(world.officer, False)
    planning.plan_due(RAISED)
    planned = db.session.scalars(
        sa.select(Reminder.status).where(Reminder.recipient_id == world.officer.id)
    )
    assert set(planned) == {ReminderStatus.CANCELLED}


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's single writer; PostgreSQL locks rows")
def test_on_sqlite_a_write_during_a_sweep_waits_for_one_batch_not_the_sweep(tmp_path, monkeypatch):
    path = tmp_path / "sweep.db"

    class Config(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    app = create_app(Config)
    with app.app_context():
        _db.create_all()
        world = World(_db)
        bulk_cases(world, 800, DUE)
        admin_id = world.admin.id
        monkeypatch.setattr(planning, "PLANNING_BATCH", 20)
        events: list[str] = []
        waited: list[float] = []

        def write_from_a_request() -> None:
            started = time.monotonic()
            connection = sqlite3.connect(path, timeout=5)
            connection.execute("UPDATE users SET name = name WHERE id = ?", (admin_id,))
            connection.commit()
            connection.close()
            waited.append(time.monotonic() - started)
            events.append("written")

        writer = threading.Thread(target=write_from_a_request)
        take_batch = planning._take_batch

        def take_and_hold(today, batch):
            ids = take_batch(today, batch)
            events.append("batch")
            if len(events) == 1:
                writer.start()  # asks for the write lock while this batch holds it
            time.sleep(0.05)
            return ids

        monkeypatch.setattr(planning, "_take_batch", take_and_hold)
        report = planning.plan_due(date(2026, 10, 7))
        writer.join(10)
        _db.session.remove()
        _db.engine.dispose()
    assert report.deadlines == 800
    assert waited and waited[0] < 1
    # The write went in between two batches, long before the sweep's last one.
    assert events.index("written") < events.count("batch")

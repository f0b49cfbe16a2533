"""Administration → bank holidays: the days in force for a year, a day added or removed with
its reason, open deadlines moved and their reminders planned again, in every process.

Dates by hand: Monday 5 October 2026 + 5 working days is Monday 12 October; with Thursday
8 October a bank holiday it is Tuesday 13 October.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from compactcases import bank_holidays as in_force
from compactcases.admin import bank_holidays as holiday_admin
from compactcases.agreements import services as agreement_services
from compactcases.models import (
    PLAN_AT_NEXT_SWEEP,
    BankHolidayChange,
    BankHolidayOverride,
    CaseEvent,
    CaseEventKind,
    CompactRule,
    Deadline,
    FundingAgreement,
    Reminder,
    ReminderStatus,
)
from compactcases.reminders.sending import sweep
from tests.app.test_agreements import details as agreement_details
from tests.conftest import csrf_token
from workflows import bank_holidays
from workflows.bank_holidays import Override
from workflows.periods import WORKING_DAYS, is_working_day

PAGE = "/admin/bank-holidays"


@pytest.fixture
def admin(anonymous, world):
    anonymous.sign_in(world.admin, stay=True)
    return anonymous


def _change(admin, change: str, day: list[str], reason: str = "Announced by the government"):
    return admin.submit(PAGE, PAGE, {"change": change, "day": day, "reason": reason})


def _acknowledge_due(db, case) -> date:
    db.session.expire_all()
    return db.session.scalar(sa.select(Deadline.due_on).where(Deadline.case_id == case.id))


def test_the_page_lists_the_years_days_in_force(admin):
    html = admin.get(f"{PAGE}?year=2027").get_data(as_text=True)
    assert "Bank holidays in England and Wales, 2027" in html
    assert "Monday 3 May 2027" in html and "Monday 27 December 2027" in html


@time_machine.travel(date(2026, 10, 6), tick=False)
def test_a_day_added_moves_a_cases_deadline_and_its_reminders(admin, make_case, db, world):
    case = make_case(raised_on=date(2026, 10, 5))
    assert _acknowledge_due(db, case) == date(2026, 10, 12)
    sweep(date(2026, 10, 6))
    planned = {r.offset_days: r.send_on for r in db.session.scalars(sa.select(Reminder))}
    # 3 working days before Monday 12 October: Wednesday 7 October.
    assert planned[3] == date(2026, 10, 7)

    response = _change(admin, "added", ["8", "10", "2026"], "A one-off bank holiday")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{PAGE}?year=2026")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "8 October 2026 is now a bank holiday; 1 open deadline moved" in page
    assert "A one-off bank holiday" in page

    assert _acknowledge_due(db, case) == date(2026, 10, 13)
    entry = db.session.scalars(
        sa.select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.EDIT
        )
    ).one()
    assert entry.changes == {"acknowledge": ["12 October 2026", "13 October 2026"]}
    assert entry.reason == "8 October 2026 added to the bank holidays: A one-off bank holiday"
    assert entry.actor_id == world.admin.id
    # The case page shows the new due date and the timeline entry.
    shown = admin.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "13 October 2026" in shown and "A one-off bank holiday" in shown
    # The reminders are planned again at the next sweep: 3 working days before Tuesday 13
    # October, with Thursday 8 a holiday, are Monday 12, Friday 9 and Wednesday 7.
    assert db.session.scalar(sa.select(Deadline.plan_on)) == PLAN_AT_NEXT_SWEEP
    sweep(date(2026, 10, 6))
    db.session.expire_all()
    planned = {
        r.offset_days: r.send_on
        for r in db.session.scalars(
            sa.select(Reminder).where(Reminder.status == ReminderStatus.PLANNED)
        )
    }
    assert planned[3] == date(2026, 10, 7)
    assert planned[0] == date(2026, 10, 13)
    log = db.session.scalars(sa.select(BankHolidayChange)).one()
    assert (log.day, log.change, log.deadlines_moved, log.by_id) == (
        date(2026, 10, 8),
        Override.ADDED,
        1,
        world.admin.id,
    )


def test_removing_a_published_day_and_putting_it_back(admin, db):
    assert _change(admin, "removed", ["3", "5", "2027"], "Moved to Friday 7 May").status_code == 302
    assert is_working_day(date(2027, 5, 3))
    row = db.session.scalars(sa.select(BankHolidayOverride)).one()
    assert (row.day, row.change) == (date(2027, 5, 3), Override.REMOVED)
    page = admin.get(f"{PAGE}?year=2027").get_data(as_text=True)
    assert "Removed: a working day" in page and "Moved to Friday 7 May" in page
    # Put back: the override goes, the log keeps both changes.
    assert _change(admin, "added", ["3", "5", "2027"], "Not moved after all").status_code == 302
    assert not is_working_day(date(2027, 5, 3))
    assert db.session.scalars(sa.select(BankHolidayOverride)).all() == []
    assert db.session.scalar(sa.select(sa.func.count(BankHolidayChange.id))) == 2


def test_another_process_counts_with_a_day_added_at_its_next_request(admin, app, db, world):
    # Another process: its table still has the published days, and it remembers having
    # looked at the stored version.
    in_force.bring_up_to_date()
    assert is_working_day(date(2027, 3, 3))
    # Another process adds the day: only the database knows.
    db.session.add(
        BankHolidayOverride(day=date(2027, 3, 3), change=Override.ADDED, reason="One-off")
    )
    db.session.add(BankHolidayChange(day=date(2027, 3, 3), change=Override.ADDED, reason="One-off"))
    db.session.commit()
    assert is_working_day(date(2027, 3, 3))
    admin.get("/admin/")
    assert not is_working_day(date(2027, 3, 3))


@pytest.mark.parametrize(
    ("change", "day", "reason", "field", "message"),
    [
        (
            "added",
            ["1", "1", "1999"],
            "Why",
            "day",
            "Enter a date from 1 January 2000 to 31 December 2100",
        ),
        (
            "added",
            ["3", "1", "2101"],
            "Why",
            "day",
            "Enter a date from 1 January 2000 to 31 December 2100",
        ),
        ("added", ["3", "3", "2027"], "", "reason", "Enter the reason for the change"),
        ("added", ["3", "3", "2027"], "   ", "reason", "Enter the reason for the change"),
        (
            "added",
            ["27", "12", "2027"],
            "Why",
            "day",
            "Monday 27 December 2027 is already a bank holiday",
        ),
        (
            "removed",
            ["3", "3", "2027"],
            "Why",
            "day",
            "Wednesday 3 March 2027 is not a bank holiday",
        ),
        ("added", ["6", "3", "2027"], "Why", "day", "Saturday 6 March 2027 is a weekend day"),
        ("added", ["31", "2", "2027"], "Why", "day", "Not a valid date value"),
        ("added", ["", "", ""], "Why", "day", "Enter the date as day, month and year"),
        ("", ["3", "3", "2027"], "Why", "change", "Select whether to add or remove the day"),
    ],
)
def test_a_change_that_cannot_be_made_shows_why_and_keeps_what_was_typed(
    admin, db, change, day, reason, field, message
):
    response = _change(admin, change, day, reason)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'href="#{field}' in html  # the error summary links to the field
    assert db.session.scalar(sa.select(sa.func.count(BankHolidayOverride.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(BankHolidayChange.id))) == 0
    if day[2]:
        assert f'value="{day[2]}"' in html


def test_the_service_refuses_the_same_as_the_page(db, world):
    with pytest.raises(holiday_admin.HolidayRefused) as refused:
        holiday_admin.change_day(
            date(2027, 12, 27), Override.ADDED, "Why", world.admin, date(2026, 10, 1)
        )
    assert refused.value.field_errors == {
        "day": "Monday 27 December 2027 is already a bank holiday"
    }
    assert bank_holidays.overrides() == (frozenset(), frozenset())


@pytest.mark.parametrize("user", ["officer", "mediator", "funder", "viewer"])
def test_only_administrators_change_bank_holidays(anonymous, world, db, user):
    anonymous.sign_in(getattr(world, user))
    assert anonymous.get(PAGE).status_code == 403
    token = anonymous.get("/inbox").get_data(as_text=True)
    response = anonymous.post(
        PAGE,
        data={
            "csrf_token": csrf_token(token),
            "change": "added",
            "day": ["3", "3", "2027"],
            "reason": "Why",
        },
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(BankHolidayOverride.id))) == 0
    assert is_working_day(date(2027, 3, 3))


def test_the_command_line_lists_adds_and_removes_days(app, db):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["bank-holidays", "list", "--year", "2027"])
    assert "2027-05-03  Monday  published" in listed.output
    added = runner.invoke(
        args=["bank-holidays", "add", "--date", "2027-03-03", "--reason", "A one-off day"]
    )
    assert added.exit_code == 0, added.output
    assert "2027-03-03 added; 0 open deadlines moved." in added.output
    assert not is_working_day(date(2027, 3, 3))
    again = runner.invoke(args=["bank-holidays", "add", "--date", "2027-03-03", "--reason", "x"])
    assert again.exit_code == 1
    assert "Wednesday 3 March 2027 is already a bank holiday" in again.output
    removed = runner.invoke(
        args=["bank-holidays", "remove", "--date", "2027-05-03", "--reason", "Moved"]
    )
    assert removed.exit_code == 0, removed.output
    listed = runner.invoke(args=["bank-holidays", "list", "--year", "2027"])
    assert "2027-03-03  Wednesday  added  (A one-off day)" in listed.output
    assert "2027-05-03  Monday  removed  (Moved)" in listed.output


@time_machine.travel(date(2026, 10, 6), tick=False)
def test_reminders_far_beyond_the_day_are_left_as_they_are(admin, make_case, db):
    near = make_case(raised_on=date(2026, 10, 5))  # due 12 October 2026
    far = make_case(raised_on=date(2026, 10, 5))
    # Wednesday 3 March 2027 added: the deadline due 12 October 2026 will be overdue then,
    # and its overdue repeats count working days across it; one due 12 October 2028 has all
    # its reminders after it.
    db.session.execute(
        sa.update(Deadline)
        .where(Deadline.case_id == far.id)
        .values(starts_on=date(2028, 10, 5), due_on=date(2028, 10, 12))
    )
    db.session.commit()
    sweep(date(2026, 10, 6))
    assert _change(admin, "added", ["3", "3", "2027"]).status_code == 302
    plan_on = dict(db.session.execute(sa.select(Deadline.case_id, Deadline.plan_on)).all())
    assert plan_on[near.id] == PLAN_AT_NEXT_SWEEP
    assert plan_on[far.id] != PLAN_AT_NEXT_SWEEP


@time_machine.travel(date(2026, 10, 6), tick=False)
def test_a_day_after_the_due_date_moves_the_overdue_reminders(admin, make_case, db):
    case = make_case(raised_on=date(2026, 10, 5))  # due Monday 12 October
    sweep(date(2026, 10, 6))
    # 5 working days overdue: Monday 19 October.
    assert _send_on(db, -5) == date(2026, 10, 19)
    assert _change(admin, "added", ["14", "10", "2026"]).status_code == 302
    assert _acknowledge_due(db, case) == date(2026, 10, 12)  # the deadline stays
    sweep(date(2026, 10, 6))
    # Tuesday 13, Thursday 15, Friday 16, Monday 19, Tuesday 20 October.
    assert _send_on(db, -5) == date(2026, 10, 20)


def _send_on(db, offset: int) -> date:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(Reminder.send_on).where(
            Reminder.offset_days == offset, Reminder.status == ReminderStatus.PLANNED
        )
    ).first()


@time_machine.travel(date(2026, 10, 6), tick=False)
def test_a_day_added_moves_a_funding_agreement_window_counted_in_working_days(admin, db, world):
    # Birmingham gives notice of ending funding 20 working days ahead (not its 3 months).
    db.session.add(
        CompactRule(compact_id=world.bir.id, name="funding_notice", count=20, unit=WORKING_DAYS)
    )
    db.session.commit()
    agreement = agreement_services.create_agreement(
        agreement_details(world, ends_on=date(2026, 11, 30)), world.funder, today=date(2026, 10, 6)
    )
    # Notice given on Monday 2 November 2026 runs 20 working days to Monday 30 November; on
    # Tuesday 3 November it would run to 1 December, too late.
    assert agreement.latest_notice_on == date(2026, 11, 2)

    assert _change(admin, "added", ["16", "11", "2026"]).status_code == 302

    db.session.expire_all()
    moved = db.session.get(FundingAgreement, agreement.id)
    # Monday 16 November no longer counts: notice given on Monday 2 November now runs to
    # 1 December, while notice given on Sunday 1 November runs (from Monday 2 November, the
    # 16th left out) to Monday 30 November. Notice may be given on any day, so that is the last.
    assert moved.latest_notice_on == date(2026, 11, 1)
    assert [d.due_on for d in moved.deadlines if d.status.value == "open"] == [date(2026, 11, 1)]

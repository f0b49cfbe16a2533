"""Reminders of funding agreements' notice windows, end to end at a real SMTP server on
loopback: the ladder sent once per recipient, repeat sweeps, catch-up after downtime, a refused
message retried, nothing sent late, closing a window cancels what is pending, a missed window
alerted once, two sweeps at once on PostgreSQL. Time is moved, never slept."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from compactcases.admin import rule_set_rows
from compactcases.agreements import decisions, services
from compactcases.models import Reminder, ReminderChannel, ReminderStatus
from compactcases.notices import services as notices
from compactcases.reminders import feeds
from compactcases.reminders.sending import sweep
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from tests.conftest import ON_POSTGRES

# Ends 31 March 2027 under Birmingham's 3 months: notice by 31 December 2026. The ladder:
# 5 November (56 days before), 3, 17, 24 and 31 December, and the alert on 1 January 2027.
RECORDED = date(2026, 6, 1)
LAST_DAY = date(2026, 12, 31)


def emails(smtp) -> list[tuple[str, str]]:
    return sorted((m["To"], m["Subject"]) for m in smtp.messages)


def reminders_of(db, **where) -> list[Reminder]:
    db.session.expire_all()
    query = sa.select(Reminder).order_by(Reminder.send_on, Reminder.id)
    for name, value in where.items():
        query = query.where(getattr(Reminder, name) == value)
    return list(db.session.scalars(query))


@pytest.fixture
def agreement(world, travel):  # noqa: F811
    travel(RECORDED)
    return services.create_agreement(
        services.AgreementDetails(
            funder_id=world.council.id,
            organisation_id=world.youth.id,
            compact_id=world.bir.id,
            title="Youth work in Sparkbrook",
            funder_reference="BCC-YW-001",
            annual_value=45000,
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        world.funder,
    )


def test_the_ladder_is_planned_when_the_agreement_is_recorded(db, agreement):
    email = reminders_of(db, channel=ReminderChannel.EMAIL, recipient_id=agreement.created_by_id)
    assert [(r.offset_days, r.send_on) for r in email] == [
        (56, date(2026, 11, 5)),
        (28, date(2026, 12, 3)),
        (14, date(2026, 12, 17)),
        (7, date(2026, 12, 24)),
        (0, LAST_DAY),
        (-1, date(2027, 1, 1)),
    ]


def test_the_funder_and_the_compact_officer_each_get_each_reminder_once(
    db,
    agreement,
    world,
    smtp,
    travel,  # noqa: F811
):
    travel(date(2026, 11, 5))
    report = sweep()
    assert (report.sent_email, report.sent_inbox) == (2, 2)
    assert emails(smtp) == [
        (
            "Andrew Collins <funder.bcc@example.org>",
            "Agreement BCC-YW-001: last day to give notice of ending 31 December 2026 (in 56 days)",
        ),
        (
            "Priya Shah <officer.bir@example.org>",
            "Agreement BCC-YW-001: last day to give notice of ending 31 December 2026 (in 56 days)",
        ),
    ]
    body = smtp.messages[0].get_body(("plain",)).get_content()
    assert f"/funding-agreements/{agreement.id}" in body
    # A second sweep the same day, and one the next day, send nothing new.
    assert sweep().sent == 0
    travel(date(2026, 11, 6))
    assert sweep().sent == 0
    assert len(smtp.messages) == 2


def test_after_downtime_each_reminder_that_fell_due_is_sent_once(
    db,
    agreement,
    smtp,
    travel,  # noqa: F811
):
    # Down from 1 December to 18 December: the reminders of 3 and 17 December go now.
    travel(date(2026, 12, 18))
    report = sweep()
    assert report.sent_email == 2 * 3  # 56, 28 and 14 days before, to two people
    assert sweep().sent == 0
    assert len(smtp.messages) == 6


def test_a_refused_message_is_retried_and_sent_once(db, agreement, smtp, travel):  # noqa: F811
    smtp.refuse_next = 1
    travel(date(2026, 11, 5))
    first = sweep()
    assert (first.sent_email, first.retrying) == (1, 1)
    travel(minutes=2)
    assert sweep().sent_email == 1
    assert sweep().sent == 0
    assert len(smtp.messages) == 2
    assert {r.attempts for r in reminders_of(db, status=ReminderStatus.SENT)} == {0, 1}


def test_a_reminder_whose_day_fell_before_the_agreement_was_recorded_is_not_sent(
    db,
    world,
    smtp,
    travel,  # noqa: F811
):
    travel(date(2026, 12, 20))
    services.create_agreement(
        services.AgreementDetails(
            funder_id=world.council.id,
            organisation_id=world.youth.id,
            compact_id=world.bir.id,
            title="Late recorded",
            funder_reference="BCC-LATE",
            annual_value=1000,
            starts_on=date(2025, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        world.funder,
    )
    report = sweep()
    assert report.sent == 0
    assert {r.offset_days for r in reminders_of(db)} == {7, 0, -1}


def test_a_missed_window_is_alerted_exactly_once(db, agreement, smtp, travel):  # noqa: F811
    travel(LAST_DAY)
    sweep()
    smtp.received.clear()
    travel(date(2027, 1, 1))
    assert sweep().sent_email == 2
    travel(date(2027, 1, 2))
    assert sweep().sent == 0
    travel(date(2027, 2, 1))
    assert sweep().sent == 0
    subjects = {subject for _, subject in emails(smtp)}
    assert subjects == {"Agreement BCC-YW-001: notice window missed (31 December 2026)"}


def test_a_renewal_cancels_the_pending_reminders_and_plans_the_new_window(
    db,
    agreement,
    world,
    smtp,
    travel,  # noqa: F811
):
    travel(date(2026, 11, 5))
    sweep()
    travel(date(2026, 11, 20))
    decisions.record_decision(
        agreement,
        decisions.Decision(decisions.DecisionKind.RENEW, date(2026, 11, 20), date(2028, 3, 31)),
        agreement.version,
        world.funder,
    )
    old = [r for r in reminders_of(db) if r.send_on <= date(2027, 1, 1)]
    assert {r.status for r in old if r.offset_days != 56} == {ReminderStatus.CANCELLED}
    new = reminders_of(db, status=ReminderStatus.PLANNED)
    assert min(r.send_on for r in new) == date(2027, 11, 5)
    travel(date(2026, 12, 31))
    assert sweep().sent == 0


def test_notice_against_the_agreement_cancels_the_pending_reminders(
    db,
    agreement,
    world,
    smtp,
    travel,  # noqa: F811
):
    travel(date(2026, 12, 1))
    notices.create_notice(
        notices.NoticeDetails(
            kind=notices.NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Ending youth work",
            notice_given_on=date(2026, 12, 1),
            effective_on=date(2027, 3, 31),
            agreement_id=agreement.id,
        ),
        world.funder,
    )
    window = [r for r in reminders_of(db) if r.deadline.agreement_id == agreement.id]
    assert {r.status for r in window} == {ReminderStatus.CANCELLED}
    travel(date(2027, 1, 1))
    assert sweep().sent == 0


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sweeps need PostgreSQL")
def test_two_sweeps_at_once_send_each_window_reminder_exactly_once(
    app,
    db,
    world,
    smtp,
    travel,  # noqa: F811
):
    travel(RECORDED)
    for n in range(40):
        services.create_agreement(
            services.AgreementDetails(
                funder_id=world.council.id,
                organisation_id=world.youth.id,
                compact_id=world.bir.id,
                title=f"Agreement {n}",
                funder_reference=f"BCC-{n:03d}",
                annual_value=1000 + n,
                starts_on=date(2024, 4, 1),
                ends_on=date(2027, 3, 31),
            ),
            world.funder,
        )
    travel(date(2026, 11, 5))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweeper() -> None:
        try:
            with app.app_context():
                start.wait()
                sweep(date(2026, 11, 5))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    received = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(smtp.messages) == len(received) == 40 * 2


def test_a_compact_s_own_ladder_replaces_the_default_at_the_next_sweep(
    db,
    agreement,
    world,
    smtp,
    travel,  # noqa: F811
):
    rule_set_rows.save_rules(world.bir, {}, "10")
    travel(date(2026, 12, 21))
    report = sweep()
    assert report.sent_email == 2  # 10 days before: 21 December
    planned = {r.offset_days for r in reminders_of(db, status=ReminderStatus.PLANNED)}
    assert planned == {-1}
    cancelled = {r.offset_days for r in reminders_of(db, status=ReminderStatus.CANCELLED)}
    assert cancelled == {56, 28, 14, 7, 0}


def test_the_calendar_feed_shows_the_window_s_last_day_with_the_ladder_as_alarms(
    db, agreement, world, anonymous
):
    token = feeds.new_feed(world.funder).token
    response = anonymous.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert event.decoded("dtstart") == LAST_DAY
    assert str(event["summary"]) == "Agreement BCC-YW-001: last day to give notice"
    triggers = sorted(a.decoded("trigger") for a in event.walk("VALARM"))
    assert [t.days for t in triggers] == [-56, -28, -14, -7, 0]

"""Report e-mails at a real SMTP server on loopback: one e-mail per person and period with the
headline figures and every report as a CSV, sent on the first working day after the period,
never twice (a second sweep, two sweeps at once on PostgreSQL), and none once unsubscribed."""

from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.models import (
    Compact,
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReminderStatus,
    ReportMailing,
    Tier,
)
from compactcases.reports.queries import REPORTS
from compactcases.subscriptions import mailing, services
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from tests.conftest import ON_POSTGRES
from workflows.report_periods import Frequency

# October 2026's summary goes on Monday 2 November (the 1st is a Sunday).
SUBSCRIBED = date(2026, 10, 15)
SEND_DAY = date(2026, 11, 2)


@pytest.fixture
def october(world, db, make_case, travel):  # noqa: F811
    """Cases raised in October in Birmingham and, outside the West Midlands, Leicester."""
    travel(SUBSCRIBED)
    make_case(raised_on=date(2026, 10, 5))
    make_case(raised_on=date(2026, 10, 7), title="Consultation cut short")
    leicester = Compact(code="LCE", name="Leicester", tier=Tier.UPPER, region=world.other_region)
    council = Organisation(
        name="Leicester City Council",
        kind=OrganisationKind.STATUTORY,
        type=OrganisationType.COUNCIL,
        region=world.other_region,
        compact=leicester,
    )
    db.session.add_all([leicester, council])
    db.session.commit()
    make_case(compact_id=leicester.id, funder_id=council.id, raised_on=date(2026, 10, 6))


def attachments(message) -> dict[str, str]:
    return {
        part.get_filename(): part.get_content()
        for part in message.iter_attachments()
        if part.get_filename()
    }


def test_one_email_with_the_figures_and_the_csvs_on_the_first_working_day(
    world,
    october,
    smtp,
    travel,  # noqa: F811
):
    services.subscribe(world.viewer, Frequency.MONTHLY, SUBSCRIBED)
    assert mailing.sweep(date(2026, 10, 31)).sent == 0
    assert mailing.sweep(date(2026, 11, 1)).sent == 0
    travel(SEND_DAY)
    assert mailing.sweep(SEND_DAY).sent == 1
    [message] = smtp.messages
    assert message["To"] == "James Whitfield <viewer.wm@example.org>"
    assert message["Subject"] == "Compact Cases: the regional summary for October 2026"
    body = message.get_body(("plain",)).get_content()
    assert "1 October 2026 to 31 October 2026" in body
    assert "http://compactcases.test/reports?start=1&start=10&start=2026" in body
    files = attachments(message)
    assert "cases-2026-10-01-to-2026-10-31.csv" in files
    # One CSV for each report on the report pages ("cases" is the first).
    assert len(files) == len(REPORTS)
    cases_csv = files["cases-2026-10-01-to-2026-10-31.csv"]
    # The viewer's region only: Birmingham's two cases, not Leicester's.
    assert "Cases opened,2\r\n" in cases_csv
    assert "Leicester" not in "".join(files.values())
    assert "Cases opened: 2" in body
    # A second sweep that day, and the next day, send nothing more.
    assert mailing.sweep(SEND_DAY).sent == 0
    assert mailing.sweep(date(2026, 11, 3)).sent == 0
    assert len(smtp.messages) == 1


def test_unsubscribing_stops_the_next_one(world, october, smtp, anonymous, travel):  # noqa: F811
    services.subscribe(world.viewer, Frequency.MONTHLY, SUBSCRIBED)
    travel(SEND_DAY)
    assert mailing.sweep(SEND_DAY).sent == 1
    anonymous.sign_in(world.viewer)
    response = anonymous.submit("/report-emails", "/report-emails/stop", {})
    assert response.status_code == 302
    assert mailing.sweep(date(2026, 12, 1)).sent == 0
    assert len(smtp.messages) == 1


def test_a_summary_planned_then_unsubscribed_is_not_sent(db, world, october, smtp):
    services.subscribe(world.viewer, Frequency.MONTHLY, SUBSCRIBED)
    mailing.plan(SEND_DAY)
    services.unsubscribe(world.viewer)
    assert mailing.sweep(SEND_DAY).sent == 0
    assert db.session.scalar(sa.select(ReportMailing.status)) is ReminderStatus.CANCELLED


def test_a_refused_message_is_tried_again_and_sent_once(world, october, smtp, travel):  # noqa: F811
    services.subscribe(world.viewer, Frequency.QUARTERLY, date(2026, 10, 1))
    smtp.refuse_next = 1
    travel(date(2027, 1, 4))
    report = mailing.sweep(date(2027, 1, 4))
    assert (report.sent, report.retrying) == (0, 1)
    travel(minutes=60)
    assert mailing.sweep(date(2027, 1, 4)).sent == 1
    [message] = smtp.messages
    assert "October to December 2026 (Q4)" in message["Subject"]


def test_the_subscription_page(world, anonymous):
    anonymous.sign_in(world.mediator)
    page = anonymous.get("/report-emails")
    assert page.status_code == 200
    response = anonymous.submit("/report-emails", "/report-emails", {})
    assert response.status_code == 422
    assert "Select monthly or quarterly" in response.get_data(as_text=True)
    response = anonymous.submit("/report-emails", "/report-emails", {"frequency": "quarterly"})
    assert response.status_code == 302
    text = anonymous.get("/report-emails").get_data(as_text=True)
    assert "You get the summary quarterly" in text
    assert services.subscription_for(world.mediator).frequency is Frequency.QUARTERLY


def test_funders_and_officers_cannot_subscribe(world, anonymous):
    anonymous.sign_in(world.funder)
    assert anonymous.get("/report-emails").status_code == 403


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sweeps need PostgreSQL")
def test_two_sweeps_at_once_send_each_person_one_email(app, world, october, smtp, travel):  # noqa: F811
    for user in (world.viewer, world.mediator, world.admin, world.mediator_em):
        services.subscribe(user, Frequency.MONTHLY, SUBSCRIBED)
    travel(SEND_DAY)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweeper() -> None:
        try:
            with app.app_context():
                start.wait()
                mailing.sweep(SEND_DAY)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=sweeper) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(m["To"] for m in smtp.messages) == [
        "Claire Bennett <admin@example.org>",
        "James Whitfield <viewer.wm@example.org>",
        "Joan Fisher <mediator.em@example.org>",
        "Margaret O'Neill <mediator.wm@example.org>",
    ]

"""Sending report e-mails: plan one row per subscriber and period once its day has come,
claim the due rows, send each summary and record the result.

Exactly once per person and period, as reminders are (see `reminders.sending`): a mailing row
is unique on (person, frequency, first day of the period), inserted with ``ON CONFLICT DO
NOTHING`` by whichever sweep comes first; a sweep sends only the rows it has claimed
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), and records each
result at once. A failed send is tried again with the reminders' back-off, five times.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from workflows.periods import bank_holidays
from workflows.report_periods import ReportPeriod, due_period

from ..downloads import csv_lines
from ..extensions import db
from ..models import ReminderStatus, ReportMailing, ReportSubscription, User, utcnow
from ..reminders import claims
from ..reminders.mail import Mailer
from ..reports import coverage, queries

log = logging.getLogger("compactcases.reports")


def _insert():
    return (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )


def plan(today: date) -> None:
    """Write the mailing rows due by ``today`` for every active subscriber (those written
    before, by this sweep or another, are left as they are)."""
    holidays = bank_holidays()
    rows = []
    for subscription in db.session.scalars(
        sa.select(ReportSubscription).join(User).where(User.active)
    ):
        period = due_period(subscription.frequency, today, subscription.subscribed_on, holidays)
        if period is not None:
            rows.append(
                {
                    "user_id": subscription.user_id,
                    "frequency": subscription.frequency,
                    "period_start": period.start,
                    "period_end": period.end,
                    "send_on": period.send_on,
                    "status": ReminderStatus.PLANNED,
                    "attempts": 0,
                    "created_at": utcnow(),
                }
            )
    if rows:
        statement = _insert()(ReportMailing.__table__).on_conflict_do_nothing(
            index_elements=["user_id", "frequency", "period_start"]
        )
        db.session.execute(statement, rows)
    db.session.commit()


def claim(today: date, limit: int) -> tuple[str, list[int]]:
    """Claim up to ``limit`` due mailings for this sweep and commit."""
    dialect = db.session.get_bind().dialect.name
    ready = ReportMailing.send_on <= today
    return claims.claim(ReportMailing, ready, (ReportMailing.id,), limit, dialect=dialect)


def _link(period: ReportPeriod) -> str:
    values = {
        "start": [str(period.start.day), str(period.start.month), str(period.start.year)],
        "end": [str(period.end.day), str(period.end.month), str(period.end.year)],
    }
    path = current_app.url_map.bind("localhost").build("reports.overview", values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def summary_email(user: User, period: ReportPeriod, mailing_id: int) -> EmailMessage:
    """The summary for `user`'s scope over `period`: the headline figures in the body, each
    report as a CSV attachment, a link to the report pages."""
    filters = coverage.ReportFilters(start=period.start, end=period.end)
    reports = queries.all_reports(filters, user)
    values = {
        "user": user,
        "period": period,
        "reports": reports,
        "headlines": [(report.title, headlines(report)) for report in reports],
        "link": _link(period),
    }
    email = EmailMessage()
    email["Subject"] = f"Compact Cases: the regional summary for {period.describe()}"
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = f"{user.name} <{user.email}>"
    email["Message-ID"] = f"<report-{mailing_id}@{_domain()}>"
    email.set_content(render_template("subscriptions/email.txt", **values))
    email.add_alternative(render_template("subscriptions/email.html", **values), subtype="html")
    for report in reports:
        rows = [*report.rows, *([report.total] if report.total else [])]
        text = "".join(csv_lines(report.columns, rows))
        filename = f"{report.name}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
        email.add_attachment(text.encode(), maintype="text", subtype="csv", filename=filename)
    return email


def _shown(value) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def headlines(report: queries.Report, most: int = 10) -> list[str]:
    """A report's figures as lines of the e-mail: its total if it has one, else its rows."""
    columns = report.columns[1:]
    rows = [report.total] if report.total else report.rows[:most]
    lines = []
    for label, *values in rows:
        if len(values) == 1:
            lines.append(f"{label}: {_shown(values[0])}")
        else:
            shown = ", ".join(
                f"{c.lower()} {_shown(v)}" for c, v in zip(columns, values, strict=True)
            )
            lines.append(f"{label}: {shown}")
    if not report.total and len(report.rows) > most:
        lines.append(f"and {len(report.rows) - most} more in the attached file")
    return lines


def _domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "compactcases.invalid"


@dataclass
class MailingReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def send_claimed(token: str, ids: list[int], report: MailingReport) -> None:
    rows = db.session.scalars(
        sa.select(ReportMailing)
        .where(ReportMailing.id.in_(ids), ReportMailing.claim_token == token)
        .options(joinedload(ReportMailing.user))
        .order_by(ReportMailing.id)
    ).all()
    mailer = Mailer(current_app.config)
    started = utcnow()
    # Rows not reached by half the stale-claim time go back, so no other sweep takes them
    # back while this one may still send them (as every other outbox does).
    give_back_after = timedelta(minutes=current_app.config["REMINDER_STALE_CLAIM_MINUTES"] / 2)
    try:
        for position, row in enumerate(rows):
            if utcnow() - started > give_back_after:
                claims.release(ReportMailing, token, [r.id for r in rows[position:]])
                break
            period = ReportPeriod(row.frequency, row.period_start, row.period_end, row.send_on)
            try:
                mailer.send(summary_email(row.user, period, row.id))
            except (smtplib.SMTPException, OSError) as error:
                if claims.record_failure(ReportMailing, token, row.id, row.attempts + 1, error):
                    report.failed += 1
                else:
                    report.retrying += 1
                continue
            report.sent += claims.record_sent(ReportMailing, token, row.id)
    finally:
        mailer.close()


def sweep(today: date) -> MailingReport:
    """Plan the summaries due by ``today`` and send them. Safe in any number of processes."""
    plan(today)
    report = MailingReport()
    for _ in range(10_000):
        token, ids = claim(today, current_app.config["REMINDER_BATCH_SIZE"])
        if not ids:
            break
        send_claimed(token, ids, report)
    return report

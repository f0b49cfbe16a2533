"""What a reminder says, and the SMTP mailer that sends it (or writes it to the log when no
mail server is set)."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app

from workflows import deadlines as deadline_rules
from workflows.periods import format_date
from workflows.self_assessment import year_label

from ..models import Reminder

mail_log = logging.getLogger("compactcases.mail")


@dataclass(frozen=True)
class ReminderMessage:
    subject: str
    text: str
    html: str
    link: str


def _path(endpoint: str, **values) -> str:
    return current_app.url_map.bind("localhost").build(endpoint, values)


page_path = _path


def case_link(reference: str) -> str:
    """The case's page, as a full address for an e-mail (`BASE_URL`)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return base + _path("cases.show_case", reference=reference)


def describe(reminder: Reminder, today: date) -> ReminderMessage:
    """What a reminder says, as of ``today``: the case or notice, the deadline, its due date
    and how far off it is, and a link to the page."""
    deadline = reminder.deadline
    left = deadline_rules.countdown(deadline.due_on, today, deadline.period_unit).describe()
    if deadline.case is not None:
        what = f"{deadline.case.reference}: {deadline.case.title}"
        about = deadline.case.reference
        path = _path("cases.show_case", reference=deadline.case.reference)
    elif deadline.agreement is not None:
        return _describe_window(reminder, today)
    elif deadline.self_assessment is not None:
        filed = deadline.self_assessment
        what = f"{filed.compact.name} Compact's self-assessment for {year_label(filed.year)}"
        about = f"Self-assessment {filed.compact.code}"
        path = _path("self_assessment.edit_return", year=filed.year, code=filed.compact.code)
    else:
        what = f"Notice: {deadline.notice.title}"
        about = "Notice"
        path = _path("notices.show_notice", notice_id=deadline.notice.id)
    link = current_app.config["BASE_URL"].rstrip("/") + path
    subject = f"{about}: {deadline.kind.label}, due {format_date(deadline.due_on)} ({left})"
    values = {
        "recipient": reminder.recipient,
        "what": what,
        "deadline": deadline,
        "label": deadline.kind.label,
        "due": format_date(deadline.due_on),
        "left": left,
        "link": link,
    }
    env = current_app.jinja_env
    return ReminderMessage(
        subject=subject,
        text=env.get_template("reminders/email.txt").render(values),
        html=env.get_template("reminders/email.html").render(values),
        link=link,
    )


def _describe_window(reminder: Reminder, today: date) -> ReminderMessage:
    """What a reminder of a funding agreement's notice window says: the last day to give
    notice of ending it, or, the day after, that the window was missed."""
    deadline = reminder.deadline
    agreement = deadline.agreement
    due = format_date(deadline.due_on)
    if reminder.offset_days < 0:
        label = "Notice window missed"
        left = f"the last day to give notice was {due}"
        subject = f"Agreement {agreement.funder_reference}: notice window missed ({due})"
    else:
        label = "Last day to give notice of ending"
        days = (deadline.due_on - today).days
        left = "today" if days <= 0 else f"in {days} {'day' if days == 1 else 'days'}"
        subject = f"Agreement {agreement.funder_reference}: {label.lower()} {due} ({left})"
    path = _path("agreements.show_agreement", agreement_id=agreement.id)
    link = current_app.config["BASE_URL"].rstrip("/") + path
    values = {
        "recipient": reminder.recipient,
        "what": f"Funding agreement {agreement.funder_reference}: {agreement.title}",
        "deadline": deadline,
        "label": label,
        "due": due,
        "left": left,
        "link": link,
    }
    env = current_app.jinja_env
    return ReminderMessage(
        subject=subject,
        text=env.get_template("reminders/email.txt").render(values),
        html=env.get_template("reminders/email.html").render(values),
        link=link,
    )


def message_domain() -> str:
    """The domain of the Message-IDs this app gives: the site's, else the sender's."""
    config = current_app.config
    sender_domain = parseaddr(config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    return urlsplit(config["BASE_URL"]).hostname or sender_domain or "compactcases.invalid"


def email_message(reminder: Reminder, message: ReminderMessage) -> EmailMessage:
    # Derived from the reminder row alone, so a retry of a message the server took but never
    # acknowledged carries the same Message-ID, and mail clients can drop the second copy.
    return email_message_to(reminder.recipient, message, f"reminder-{reminder.id}")


def email_message_to(recipient, message: ReminderMessage, key: str) -> EmailMessage:
    """The e-mail of `message` to `recipient`, its Message-ID made from `key` (one per row)."""
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = f"{recipient.name} <{recipient.email}>"
    email["Message-ID"] = f"<{key}@{message_domain()}>"
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


class Mailer:
    """Sends e-mail over SMTP by the Flask-Mail settings, one connection per batch; without
    MAIL_SERVER it writes each message to the log instead."""

    def __init__(self, config) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        config = self.config
        if not config.get("MAIL_SERVER"):
            # Its plain text part: what a person reading the log wants to see.
            body = email.get_body(preferencelist=("plain",))
            text = body.get_content().strip() if body is not None else str(email)
            mail_log.info("E-mail to %s: %s\n%s", email["To"], email["Subject"], text)
            return
        if self.smtp is None:
            self.smtp = self._connect()
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config.get("MAIL_TIMEOUT_SECONDS", 30)
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(
                config["MAIL_SERVER"],
                config["MAIL_PORT"],
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None

"""Two app hosts on one PostgreSQL, as production runs: two separate gunicorn servers, each
with its own workers, scheduler, port and settings, sharing one database. People use either
host; both sweep reminders at once. No request fails, a session made on one host works on the
other, and every due reminder reaches the mail server exactly once."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from compactcases.models import (
    CaseUpdate,
    MeetingMessage,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    ReportMailing,
)
from tests.app.conftest import Inbox
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="two hosts share one PostgreSQL")

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "two hosts share one database"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def shared_database():
    """A database of its own, made from the migrations and the demo data, dropped after."""
    url = sa.engine.make_url(TEST_DATABASE_URL)
    name = f"{url.database}_two_hosts"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    shared = url.set(database=name).render_as_string(hide_password=False)
    env = {**os.environ, "DATABASE_URL": shared, "COMPACTCASES_ENV": "development"}
    flask = [sys.executable, "-m", "flask", "--app", "app"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    engine = sa.create_engine(shared)
    # The demo's accounts, with a password this test knows (a cheap hash keeps it quick).
    from werkzeug.security import generate_password_hash

    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE users SET password_hash = :hash"),
            {"hash": generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")},
        )
    yield shared, engine
    engine.dispose()
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def mail_server():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


class Host:
    """One gunicorn server of the app, started as production starts it."""

    def __init__(self, name: str, database: str, mail_port: int, log_dir: Path) -> None:
        self.name = name
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = (log_dir / f"{name}.log").open("w")
        env = {
            **os.environ,
            "COMPACTCASES_ENV": "production",
            "SECRET_KEY": "one secret shared by every host",
            "SESSION_COOKIE_SECURE": "false",
            "DATABASE_URL": database,
            "SCHEDULER_ENABLED": "true",
            "REMINDER_SWEEP_MINUTES": "1",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mail_port),
            "BASE_URL": self.base,
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_ACCESS_LOG": "",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.log.flush()
        raise AssertionError(
            f"{self.name} did not become ready:\n{Path(self.log.name).read_text()[-3000:]}"
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Person:
    """A browser: one cookie jar, used against whichever host it is pointed at."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        body = None
        headers = dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def sign_in(self, host: Host, email: str) -> int:
        status, page = self.request(f"{host.base}/sign-in")
        assert status == 200, status
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        status, _ = self.request(
            f"{host.base}/sign-in",
            {"csrf_token": token, "email": email, "password": PASSWORD},
        )
        return status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _api(url: str, token: str | None = None, body: dict | None = None, method: str = "GET"):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


# Every outbox whose rows become e-mails, with the rows of it that are e-mails.
EMAIL_OUTBOXES = (
    (Reminder, Reminder.channel == ReminderChannel.EMAIL),
    (MeetingMessage, sa.true()),
    (CaseUpdate, CaseUpdate.channel == ReminderChannel.EMAIL),
    (ReportMailing, sa.true()),
)


def _due_unsent(engine) -> int:
    """E-mails due and not yet sent, in every outbox."""
    waiting = 0
    with engine.connect() as connection:
        for outbox, emails in EMAIL_OUTBOXES:
            due = [
                emails,
                outbox.status.in_([ReminderStatus.PLANNED, ReminderStatus.SENDING]),
                outbox.next_attempt_at.is_(None),
            ]
            if hasattr(outbox, "send_on"):
                due.append(outbox.send_on <= sa.func.current_date())
            waiting += connection.scalar(sa.select(sa.func.count()).select_from(outbox).where(*due))
    return waiting


def _sent(engine) -> int:
    """E-mails recorded as sent, in every outbox."""
    with engine.connect() as connection:
        return sum(
            connection.scalar(
                sa.select(sa.func.count())
                .select_from(outbox)
                .where(emails, outbox.status == ReminderStatus.SENT)
            )
            for outbox, emails in EMAIL_OUTBOXES
        )


def test_two_hosts_share_sessions_and_send_each_reminder_once(
    shared_database, mail_server, tmp_path
):
    database, engine = shared_database
    inbox, mail_port = mail_server
    hosts = [Host(name, database, mail_port, tmp_path) for name in ("alpha", "beta")]
    try:
        for host in hosts:
            host.wait_ready()
        alpha, beta = hosts

        # A session made on one host is good on the other.
        officer = Person()
        assert officer.sign_in(alpha, "officer.bir@example.org") == 302
        status, page = officer.request(f"{beta.base}/cases")
        assert status == 200
        assert "Sign out" in page

        # Work goes through both hosts; no request fails.
        status, body = _api(
            f"{beta.base}/api/v1/tokens",
            body={"email": "officer.bir@example.org", "password": PASSWORD},
            method="POST",
        )
        assert status == 201, body
        token = body["token"]
        status, listing = _api(f"{alpha.base}/api/v1/cases?state=raised", token)
        assert status == 200, listing
        references = [case["reference"] for case in listing["items"]][:6]
        assert references
        for n, reference in enumerate(references):
            host = hosts[n % 2]
            status, moved = _api(
                f"{host.base}/api/v1/cases/{reference}/events",
                token,
                {"event": "start_conciliation"},
                "POST",
            )
            assert status == 200, moved
            status, read = _api(f"{hosts[(n + 1) % 2].base}/api/v1/cases/{reference}", token)
            assert (status, read["state"]) == (200, "local_conciliation")

        # Both hosts' timers swept at start-up and go on sweeping: wait until nothing due is
        # left unsent, then compare what the mail server received with the rows.
        deadline = time.monotonic() + 120
        while _due_unsent(engine) and time.monotonic() < deadline:
            time.sleep(1)
        assert _due_unsent(engine) == 0
        time.sleep(2)
        sent_rows = _sent(engine)
        messages = [message_from_bytes(raw, policy=policy.default) for raw in inbox.received]
        assert sent_rows > 0
        assert len(messages) == sent_rows
        message_ids = [m["Message-ID"] for m in messages]
        assert len(set(message_ids)) == len(message_ids)
        print(f"two hosts: {len(messages)} e-mails for {sent_rows} sent e-mail rows")
    finally:
        for host in hosts:
            host.stop()
    for host in hosts:
        log = (tmp_path / f"{host.name}.log").read_text()
        assert "Traceback" not in log, log[-3000:]

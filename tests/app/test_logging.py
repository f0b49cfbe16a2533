"""The app's logs on standard error: readable lines in development, JSON lines in production;
the mail and security logs among them. And where e-mail links point (BASE_URL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compactcases.config import base_url

ROOT = Path(__file__).resolve().parents[2]

# A process that starts the app as `make run` or gunicorn would, then writes an e-mail with no
# mail server set and refuses a request, as the app does while serving.
SCRIPT = """
from email.message import EmailMessage
from compactcases import create_app
from compactcases.policy import audit
from compactcases.reminders.mail import Mailer

app = create_app()
email = EmailMessage()
email["To"] = "Priya Shah <officer.bir@example.org>"
email["Subject"] = "BIR-2026-0001: Acknowledge the dispute, due 12 October 2026"
email.set_content("Acknowledge the dispute by 12 October 2026.")
email.add_alternative("<p>Acknowledge the dispute by 12 October 2026.</p>", subtype="html")
with app.app_context():
    Mailer(app.config).send(email)
with app.test_request_context("/cases/BIR-2026-0001"):
    audit("refused", user_id=7)
"""


def run_app(tmp_path, **env) -> str:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MAIL_SERVER", "LOG_FORMAT", "BASE_URL", "HOST", "PORT")
    }
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'logs.db'}",
        SECRET_KEY="not-used-here",
        SCHEDULER_ENABLED="false",
        PYTHONPATH=str(ROOT),
        **env,
    )
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    return done.stderr


def test_development_prints_each_email_and_security_event_as_readable_lines(tmp_path):
    stderr = run_app(tmp_path, COMPACTCASES_ENV="development")

    assert (
        " INFO compactcases.mail: E-mail to Priya Shah <officer.bir@example.org>: "
        "BIR-2026-0001: Acknowledge the dispute, due 12 October 2026\n"
        "Acknowledge the dispute by 12 October 2026.\n"
    ) in stderr
    # The plain text, not the MIME source.
    assert "<p>" not in stderr and "Content-Type" not in stderr
    [security] = [line for line in stderr.splitlines() if "compactcases.security" in line]
    assert '"event": "refused"' in security and '"path": "/cases/BIR-2026-0001"' in security


def test_production_writes_one_json_object_a_line(tmp_path):
    stderr = run_app(tmp_path, COMPACTCASES_ENV="production")

    lines = [json.loads(line) for line in stderr.splitlines()]
    [mail] = [line for line in lines if line["logger"] == "compactcases.mail"]
    assert mail["level"] == "INFO"
    assert mail["message"].startswith("E-mail to Priya Shah <officer.bir@example.org>: BIR-2026")
    assert mail["time"].endswith("+00:00")
    # The security log's own fields join the line rather than nesting as a string.
    [security] = [line for line in lines if line["logger"] == "compactcases.security"]
    assert security["event"] == "refused"
    assert security["user_id"] == 7
    assert security["path"] == "/cases/BIR-2026-0001"
    assert "message" not in security


def test_an_unknown_log_format_stops_the_app_starting(tmp_path):
    environment = dict(os.environ, LOG_FORMAT="xml", COMPACTCASES_ENV="development")
    environment["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", "from compactcases import create_app; create_app()"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "LOG_FORMAT must be one of text, json, not 'xml'" in done.stderr


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:5000"),
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"HOST": "192.168.1.20", "PORT": "5001"}, "http://192.168.1.20:5001"),
        ({"HOST": "0.0.0.0", "PORT": "5001"}, "http://localhost:5001"),
        ({"HOST": "::1"}, "http://[::1]:5000"),
        (
            {"BASE_URL": "https://compact.example.org", "PORT": "8080"},
            "https://compact.example.org",
        ),
    ],
)
def test_base_url_follows_host_and_port_unless_set(environ, expected):
    assert base_url(environ) == expected


def test_make_run_passes_host_and_port_to_the_app():
    makefile = (ROOT / "Makefile").read_text()
    [run] = [line for line in makefile.splitlines() if "$(FLASK) run " in line]
    assert "HOST=$(HOST) PORT=$(PORT) " in run

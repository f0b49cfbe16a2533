"""Where the app's logs go: standard error, as readable lines in development and as one JSON
object a line in production, for the platform's log collector.

The logs that matter: `compactcases.mail` (each e-mail, written out in full when no mail
server is set), `compactcases.security` (sign-ins, refusals, sessions ended; each message is
already a JSON object, whose fields join the line), `compactcases.reminders` (sweeps).
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# Marks the handler this module adds, so a second app in the same process replaces it.
_HANDLER_NAME = "compactcases-stderr"
FORMATS = ("text", "json")


class _Stderr(logging.StreamHandler):
    """A handler writing to whatever `sys.stderr` is when a record comes (it can be swapped
    after the app starts, as test runners and some servers do)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger and message. A message that is a JSON
    object itself (the security log's) gives its fields to the line instead of a string."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        message = record.getMessage()
        fields = _json_object(message)
        if fields is None:
            line["message"] = message
        else:
            line.update({k: v for k, v in fields.items() if k not in line})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _json_object(text: str) -> dict | None:
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure(log_format: str | None) -> None:
    """Send the app's logs to standard error in `log_format` ("text" or "json"); None leaves
    logging as it is (the test runner owns it)."""
    if log_format is None:
        return
    if log_format not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}")
    handler = _Stderr()
    handler.name = _HANDLER_NAME
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT, datefmt="%H:%M:%S"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.name == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.WARNING:
        root.setLevel(logging.WARNING)
    logging.getLogger("compactcases").setLevel(logging.INFO)
    # The development server's request lines, which it would print itself without a handler
    # on the root logger.
    logging.getLogger("werkzeug").setLevel(logging.INFO)

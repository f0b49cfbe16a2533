"""Settings from environment variables, one class per environment, with safe defaults."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def database_url(raw: str | None) -> str:
    """The SQLAlchemy URL for `raw`, defaulting to the embedded SQLite file.

    Hosting platforms hand out `postgres://` URLs; SQLAlchemy wants a dialect and driver.
    """
    if not raw:
        return f"sqlite:///{INSTANCE_DIR / 'compactcases.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def base_url(environ=os.environ) -> str:
    """Where links in e-mails point: BASE_URL, or else the address `make run` serves at
    (HOST and PORT, as the Makefile passes them; a wildcard host is reached as localhost)."""
    if environ.get("BASE_URL"):
        return environ["BASE_URL"]
    host = environ.get("HOST") or "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]"):
        host = "localhost"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{environ.get('PORT') or '5000'}"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY")
    WTF_CSRF_ENABLED = True
    CASES_PER_PAGE = int(os.environ.get("CASES_PER_PAGE", "25"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    # Signed-in sessions end after this long without a request.
    IDLE_TIMEOUT_MINUTES = int(os.environ.get("IDLE_TIMEOUT_MINUTES", "60"))
    # The cookie outlives the idle limit, which auth.views enforces, so the idle sign-out can
    # say why it happened.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    # Sign-in: after this many failures in a row (per account, per address), each attempt
    # waits twice as long as the last, from 1 second up to SIGN_IN_THROTTLE_MINUTES.
    SIGN_IN_THROTTLE_MINUTES = int(os.environ.get("SIGN_IN_THROTTLE_MINUTES", "15"))
    SIGN_IN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGN_IN_MAX_FAILURES_PER_ACCOUNT", "5"))
    SIGN_IN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("SIGN_IN_MAX_FAILURES_PER_ADDRESS", "20"))
    PASSWORD_HASH_METHOD = "scrypt"
    # How many reverse proxies in front of the app add X-Forwarded-For and X-Forwarded-Proto.
    # 0 trusts neither header: the client's address is the connection's.
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    # Strict-Transport-Security: only in production, which is served over https.
    HSTS = False
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "30"))
    # How long an invitation's link to make an account works.
    INVITE_DAYS = int(os.environ.get("INVITE_DAYS", "7"))
    # Where links in e-mails point: the address people open the service at.
    BASE_URL = base_url()
    # Logs go to standard error: "json" (one object a line) or "text" (readable lines).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    # Reminders: swept by an in-process APScheduler job when serving (see compactcases.reminders).
    SCHEDULER_ENABLED = _flag("SCHEDULER_ENABLED", True)
    REMINDER_SWEEP_MINUTES = int(os.environ.get("REMINDER_SWEEP_MINUTES", "5"))
    # Working days before the due date (0: on the day), and every how many while overdue.
    REMINDER_OFFSETS = os.environ.get("REMINDER_OFFSETS", "10,3,0")
    REMINDER_OVERDUE_EVERY = int(os.environ.get("REMINDER_OVERDUE_EVERY", "5"))
    REMINDER_CHANNELS = os.environ.get("REMINDER_CHANNELS", "email,inbox")
    # Reminders due on a day go out from this hour of it, Europe/London (0-23).
    REMINDER_SEND_HOUR = int(os.environ.get("REMINDER_SEND_HOUR", "8"))
    REMINDER_BATCH_SIZE = int(os.environ.get("REMINDER_BATCH_SIZE", "100"))
    # A claim older than this belongs to a sweep that died: its reminders may be sent again.
    REMINDER_STALE_CLAIM_MINUTES = int(os.environ.get("REMINDER_STALE_CLAIM_MINUTES", "10"))
    # E-mail over SMTP, by the Flask-Mail names. Without MAIL_SERVER, e-mail goes to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _flag("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Compact Cases <compactcases@localhost>"
    )
    MAIL_TIMEOUT_SECONDS = int(os.environ.get("MAIL_TIMEOUT_SECONDS", "30"))
    # Webhooks: delivered by the sweep, each request waiting at most this long; a delivery
    # that failed this many times is failed for good.
    WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
    WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "8"))
    WEBHOOK_BATCH_SIZE = int(os.environ.get("WEBHOOK_BATCH_SIZE", "50"))
    # Plain http to this machine (127.0.0.1, ::1, localhost): for development and tests only.
    WEBHOOKS_ALLOW_HTTP_LOOPBACK = _flag("WEBHOOKS_ALLOW_HTTP_LOOPBACK", False)
    # Documents: where their bytes are kept ("filesystem" under DOCUMENT_DIR, or "database"
    # when several hosts share no disk), and the largest file accepted, in megabytes.
    DOCUMENT_STORAGE = os.environ.get("DOCUMENT_STORAGE", "filesystem")
    DOCUMENT_DIR = os.environ.get("DOCUMENT_DIR") or str(INSTANCE_DIR / "documents")
    DOCUMENT_MAX_MB = int(os.environ.get("DOCUMENT_MAX_MB", "20"))
    # Files chosen at once; a request may carry that many files of the largest size, so that
    # one file too large is refused beside its field, not by the server's 413.
    DOCUMENT_MAX_FILES = int(os.environ.get("DOCUMENT_MAX_FILES", "10"))
    # Concerns one organisation's account may raise online in 24 hours (pages and API).
    RAISE_LIMIT_PER_DAY = int(os.environ.get("RAISE_LIMIT_PER_DAY", "5"))


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"
    # The development server speaks plain http on 127.0.0.1.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", False)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    WEBHOOKS_ALLOW_HTTP_LOOPBACK = _flag("WEBHOOKS_ALLOW_HTTP_LOOPBACK", True)


class ProductionConfig(Config):
    HSTS = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
    # Tests move the clock; a token's age is not what they are about.
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_SECURE = False
    # A cheap hash keeps the suite fast; production uses scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Tests run sweeps themselves; a test that wants the scheduler starts it.
    SCHEDULER_ENABLED = False
    MAIL_SERVER = None
    BASE_URL = "http://compactcases.test"
    WEBHOOKS_ALLOW_HTTP_LOOPBACK = True
    WEBHOOK_TIMEOUT_SECONDS = 2.0
    # pytest captures the logs; the app leaves its handlers alone.
    LOG_FORMAT = None


def config_for(name: str | None) -> type[Config]:
    """The config class for FLASK_ENV-style names; production unless told otherwise."""
    return {
        "development": DevelopmentConfig,
        "test": TestConfig,
        "production": ProductionConfig,
    }.get((name or "production").lower(), ProductionConfig)

"""Settings from environment variables, one class per environment, with safe defaults."""

from __future__ import annotations

import os
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


class Config:
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SECRET_KEY = os.environ.get("SECRET_KEY")
    WTF_CSRF_ENABLED = True
    CASES_PER_PAGE = int(os.environ.get("CASES_PER_PAGE", "25"))
    # Until accounts exist, pages act as this demo user (see the accounts issue).
    ACTING_USER_EMAIL = os.environ.get("ACTING_USER_EMAIL", "officer.bir@example.org")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY") or "development-only-not-secret"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL") or "sqlite://")
    # Tests move the clock; a token's age is not what they are about.
    WTF_CSRF_TIME_LIMIT = None


def config_for(name: str | None) -> type[Config]:
    """The config class for FLASK_ENV-style names; production unless told otherwise."""
    return {
        "development": DevelopmentConfig,
        "test": TestConfig,
        "production": ProductionConfig,
    }.get((name or "production").lower(), ProductionConfig)

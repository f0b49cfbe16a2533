"""Compact Cases: the Flask application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from . import bank_holidays, filters, headers, logs
from .admin.views import bp as admin_bp
from .agreements.views import bp as agreements_bp
from .api.views import bp as api_bp
from .auth.views import bp as auth_bp
from .bounds import IdConverter
from .business_case.views import bp as business_case_bp
from .cases.raise_views import bp as concerns_bp
from .cases.regional_views import bp as regional_bp
from .cases.views import bp as cases_bp
from .cli import register as register_cli
from .config import INSTANCE_DIR, config_for
from .documents.views import bp as documents_bp
from .extensions import csrf, db, login_manager, migrate
from .imports.views import bp as imports_bp
from .invitations.views import bp as invitations_bp
from .letters.views import bp as letters_bp
from .main.views import bp as main_bp
from .meetings.views import bp as meetings_bp
from .models import search as search_index
from .notices.views import bp as notices_bp
from .organisations.views import bp as organisations_bp
from .reminders import jobs
from .reminders.views import bp as reminders_bp
from .reports.views import bp as reports_bp
from .self_assessment.views import bp as self_assessment_bp
from .subscriptions.views import bp as subscriptions_bp
from .webhooks.views import bp as webhooks_bp

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: type | None = None) -> Flask:
    """The app for `config` (by default the class COMPACTCASES_ENV names), with its extensions,
    templates, blueprints and commands; the reminder timer only under `flask run`."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder=str(ROOT / "templates"),
    )
    app.config.from_object(config or config_for(os.environ.get("COMPACTCASES_ENV")))
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY must be set in production (or set COMPACTCASES_ENV=development)"
        )
    # Room for every file of one upload at the largest size allowed, so that a file too large
    # is refused beside its field rather than by a bare 413.
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        files = app.config["DOCUMENT_MAX_MB"] * app.config["DOCUMENT_MAX_FILES"]
        app.config["MAX_CONTENT_LENGTH"] = (files + 1) * 1024 * 1024
    logs.configure(app.config.get("LOG_FORMAT"))
    os.makedirs(app.instance_path, exist_ok=True)
    _trust_proxies(app)
    _set_up_templates(app)
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,
        # The search index is kept by migrations and triggers, not by the models.
        include_name=search_index.include_name,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    WTFormsHelpers(app)
    filters.register(app)
    headers.register(app)
    # Every process counts working days with the bank holidays stored now.
    bank_holidays.register(app)
    # Every integer in a path here is a row id: bounded so that no route passes SQL a number
    # its columns cannot hold. Set before any route is added, as rules bind it when added.
    app.url_map.converters["int"] = IdConverter
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    register_cli(app)
    # Only when serving (not in tests or other flask commands), once per process.
    jobs.init_app(app)
    return app


BLUEPRINTS = (
    main_bp,
    auth_bp,
    cases_bp,
    regional_bp,
    concerns_bp,
    notices_bp,
    agreements_bp,
    meetings_bp,
    documents_bp,
    organisations_bp,
    invitations_bp,
    imports_bp,
    admin_bp,
    api_bp,
    business_case_bp,
    reports_bp,
    self_assessment_bp,
    reminders_bp,
    webhooks_bp,
    subscriptions_bp,
    letters_bp,
)


def _trust_proxies(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXY_COUNT"]
    if proxies:
        # The client's address and scheme as the trusted proxies saw them, never as a client
        # claims: the sign-in throttle counts by address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def _set_up_templates(app: Flask) -> None:
    """Our templates first, then GOV.UK Frontend's and its WTForms widgets' by prefix."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL for readers beside the writer, foreign keys enforced, a wait instead of an error."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()

"""Security headers on every response: what a browser may load, frame, sniff, send and keep.

The Content-Security-Policy allows scripts from this site only. The one inline script left
is GOV.UK Frontend's page template marking the body as able to run its JavaScript; it is
allowed by its hash (the one GOV.UK Frontend publishes), so no other inline script runs.
Styles may be inline: the report charts are SVG drawn by pygal with a style element of
their own, and a style cannot run code.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

GOVUK_TEMPLATE_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {GOVUK_TEMPLATE_SCRIPT_HASH}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
# Endpoints that serve the same file to everyone, which browsers may keep.
SHARED_FILES = frozenset({"static", "main.favicon"})
# Endpoints that serve one person's stored documents.
PRIVATE_FILES = frozenset({"documents.download", "api.get_document_content"})
# What the Server header says instead of a server's name and version.
SERVER = "Compact Cases"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config["HSTS"]:
        headers["Strict-Transport-Security"] = HSTS
    # Anything but the shared static files may hold what only the signed-in person may see:
    # no browser or proxy keeps a copy (Back after signing out shows nothing).
    if request.endpoint not in SHARED_FILES and ("Cache-Control" not in headers or _signed_in()):
        # A stored document says so too (`private`): it is one person's, never a proxy's.
        headers["Cache-Control"] = (
            "private, no-store" if request.endpoint in PRIVATE_FILES else "no-store"
        )
    # Werkzeug's server names itself and its Python version unless the app sends a Server
    # header; gunicorn always sends a plain "gunicorn" of its own, which a second would repeat.
    if not request.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
        headers["Server"] = SERVER
    return response


def _signed_in() -> bool:
    return bool(current_user and current_user.is_authenticated)


def register(app: Flask) -> None:
    app.after_request(add_security_headers)

"""The demo's integrations: a webhook endpoint for Birmingham City Council on this machine
(so its delivery log fills as the standard set is recorded) and the regional panel viewer's
monthly report e-mail."""

from __future__ import annotations

import sqlalchemy as sa

from workflows.report_periods import Frequency
from workflows.webhooks import SUBSCRIBABLE

from .. import localtime
from ..extensions import db
from ..models import ReportSubscription, WebhookEndpoint
from ..subscriptions import services as subscriptions
from ..webhooks import endpoints
from .reference import Reference

WEBHOOK_FUNDER = "Birmingham City Council"
# Nothing listens here unless someone starts a receiver: the log then shows the retries.
WEBHOOK_URL = "http://127.0.0.1:8765/compact-cases/webhooks"
ADMIN_EMAIL = "admin@example.org"
VIEWER_EMAIL = "viewer.wm@example.org"


def add_webhook_endpoint(ref: Reference) -> None:
    """Register the demo endpoint once; it hears of every event about the council's records.
    Registered as an administrator would, bar the address check: the demo endpoint is on this
    machine, which only development settings allow."""
    funder = ref.organisations[WEBHOOK_FUNDER]
    exists = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.organisation_id == funder.id)
    )
    if exists:
        return
    endpoints.create_endpoint(
        endpoints.EndpointDetails(
            organisation_id=funder.id,
            url=WEBHOOK_URL,
            event_types=tuple(t.value for t in SUBSCRIBABLE),
            description="The council's grants system (demo: nothing listens on this port)",
        ),
        ref.users[ADMIN_EMAIL],
    )


def add_report_subscription(ref: Reference) -> None:
    """The regional panel viewer gets the summary monthly, from today."""
    viewer = ref.users[VIEWER_EMAIL]
    if db.session.scalar(sa.select(ReportSubscription.id).filter_by(user_id=viewer.id)) is None:
        subscriptions.subscribe(viewer, Frequency.MONTHLY, localtime.today())

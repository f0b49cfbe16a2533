"""Webhook endpoints: an administrator registers one for an organisation (its secret shown
once), reads its delivery log, sends a delivery again and sends a test ping."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload

from workflows.webhooks import SUBSCRIBABLE, DeliveryStatus, WebhookEventType, url_refusal

from ..extensions import db
from ..models import (
    Organisation,
    OrganisationKind,
    User,
    WebhookDelivery,
    WebhookEndpoint,
    utcnow,
)
from .outbox import write_event

DELIVERIES_PER_PAGE = 25


@dataclass(frozen=True)
class EndpointDetails:
    organisation_id: int | None
    url: str
    event_types: tuple[str, ...]
    description: str = ""


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def funders() -> list[Organisation]:
    """The organisations an endpoint may be for: statutory funders, whose records it hears of."""
    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.kind == OrganisationKind.STATUTORY)
            .order_by(Organisation.name)
        )
    )


def endpoint_errors(details: EndpointDetails) -> dict[str, str]:
    """What is wrong with `details`, by field; empty when they can be saved."""
    errors: dict[str, str] = {}
    organisation = (
        db.session.get(Organisation, details.organisation_id) if details.organisation_id else None
    )
    if organisation is None or organisation.kind is not OrganisationKind.STATUTORY:
        errors["organisation_id"] = "Select the statutory funder the endpoint is for"
    if not details.url.strip():
        errors["url"] = "Enter the address to send events to, starting with https://"
    else:
        refusal = url_refusal(details.url, current_app.config["WEBHOOKS_ALLOW_HTTP_LOOPBACK"])
        if refusal:
            errors["url"] = refusal
    known = {t.value for t in SUBSCRIBABLE}
    if not details.event_types:
        errors["event_types"] = "Select at least one event type"
    elif not set(details.event_types) <= known:
        errors["event_types"] = "Select event types from the list"
    return errors


def create_endpoint(details: EndpointDetails, actor: User | None) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its secret, which is never shown again."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        organisation_id=details.organisation_id,
        url=details.url.strip(),
        description=details.description.strip() or None,
        event_types=[t.value for t in SUBSCRIBABLE if t.value in details.event_types],
        secret=secret,
        created_by=actor,
    )
    db.session.add(endpoint)
    db.session.commit()
    return endpoint, secret


def list_endpoints() -> list[tuple[WebhookEndpoint, int]]:
    """Every endpoint with how many of its deliveries have failed for good."""
    failed = (
        sa.select(sa.func.count(WebhookDelivery.id))
        .where(
            WebhookDelivery.endpoint_id == WebhookEndpoint.id,
            WebhookDelivery.status == DeliveryStatus.FAILED,
        )
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(WebhookEndpoint, failed)
        .options(joinedload(WebhookEndpoint.organisation))
        .order_by(WebhookEndpoint.id)
    )
    return [(endpoint, count) for endpoint, count in rows]


def get_endpoint(endpoint_id: int) -> WebhookEndpoint | None:
    return db.session.get(WebhookEndpoint, endpoint_id)


def deliveries(endpoint: WebhookEndpoint, page: int) -> Pagination:
    """The endpoint's deliveries, newest first."""
    return db.paginate(
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .options(joinedload(WebhookDelivery.event))
        .order_by(WebhookDelivery.id.desc()),
        page=page,
        per_page=DELIVERIES_PER_PAGE,
        error_out=False,
    )


def send_again(endpoint: WebhookEndpoint, delivery_id: int) -> bool:
    """Queue a delivered or failed delivery again, for the next sweep; False if it is not the
    endpoint's or is already waiting or being sent."""
    done = db.session.execute(
        sa.update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.endpoint_id == endpoint.id,
            WebhookDelivery.status.in_([DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]),
        )
        .values(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, last_error=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(done)


def ping(endpoint: WebhookEndpoint, actor: User | None) -> None:
    """Queue a test event for this endpoint alone."""
    data = {
        "endpoint": {"id": endpoint.id, "url": endpoint.url},
        "message": "A test ping from Compact Cases",
        "sent_by": actor.name if actor else None,
        "asked_at": utcnow().isoformat(),
    }
    write_event(WebhookEventType.PING, data, [endpoint.id], None)
    db.session.commit()


def set_active(endpoint: WebhookEndpoint, active: bool) -> None:
    """Turn an endpoint on or off; while off, it is sent nothing and new events pass it by."""
    endpoint.active = active
    db.session.commit()

"""The webhook outbox: events written in the same transaction as the change they tell of.

A service that changes something an endpoint may want calls `announce` (no SQL: the record
and the event type are noted on the session). Just before that transaction commits, each
announced event is written as a `WebhookEvent` with one `WebhookDelivery` for every active
endpoint that wants its type and whose organisation may see the record (the rule is
`policy.organisation_sees`, the scope of that organisation's funder users). So an event
exists if and only if its change was committed, and nobody is told of a change that was
rolled back. An event nobody wants is not written at all.

The payload is the record's public API representation: the API registers how each kind of
record is shown (`register_payload`), and the JSON is fixed when the event is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_request_context
from sqlalchemy.dialects import postgresql, sqlite

from workflows.webhooks import DeliveryStatus, WebhookEventType

from .. import policy
from ..extensions import db
from ..models import (
    Case,
    FundingAgreement,
    Notice,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
    utcnow,
)

Record = Case | Notice | FundingAgreement
# How each kind of record appears in a payload, keyed by model: set by the API at start-up.
PAYLOADS: dict[type, tuple[str, Callable[[Any], dict]]] = {}
_PENDING = "webhook_announcements"


def register_payload(model: type, name: str, build: Callable[[Any], dict]) -> None:
    """Show records of `model` in payloads as ``{name: build(record)}``."""
    PAYLOADS[model] = (name, build)


@dataclass(frozen=True)
class _Announcement:
    type: WebhookEventType
    record: Record
    change: dict | None
    dedupe_key: str | None


def announce(
    event_type: WebhookEventType,
    record: Record,
    *,
    change: dict | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Tell the endpoints that may see `record` of `event_type` when this transaction
    commits. `change` adds facts to the payload's data (the states a case moved between);
    `dedupe_key` writes the event at most once ever."""
    db.session.info.setdefault(_PENDING, []).append(
        _Announcement(event_type, record, change, dedupe_key)
    )


def _endpoints_for(event_type: WebhookEventType, record: Record) -> list[int]:
    model = type(record)
    sees = (
        sa.select(model.id)
        .where(
            model.id == record.id, policy.organisation_sees(model, WebhookEndpoint.organisation_id)
        )
        .exists()
    )
    endpoints = db.session.scalars(sa.select(WebhookEndpoint).where(WebhookEndpoint.active, sees))
    return [endpoint.id for endpoint in endpoints if endpoint.wants(event_type)]


def _data(record: Record, change: dict | None) -> dict:
    name, build = PAYLOADS[type(record)]
    if has_request_context():
        shown = build(record)
    else:
        # A sweep or a command: addresses in the payload are built as a request would.
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            shown = build(record)
    return {name: shown, **(change or {})}


def payload(event_type: WebhookEventType, data: dict, at) -> dict:
    return {"type": event_type.value, "timestamp": at.isoformat(), "data": data}


def write_event(
    event_type: WebhookEventType, data: dict, endpoint_ids: list[int], dedupe_key: str | None
) -> int | None:
    """Write one event and a pending delivery per endpoint, in the current transaction; None
    (and nothing written) when `dedupe_key` was used before."""
    now = utcnow()
    values = {
        "type": event_type,
        "payload": payload(event_type, data, now),
        "occurred_at": now,
        "dedupe_key": dedupe_key,
    }
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert(WebhookEvent).values(**values)
    if dedupe_key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
    event_id = db.session.execute(statement.returning(WebhookEvent.id)).scalar()
    if event_id is None:
        return None
    db.session.execute(
        sa.insert(WebhookDelivery),
        [
            {
                "endpoint_id": endpoint_id,
                "event_id": event_id,
                "status": DeliveryStatus.PENDING,
                "attempts": 0,
                "created_at": now,
            }
            for endpoint_id in endpoint_ids
        ],
    )
    return event_id


def _write_announced(session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    session.flush()
    for item in pending:
        if item.record.id is None:
            continue
        endpoint_ids = _endpoints_for(item.type, item.record)
        if endpoint_ids:
            write_event(item.type, _data(item.record, item.change), endpoint_ids, item.dedupe_key)


def _forget_announced(session, *_args) -> None:
    session.info.pop(_PENDING, None)


sa.event.listen(db.session, "before_commit", _write_announced)
sa.event.listen(db.session, "after_soft_rollback", _forget_announced)

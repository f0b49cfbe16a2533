"""Sending webhook deliveries: claim the due rows, sign and POST each, record each result.

Exactly as reminders are sent (see `reminders.sending`): a sweep claims due ``pending`` rows
in one short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite), marking them ``sending`` under its own token, and only then sends, recording each
result at once under that token: ``delivered`` on a 2xx answer; otherwise back to
``pending`` with one more attempt and a back-off (`workflows.webhooks.retry_after`), or
``failed`` after WEBHOOK_MAX_ATTEMPTS, with the reason kept. A claim older than
REMINDER_STALE_CLAIM_MINUTES belongs to a sweep that died and may be taken again.

Deliveries only ever happen here, in the sweep, never in a web request, and each waits at
most WEBHOOK_TIMEOUT_SECONDS for the receiver. Each request is signed by the Standard Webhooks
scheme (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``). Before connecting, the
receiver's host name is resolved and refused if any address is private or internal (loopback
only when WEBHOOKS_ALLOW_HTTP_LOOPBACK is on); redirects are not followed.
"""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload
from standardwebhooks.webhooks import Webhook

from workflows.webhooks import DeliveryStatus, address_refusal, retry_after

from ..extensions import db
from ..models import WebhookDelivery, WebhookEndpoint, utcnow
from ..reminders import claims

log = logging.getLogger("compactcases.webhooks")

USER_AGENT = "CompactCases-Webhooks/1"


class DeliveryError(Exception):
    """Why one attempt failed, in words the delivery log shows."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _is_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def claim(limit: int) -> tuple[str, list[int]]:
    """Claim up to ``limit`` due deliveries of active endpoints for this sweep and commit;
    rows another sweep holds are skipped, never waited for."""
    active = (
        sa.select(WebhookEndpoint.id)
        .where(WebhookEndpoint.id == WebhookDelivery.endpoint_id, WebhookEndpoint.active)
        .exists()
    )
    return claims.claim(
        WebhookDelivery,
        active,
        (WebhookDelivery.id,),
        limit,
        dialect="postgresql" if _is_postgres() else "sqlite",
        waiting=DeliveryStatus.PENDING,
        sending=DeliveryStatus.SENDING,
    )


@dataclass(frozen=True)
class _Attempt:
    delivery_id: int
    attempts: int
    url: str
    secret: str
    message_id: str
    body: str


def check_receiver(url: str) -> None:
    """Refuse a receiver whose host resolves to a private or internal address."""
    parts = urlsplit(url)
    allow = current_app.config["WEBHOOKS_ALLOW_HTTP_LOOPBACK"]
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except OSError as error:
        raise DeliveryError(f"The receiver's name could not be found: {error}") from None
    for *_, address in found:
        refusal = address_refusal(address[0].split("%")[0], allow)
        if refusal:
            raise DeliveryError(f"Refused to call {parts.hostname}: {refusal}")


def post(attempt: _Attempt, timeout: float) -> int:
    """POST one signed delivery; the HTTP status if 2xx, otherwise `DeliveryError`."""
    check_receiver(attempt.url)
    now = utcnow()
    signature = Webhook(attempt.secret).sign(attempt.message_id, now, attempt.body)
    request = urllib.request.Request(
        attempt.url,
        data=attempt.body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": attempt.message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signature,
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"The receiver answered HTTP {error.code}", error.code) from None
    except TimeoutError:
        raise DeliveryError(f"No answer within {timeout:g} seconds") from None
    except urllib.error.URLError as error:
        raise DeliveryError(f"Could not connect: {error.reason}") from None
    except OSError as error:
        raise DeliveryError(f"Could not connect: {error}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"The receiver answered HTTP {status}", status)
    return status


def _attempts(token: str, ids: list[int]) -> list[_Attempt]:
    rows = db.session.scalars(
        sa.select(WebhookDelivery)
        .where(WebhookDelivery.id.in_(ids), WebhookDelivery.claim_token == token)
        .options(joinedload(WebhookDelivery.endpoint), joinedload(WebhookDelivery.event))
        .order_by(WebhookDelivery.id)
    ).all()
    work = [
        _Attempt(
            row.id,
            row.attempts,
            row.endpoint.url,
            row.endpoint.secret,
            f"msg_{row.event_id}",
            json.dumps(row.event.payload, separators=(",", ":")),
        )
        for row in rows
    ]
    db.session.commit()
    return work


@dataclass
class DeliveryReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0


def send_claimed(token: str, ids: list[int], report: DeliveryReport) -> None:
    config = current_app.config
    timeout = float(config["WEBHOOK_TIMEOUT_SECONDS"])
    started = utcnow()
    give_back_after = timedelta(minutes=config["REMINDER_STALE_CLAIM_MINUTES"] / 2)
    work = _attempts(token, ids)
    for position, attempt in enumerate(work):
        if utcnow() - started > give_back_after:
            report.released += claims.release(
                WebhookDelivery,
                token,
                [w.delivery_id for w in work[position:]],
                waiting=DeliveryStatus.PENDING,
            )
            break
        try:
            status = post(attempt, timeout)
        except DeliveryError as error:
            _record_failure(token, attempt, error, report)
            continue
        _record(
            token,
            attempt.delivery_id,
            status=DeliveryStatus.DELIVERED,
            attempts=attempt.attempts + 1,
            delivered_at=utcnow(),
            response_status=status,
            last_error=None,
        )
        report.delivered += 1


def _record(token: str, delivery_id: int, **values) -> None:
    claims.update(WebhookDelivery, token, [delivery_id], claim_token=None, **values)


def _record_failure(
    token: str, attempt: _Attempt, error: DeliveryError, report: DeliveryReport
) -> None:
    attempts = attempt.attempts + 1
    wait = retry_after(attempts, current_app.config["WEBHOOK_MAX_ATTEMPTS"])
    values = {"attempts": attempts, "last_error": str(error)[:500], "response_status": error.status}
    if wait is None:
        values["status"] = DeliveryStatus.FAILED
        report.failed += 1
        log.error("Webhook delivery %s failed for good: %s", attempt.delivery_id, error)
    else:
        values["status"] = DeliveryStatus.PENDING
        values["next_attempt_at"] = utcnow() + wait
        report.retrying += 1
        log.warning("Webhook delivery %s not delivered, retrying: %s", attempt.delivery_id, error)
    _record(token, attempt.delivery_id, **values)


def sweep() -> DeliveryReport:
    """Claim and send every due delivery. Safe to run in any number of processes at once."""
    report = DeliveryReport()
    batch = current_app.config["WEBHOOK_BATCH_SIZE"]
    for _ in range(10_000):
        token, ids = claim(batch)
        if not ids:
            break
        send_claimed(token, ids, report)
    return report

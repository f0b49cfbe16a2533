"""Webhook deliveries and their retries are not duplicated by two sweeps at once, each in its
own thread with its own application context and database connection, on PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.models import WebhookDelivery
from compactcases.webhooks import delivery
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from tests.app.test_webhooks import receiver, register  # noqa: F401  (a fixture)
from tests.conftest import ON_POSTGRES
from workflows.webhooks import DeliveryStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="concurrent sweeps need PostgreSQL"),
]

CASES = 40
SWEEPERS = 2


def _sweep_at_once(app) -> list[delivery.DeliveryReport]:
    start = threading.Barrier(SWEEPERS)
    reports: list[delivery.DeliveryReport] = []
    errors: list[BaseException] = []

    def sweeper() -> None:
        try:
            with app.app_context():
                start.wait()
                reports.append(delivery.sweep())
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=sweeper) for _ in range(SWEEPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return reports


def test_two_sweeps_at_once_send_each_delivery_and_each_retry_once(
    app,
    db,
    world,
    receiver,  # noqa: F811
    make_case,
    travel,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setitem(app.config, "WEBHOOK_BATCH_SIZE", 3)
    travel(date(2026, 10, 5))
    register(world, receiver)
    for n in range(CASES):
        make_case(title=f"Dispute {n}")
    receiver.status = 500

    reports = _sweep_at_once(app)
    first = Counter(r.headers["webhook-id"] for r in receiver.requests)
    assert len(first) == CASES and set(first.values()) == {1}
    assert sum(r.retrying for r in reports) == CASES

    # After the back-off, the retries: again once each.
    travel(minutes=2)
    receiver.status = 204
    reports = _sweep_at_once(app)
    every = Counter(r.headers["webhook-id"] for r in receiver.requests)
    assert len(receiver.requests) == 2 * CASES
    assert set(every.values()) == {2}
    assert sum(r.delivered for r in reports) == CASES
    db.session.expire_all()
    rows = Counter(db.session.execute(sa.select(WebhookDelivery.status, WebhookDelivery.attempts)))
    assert rows == {(DeliveryStatus.DELIVERED, 2): CASES}

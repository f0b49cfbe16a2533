"""Webhooks end to end against a real HTTP receiver on loopback: events written with the
change they tell of, only to endpoints whose organisation may see the record, signed so that
the `standardwebhooks` library verifies them, retried with a back-off and failed after the
last attempt, and never sent from a web request."""

from __future__ import annotations

import time
from datetime import date

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from compactcases.cases import workflow
from compactcases.models import WebhookDelivery, WebhookEvent
from compactcases.notices import services as notices
from compactcases.webhooks import delivery, endpoints
from tests.app import receivers
from tests.app.test_case_pages import new_case_form
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from workflows.dispute import EventRequest
from workflows.webhooks import DeliveryStatus

ALL_TYPES = (
    "case.created",
    "case.state_changed",
    "case.outcome_recorded",
    "notice.recorded",
    "notice.non_compliant",
)


@pytest.fixture
def receiver():
    found = receivers.Receiver()
    server = receivers.start(found)
    yield found
    server.shutdown()
    server.server_close()


def register(world, receiver, organisation=None, types=ALL_TYPES):
    endpoint, secret = endpoints.create_endpoint(
        endpoints.EndpointDetails(
            organisation_id=(organisation or world.council).id,
            url=receiver.url,
            event_types=types,
        ),
        world.admin,
    )
    return endpoint, secret


def deliveries(db) -> list[WebhookDelivery]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_new_case_reaches_its_funders_endpoint_signed(db, world, receiver, make_case):
    _, secret = register(world, receiver)
    case = make_case()
    assert receiver.requests == []  # nothing is sent until the sweep
    report = delivery.sweep()
    assert report.delivered == 1
    [got] = receiver.requests
    payload = Webhook(secret).verify(got.body, got.headers)
    assert payload["type"] == "case.created"
    assert payload["data"]["case"]["reference"] == case.reference
    assert payload["data"]["case"]["state"] == "raised"
    assert payload["data"]["case"]["funder"] == {"id": world.council.id, "name": world.council.name}
    assert got.headers["webhook-id"] == f"msg_{deliveries(db)[0].event_id}"
    # A tampered body does not verify.
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(got.body.replace(b"raised", b"closed"), got.headers)
    assert deliveries(db)[0].status is DeliveryStatus.DELIVERED
    assert delivery.sweep().delivered == 0


def test_moving_and_resolving_a_case_send_the_state_and_the_outcome(db, world, receiver, make_case):
    _, secret = register(world, receiver)
    case = make_case()
    workflow.fire_event(
        case, "start_conciliation", EventRequest(today=date(2026, 10, 6)), world.officer
    )
    delivery.sweep()
    assert receiver.types == ["case.created", "case.state_changed"]
    moved = Webhook(secret).verify(receiver.requests[1].body, receiver.requests[1].headers)
    assert moved["data"]["from_state"] == "raised"
    assert moved["data"]["to_state"] == "local_conciliation"
    assert moved["data"]["event"] == "start_conciliation"


def test_out_of_scope_events_never_reach_an_endpoint(db, world, receiver, make_case):
    police_receiver = receivers.Receiver()
    server = receivers.start(police_receiver)
    try:
        register(world, police_receiver, organisation=world.police)
        register(world, receiver, organisation=world.council)
        make_case()  # the council's
        make_case(funder_id=world.police.id)
        delivery.sweep()
    finally:
        server.shutdown()
        server.server_close()
    council_refs = [r.json["data"]["case"]["funder"]["id"] for r in receiver.requests]
    police_refs = [r.json["data"]["case"]["funder"]["id"] for r in police_receiver.requests]
    assert council_refs == [world.council.id]
    assert police_refs == [world.police.id]


def test_an_event_nobody_wants_is_not_written(db, world, receiver, make_case):
    register(world, receiver, types=("notice.recorded",))
    make_case()
    assert db.session.scalar(sa.select(sa.func.count(WebhookEvent.id))) == 0


def test_a_non_compliant_notice_is_recorded_then_found_non_compliant(db, world, receiver):
    _, secret = register(world, receiver)
    notices.create_notice(
        notices.NoticeDetails(
            kind=notices.NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Youth grant ends",
            notice_given_on=date(2026, 9, 1),
            effective_on=date(2026, 10, 1),
        ),
        world.funder,
    )
    delivery.sweep()
    assert receiver.types == ["notice.recorded", "notice.non_compliant"]
    data = Webhook(secret).verify(receiver.requests[1].body, receiver.requests[1].headers)["data"]
    assert data["notice"]["compliant"] is False
    assert data["notice"]["title"] == "Youth grant ends"


def test_a_failed_delivery_is_retried_with_a_back_off_then_failed(
    app,
    db,
    world,
    receiver,
    make_case,
    travel,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setitem(app.config, "WEBHOOK_MAX_ATTEMPTS", 3)
    travel(date(2026, 10, 5))
    register(world, receiver)
    make_case()
    receiver.status = 500
    assert delivery.sweep().retrying == 1
    [row] = deliveries(db)
    assert (row.status, row.attempts, row.last_error) == (
        DeliveryStatus.PENDING,
        1,
        "The receiver answered HTTP 500",
    )
    # Not again before the back-off has passed.
    travel(minutes=0.5)
    assert delivery.sweep().retrying == 0
    assert len(receiver.requests) == 1
    travel(minutes=1)
    assert delivery.sweep().retrying == 1
    travel(minutes=2)
    assert delivery.sweep().failed == 1
    [row] = deliveries(db)
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 3)
    travel(minutes=600)
    assert delivery.sweep().failed == 0
    assert len(receiver.requests) == 3


def test_a_refused_connection_is_retried_and_the_reason_kept(db, world, receiver, make_case):
    register(world, receiver)
    make_case()
    url = receiver.url
    # Nothing listens on the port once the server is shut.
    endpoint = endpoints.list_endpoints()[0][0]
    endpoint.url = url.replace(url.rsplit(":", 1)[1].split("/")[0], "9")
    db.session.commit()
    assert delivery.sweep().retrying == 1
    assert deliveries(db)[0].last_error.startswith("Could not connect")


def test_a_hanging_receiver_times_out_in_the_sweep_and_never_holds_a_web_request(
    app, db, world, receiver, browser, monkeypatch
):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 0.5)
    register(world, receiver)
    # Far longer than anything here may take, even on a busy machine.
    receiver.delay = 10
    started = time.monotonic()
    # Logging a case through the page answers at once: the delivery waits for the sweep.
    response = browser.submit("/cases/new", "/cases/new", new_case_form(world))
    assert response.status_code == 302, response.status_code
    assert time.monotonic() - started < 5
    assert receiver.requests == []
    started = time.monotonic()
    assert delivery.sweep().retrying == 1
    assert time.monotonic() - started < 5
    assert deliveries(db)[0].last_error == "No answer within 0.5 seconds"


def test_a_receiver_that_resolves_to_this_machine_is_refused_outside_development(
    app, db, world, receiver, make_case, monkeypatch
):
    register(world, receiver)
    make_case()
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_HTTP_LOOPBACK", False)
    delivery.sweep()
    assert receiver.requests == []
    assert deliveries(db)[0].last_error.startswith("Refused to call 127.0.0.1")


def test_send_again_and_a_test_ping(db, world, receiver, make_case, anonymous):
    endpoint, secret = register(world, receiver)
    make_case()
    delivery.sweep()
    anonymous.sign_in(world.admin)
    page = anonymous.get(f"/admin/webhooks/{endpoint.id}")
    text = page.get_data(as_text=True)
    assert "case.created" in text and "Delivered" in text
    assert secret not in text
    [row] = deliveries(db)
    anonymous.submit(
        f"/admin/webhooks/{endpoint.id}",
        f"/admin/webhooks/{endpoint.id}/deliveries/{row.id}/again",
        {},
    )
    anonymous.submit(f"/admin/webhooks/{endpoint.id}", f"/admin/webhooks/{endpoint.id}/ping", {})
    assert delivery.sweep().delivered == 2
    assert receiver.types == ["case.created", "case.created", "webhook.ping"]
    # The same event sent again keeps its id, so a receiver can tell it has it already.
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]
    Webhook(secret).verify(receiver.requests[2].body, receiver.requests[2].headers)


def test_registering_shows_the_secret_once(db, world, anonymous, receiver):
    anonymous.sign_in(world.admin)
    response = anonymous.submit(
        "/admin/webhooks/new",
        "/admin/webhooks/new",
        {
            "organisation": str(world.council.id),
            "url": receiver.url,
            "event_types": ["case.created", "notice.non_compliant"],
            "description": "Grants system",
        },
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    [(endpoint, _)] = endpoints.list_endpoints()
    assert endpoint.secret in text and endpoint.secret.startswith("whsec_")
    assert endpoint.event_types == ["case.created", "notice.non_compliant"]
    assert endpoint.secret not in anonymous.get(f"/admin/webhooks/{endpoint.id}").get_data(
        as_text=True
    )
    assert endpoint.secret not in anonymous.get("/admin/webhooks").get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "types", "errors"),
    [
        (
            "http://grants.example.org/hooks",
            [],
            ["The address must start with https://", "Select at least one event type"],
        ),
        ("https://user:pw@grants.example.org/", ["case.created"], ["user name or password"]),
        ("https://10.1.2.3/hooks", ["case.created"], ["must not point inside a network"]),
        ("ftp://grants.example.org/", ["case.created"], ["starting with https://"]),
        ("", ["case.created"], ["Enter the address to send events to"]),
    ],
)
def test_bad_input_re_renders_the_form_with_each_error_beside_its_field(
    db, world, anonymous, url, types, errors
):
    anonymous.sign_in(world.admin)
    response = anonymous.submit(
        "/admin/webhooks/new",
        "/admin/webhooks/new",
        {"organisation": str(world.council.id), "url": url, "event_types": types},
    )
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "govuk-error-summary" in text
    for error in errors:
        assert error in text
    assert f'value="{url}"' in text or not url
    assert endpoints.list_endpoints() == []


def test_the_delivery_log_is_paged(db, world, receiver, make_case, anonymous):
    endpoint, _ = register(world, receiver)
    for n in range(endpoints.DELIVERIES_PER_PAGE + 2):
        make_case(title=f"Case {n}")
    anonymous.sign_in(world.admin)
    first = anonymous.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "Older deliveries" in first
    second = anonymous.get(f"/admin/webhooks/{endpoint.id}?page=2").get_data(as_text=True)
    assert second.count("case.created</code>") == 2


def test_an_endpoint_turned_off_is_sent_nothing(db, world, receiver, make_case, anonymous):
    endpoint, _ = register(world, receiver)
    make_case()
    anonymous.sign_in(world.admin)
    anonymous.submit(
        f"/admin/webhooks/{endpoint.id}", f"/admin/webhooks/{endpoint.id}/active", {"active": "off"}
    )
    assert delivery.sweep().delivered == 0
    make_case()
    assert len(deliveries(db)) == 1
    assert receiver.requests == []


def test_the_payload_timestamp_is_when_it_happened(db, world, receiver, make_case):
    register(world, receiver)
    make_case()
    delivery.sweep()
    stamp = receiver.requests[0].json["timestamp"]
    event = db.session.scalar(sa.select(WebhookEvent))
    assert stamp == event.occurred_at.isoformat()
    assert abs(int(receiver.requests[0].headers["webhook-timestamp"]) - time.time()) < 60


def test_a_window_closing_and_missed_are_each_one_event_however_many_are_reminded(
    db,
    world,
    receiver,
    travel,  # noqa: F811
):
    from compactcases.agreements import services as agreements
    from compactcases.reminders.sending import sweep as reminder_sweep

    register(world, receiver, types=("agreement.window_closing", "agreement.window_missed"))
    travel(date(2026, 6, 1))
    agreement = agreements.create_agreement(
        agreements.AgreementDetails(
            funder_id=world.council.id,
            organisation_id=world.youth.id,
            compact_id=world.bir.id,
            title="Youth work in Sparkbrook",
            funder_reference="BCC-YW-001",
            annual_value=45000,
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        world.funder,
    )
    travel(date(2026, 11, 5))
    # The funder and the officer, by e-mail and in their inboxes: four reminders, one event.
    assert reminder_sweep().sent == 4
    assert reminder_sweep().sent == 0
    travel(date(2027, 1, 2))
    reminder_sweep()
    delivery.sweep()
    closing = [r.json for r in receiver.requests if r.json["type"] == "agreement.window_closing"]
    missed = [r.json for r in receiver.requests if r.json["type"] == "agreement.window_missed"]
    # 5 November, then the 3, 17, 24 and 31 December rungs caught up on 2 January.
    assert [e["data"]["days_before"] for e in closing] == [56, 28, 14, 7, 0]
    assert len(missed) == 1
    assert missed[0]["data"]["agreement"]["id"] == agreement.id
    assert missed[0]["data"]["latest_notice_date"] == "2026-12-31"

"""The funding agreement API: record, list, read, change with a version, decide; every answer
carries the window; bad input is a 422 problem with nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from compactcases.models import Compact, FundingAgreement, Notice, Tier
from tests.app.test_api import bearer, token_for

URL = "/api/v1/funding-agreements"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 12, 1), tick=False):
        yield


@pytest.fixture
def api(app, db):
    return app.test_client()


def body(world, **overrides) -> dict:
    values = {
        "funder_id": world.council.id,
        "organisation_id": world.youth.id,
        "compact": "BIR",
        "title": "Youth work in Sparkbrook",
        "funder_reference": "BCC-YW-001",
        "annual_value": 45000,
        "starts_on": "2024-04-01",
        "ends_on": "2027-03-31",
    }
    values.update(overrides)
    return values


@pytest.fixture
def funder(api, world):
    return bearer(token_for(api, world.funder))


def count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(FundingAgreement.id)))


def test_a_funder_records_an_agreement_and_gets_its_window(api, world, funder):
    response = api.post(URL, json=body(world), headers=funder)
    assert response.status_code == 201, response.json
    found = response.json
    assert (found["latest_notice_date"], found["latest_consultation_start"]) == (
        "2026-12-31",
        "2026-10-08",
    )
    assert (found["window_status"], found["days_left"], found["version"]) == ("open", 30, 1)
    assert response.headers["Location"] == f"{URL}/{found['id']}"
    assert response.headers["ETag"] == '"1"'
    listed = api.get(URL, headers=funder).json
    assert [a["funder_reference"] for a in listed["items"]] == ["BCC-YW-001"]
    assert api.get(found["url"], headers=funder).json["window_status"] == "open"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2024-03-31"}, "ends_on"),
        ({"annual_value": -1}, "annual_value"),
        ({"annual_value": 45000.5}, "annual_value"),
        ({"starts_on": "1999-12-31"}, "starts_on"),
        ({"ends_on": "2101-01-01"}, "ends_on"),
        ({"funder_id": "youth"}, "funder_id"),
        ({"organisation_id": "police"}, "organisation_id"),
        ({"compact": "LCE"}, "compact"),
    ],
)
def test_bad_input_is_a_422_problem_naming_the_field_and_nothing_is_saved(
    api, world, db, funder, overrides, field
):
    db.session.add(
        Compact(code="LCE", name="Leicester", tier=Tier.UPPER, region=world.other_region)
    )
    db.session.commit()
    named = {"youth": world.youth.id, "police": world.police.id}
    overrides = {k: named.get(v, v) for k, v in overrides.items()}
    response = api.post(URL, json=body(world, **overrides), headers=funder)
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]
    assert count(db) == 0


def test_a_duplicate_reference_is_a_422(api, world, db, funder):
    assert api.post(URL, json=body(world), headers=funder).status_code == 201
    response = api.post(URL, json=body(world, title="Again"), headers=funder)
    assert response.status_code == 422
    assert "already has an agreement" in response.json["errors"]["funder_reference"][0]
    assert count(db) == 1


def test_patch_needs_the_version_refuses_a_stale_one_and_moves_the_window(api, world, db, funder):
    url = api.post(URL, json=body(world), headers=funder).json["url"]
    assert api.patch(url, json={"title": "New"}, headers=funder).status_code == 428
    moved = api.patch(url, json={"ends_on": "2027-06-30"}, headers={**funder, "If-Match": '"1"'})
    assert moved.status_code == 200, moved.json
    assert (moved.json["latest_notice_date"], moved.json["version"]) == ("2027-03-31", 2)
    # A stale If-Match is refused as the case and notice APIs refuse it, and nothing changes.
    stale = api.patch(url, json={"title": "Older"}, headers={**funder, "If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.json["current_version"] == 2
    late = api.patch(url, json={"title": "Older", "version": 1}, headers=funder)
    assert late.status_code == 409
    assert late.json["current_version"] == 2
    assert api.get(url, headers=funder).json["title"] == "Youth work in Sparkbrook"


def test_a_renewal_decision_moves_the_window_on(api, world, funder):
    url = api.post(URL, json=body(world), headers=funder).json["url"]
    response = api.post(
        f"{url}/decisions",
        json={"kind": "renew", "decided_on": "2026-12-01", "new_ends_on": "2028-03-31"},
        headers={**funder, "If-Match": "1"},
    )
    assert response.status_code == 200, response.json
    assert (response.json["window_status"], response.json["latest_notice_date"]) == (
        "renewed",
        "2027-12-31",
    )
    refused = api.post(
        f"{url}/decisions",
        json={"kind": "renew", "decided_on": "2026-12-01", "new_ends_on": "2027-01-31"},
        headers={**funder, "If-Match": "2"},
    )
    assert refused.status_code == 422 and "new_ends_on" in refused.json["errors"]


def test_a_notice_given_against_the_agreement_closes_its_window(api, world, db, funder):
    agreement = api.post(URL, json=body(world), headers=funder).json
    notice = api.post(
        "/api/v1/notices",
        json={
            "kind": "funding_end",
            "compact": "BIR",
            "funder_id": world.council.id,
            "recipient_id": world.youth.id,
            "title": "Ending youth work",
            "notice_given_on": "2026-12-01",
            "effective_on": "2027-03-31",
            "agreement_id": agreement["id"],
        },
        headers=funder,
    )
    assert notice.status_code == 201, notice.json
    assert notice.json["compliant"] and notice.json["agreement_id"] == agreement["id"]
    assert api.get(agreement["url"], headers=funder).json["window_status"] == "notice_given"
    assert db.session.scalar(sa.select(Notice.agreement_id)) == agreement["id"]


def test_outside_its_scope_an_agreement_is_not_found_and_others_cannot_change_it(
    api, world, funder
):
    url = api.post(URL, json=body(world), headers=funder).json["url"]
    officer_war = bearer(token_for(api, world.officer_war))
    assert api.get(url, headers=officer_war).status_code == 404
    officer = bearer(token_for(api, world.officer))
    assert api.get(url, headers=officer).status_code == 200
    change = api.patch(url, json={"title": "x"}, headers={**officer, "If-Match": "1"})
    assert change.status_code == 403
    assert api.post(URL, json=body(world), headers=officer).status_code == 403


def test_an_agreement_stays_with_its_funder(api, world, funder):
    url = api.post(URL, json=body(world), headers=funder).json["url"]
    moved = api.patch(url, json={"funder_id": world.police.id}, headers={**funder, "If-Match": "1"})
    assert moved.status_code == 422 and "funder_id" in moved.json["errors"]
    same = api.patch(
        url,
        json={"funder_id": world.council.id, "title": "Renamed"},
        headers={**funder, "If-Match": "1"},
    )
    assert same.status_code == 200 and same.json["title"] == "Renamed"

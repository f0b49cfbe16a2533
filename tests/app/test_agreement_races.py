"""Two requests writing the same funding agreement at the same moment, on PostgreSQL: one wins,
the other is refused (409 or 422 naming the field), never a 500, and never two rows or two
closing events where one belongs."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.models import AgreementEvent, AgreementEventKind, FundingAgreement, Notice
from tests.app.test_agreement_api import URL, body
from tests.app.test_api import bearer, token_for
from tests.app.test_races import _at_once
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="racing writers need PostgreSQL")

PAIRS = 15


def test_two_agreements_with_one_reference_at_once_make_one(app, db, world):
    client = app.test_client()
    headers = bearer(token_for(client, world.funder))
    statuses = Counter()
    for n in range(PAIRS):
        sent = body(world, funder_reference=f"RACE-{n}")
        responses = _at_once(
            app,
            lambda sent=sent: client.post(URL, json=sent, headers=headers),
            lambda sent=sent: client.post(URL, json=sent, headers=headers),
        )
        statuses.update(r.status_code for r in responses)
        refused = [r for r in responses if r.status_code == 422]
        assert all("funder_reference" in r.json["errors"] for r in refused)
    assert statuses == {201: PAIRS, 422: PAIRS}
    assert db.session.scalar(sa.select(sa.func.count(FundingAgreement.id))) == PAIRS


def test_two_changes_from_one_version_at_once_save_one(app, db, world):
    client = app.test_client()
    headers = bearer(token_for(client, world.funder))
    statuses = Counter()
    for n in range(PAIRS):
        url = client.post(URL, json=body(world, funder_reference=f"EDIT-{n}"), headers=headers)
        url = url.json["url"]
        stale = {**headers, "If-Match": '"1"'}
        responses = _at_once(
            app,
            lambda url=url, stale=stale: client.patch(url, json={"title": "Mine"}, headers=stale),
            lambda url=url, stale=stale: client.patch(url, json={"title": "His"}, headers=stale),
        )
        statuses.update(r.status_code for r in responses)
        assert sorted(r.status_code for r in responses)[0] == 200
        assert client.get(url, headers=headers).json["version"] == 2
    # The loser is told its version is stale (409), whether it read the row before or after.
    assert statuses == {200: PAIRS, 409: PAIRS}


def test_two_notices_against_one_agreement_at_once_close_its_window_once(app, db, world):
    client = app.test_client()
    headers = bearer(token_for(client, world.funder))
    statuses = Counter()
    for n in range(PAIRS):
        agreement = client.post(
            URL, json=body(world, funder_reference=f"NOTICE-{n}"), headers=headers
        ).json
        notice = {
            "kind": "funding_end",
            "compact": "BIR",
            "funder_id": world.council.id,
            "recipient_id": world.youth.id,
            "title": "Ending it",
            "notice_given_on": "2026-12-01",
            "effective_on": "2027-03-31",
            "agreement_id": agreement["id"],
        }
        responses = _at_once(
            app,
            lambda notice=notice: client.post("/api/v1/notices", json=notice, headers=headers),
            lambda notice=notice: client.post("/api/v1/notices", json=notice, headers=headers),
        )
        statuses.update(r.status_code for r in responses)
    # The loser is refused: 409 if it raced the write, 422 if it came after and was told
    # the window is closed.
    assert statuses[201] == PAIRS
    assert statuses[409] + statuses[422] == PAIRS
    assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == PAIRS
    closing = sa.select(sa.func.count(AgreementEvent.id)).where(
        AgreementEvent.kind == AgreementEventKind.NOTICE
    )
    assert db.session.scalar(closing) == PAIRS
    assert date(2026, 12, 1) in set(db.session.scalars(sa.select(FundingAgreement.notice_given_on)))

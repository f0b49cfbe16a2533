"""GET /api/v1/cases/{reference}/events (the timeline, paged; private notes only for staff)
and GET /api/v1/deadlines (open deadlines in the token's scope, soonest first)."""

from __future__ import annotations

from datetime import date

import pytest

from compactcases.cases import services
from tests.app.test_api import bearer, token_for


@pytest.fixture
def api(app, db):
    return app.test_client()


def get(api, user, path: str):
    return api.get(path, headers=bearer(token_for(api, user)))


def test_a_funder_reads_the_timeline_without_private_notes(api, world, make_case):
    case = make_case()
    services.add_note(
        case, "Shared with the parties", meeting=False, private=False, actor=world.officer
    )
    services.add_note(case, "Officer's own view", meeting=False, private=True, actor=world.officer)
    path = f"/api/v1/cases/{case.reference}/events"
    staff = get(api, world.officer, path).json
    assert [e["reason"] for e in staff["items"][:2]] == [
        "Officer's own view",
        "Shared with the parties",
    ]
    assert staff["total"] == 3
    funder = get(api, world.funder, path).json
    assert [e["reason"] for e in funder["items"]] == ["Shared with the parties", None]
    assert funder["total"] == 2 and not any(e["private"] for e in funder["items"])


def test_the_timeline_is_paged_and_scoped(api, world, make_case):
    case = make_case()
    for n in range(4):
        services.add_note(case, f"Note {n}", meeting=False, private=False, actor=world.officer)
    path = f"/api/v1/cases/{case.reference}/events?per_page=2&page=2"
    page = get(api, world.officer, path).json
    assert (page["page"], page["per_page"], page["total"]) == (2, 2, 5)
    assert [e["reason"] for e in page["items"]] == ["Note 1", "Note 0"]
    assert get(api, world.officer_war, path).status_code == 404
    too_many = f"/api/v1/cases/{case.reference}/events?per_page=101"
    assert get(api, world.officer, too_many).status_code == 422


def test_deadlines_due_before_a_day_in_the_users_scope(api, world, make_case):
    council_case = make_case(raised_on=date(2026, 10, 5))
    make_case(funder_id=world.police.id, raised_on=date(2026, 10, 5))
    make_case(compact_id=world.war.id, funder_id=world.wcc.id, raised_on=date(2026, 10, 5))
    response = get(api, world.funder, "/api/v1/deadlines?due_before=2027-01-01")
    assert response.status_code == 200
    items = response.json["items"]
    assert [(d["record"], d["case"], d["kind"]) for d in items] == [
        ("case", council_case.reference, "acknowledge")
    ]
    assert items[0]["url"] == f"/api/v1/cases/{council_case.reference}"
    # The Birmingham officer sees Birmingham's two; nothing is due before October.
    assert get(api, world.officer, "/api/v1/deadlines").json["total"] == 2
    assert get(api, world.officer, "/api/v1/deadlines?due_before=2026-10-01").json["total"] == 0
    assert get(api, world.viewer, "/api/v1/deadlines").json["total"] == 0


def test_a_bad_day_is_refused_with_the_field_named(api, world):
    response = get(api, world.officer, "/api/v1/deadlines?due_before=31/12/2026")
    assert response.status_code == 422
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "due_before" in response.json["errors"]

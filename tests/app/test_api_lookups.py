"""GET /api/v1/compacts and /api/v1/organisations: the codes and ids a client needs, with the
rules in force, each token's user seeing only what is in their scope."""

from __future__ import annotations

import pytest

from compactcases.models import CompactRule
from tests.app.test_api import assert_problem, bearer, token_for
from workflows.periods import MONTHS


@pytest.fixture
def api(app, db):
    return app.test_client()


def get(api, world, user: str, path: str):
    return api.get(path, headers=bearer(token_for(api, getattr(world, user))))


def test_an_officer_sees_their_compact_with_the_national_rules(api, world):
    response = get(api, world, "officer", "/api/v1/compacts")
    assert response.status_code == 200
    [birmingham] = response.json["items"]
    assert birmingham["code"] == "BIR" and birmingham["name"] == "Birmingham"
    assert birmingham["tier"] == "upper" and birmingham["parent"] is None
    assert birmingham["region"] == {"code": "WM", "name": "West Midlands"}
    rules = {rule["name"]: rule for rule in birmingham["rules"]}
    assert rules["funding_notice"] == {
        "name": "funding_notice",
        "label": "Notice before reducing or ending funding",
        "count": 3,
        "unit": "months",
        "period": "3 calendar months",
        "source": "national default",
    }
    assert rules["acknowledge"]["period"] == "5 working days"
    assert "invoice_payment" not in rules  # an optional rule nobody adopted


def test_a_district_inherits_its_countys_rules(api, world, db):
    db.session.add(
        CompactRule(compact_id=world.war.id, name="funding_notice", count=6, unit=MONTHS)
    )
    db.session.commit()
    response = get(api, world, "officer_war", "/api/v1/compacts")
    compacts = {c["code"]: c for c in response.json["items"]}
    assert list(compacts) == ["RUG", "WAR"]
    rugby = {rule["name"]: rule for rule in compacts["RUG"]["rules"]}
    assert rugby["funding_notice"]["period"] == "6 calendar months"
    assert rugby["funding_notice"]["source"] == "Warwickshire"
    assert rugby["consultation"]["source"] == "national default"
    assert compacts["RUG"]["parent"] == {"code": "WAR", "name": "Warwickshire"}
    warwickshire = {rule["name"]: rule for rule in compacts["WAR"]["rules"]}
    assert warwickshire["funding_notice"]["source"] == "own"


@pytest.mark.parametrize(
    ("user", "codes"),
    [
        ("admin", ["BIR", "RUG", "WAR"]),
        ("mediator", ["BIR", "RUG", "WAR"]),
        ("viewer", ["BIR", "RUG", "WAR"]),
        ("funder", ["BIR", "RUG", "WAR"]),
        ("officer", ["BIR"]),
        ("mediator_em", []),
    ],
)
def test_each_user_sees_the_compacts_in_their_scope(api, world, user, codes):
    response = get(api, world, user, "/api/v1/compacts")
    assert [c["code"] for c in response.json["items"]] == codes


def test_organisations_by_kind_and_compact(api, world):
    response = get(api, world, "officer_war", "/api/v1/organisations?kind=funder&compact=rug")
    assert response.status_code == 200
    body = response.json
    # Rugby's funders: Warwickshire County Council works in its upper-tier Compact.
    assert body["items"] == [
        {
            "id": world.wcc.id,
            "name": "Warwickshire County Council",
            "kind": "funder",
            "type": "council",
            "compact": "WAR",
            "region": "WM",
        }
    ]
    assert (body["total"], body["page"], body["per_page"]) == (1, 1, 100)
    third = get(api, world, "officer", "/api/v1/organisations?kind=third_sector&compact=BIR")
    assert [o["name"] for o in third.json["items"]] == [
        "Ladywood Community Food Bank",
        "Sparkbrook Youth Project",
    ]


def test_organisations_are_paged(api, world):
    response = get(api, world, "admin", "/api/v1/organisations?per_page=2&page=2")
    body = response.json
    assert body["total"] == 6 and len(body["items"]) == 2
    assert [o["name"] for o in body["items"]] == [
        "Rugby Voluntary Action",
        "Sparkbrook Youth Project",
    ]


def test_organisations_outside_the_region_are_not_listed(api, world):
    response = get(api, world, "mediator_em", "/api/v1/organisations")
    assert response.json["items"] == [] and response.json["total"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=charity", "kind"),
        ("kind=", "kind"),
        ("compact=WAR", "compact"),  # outside the Birmingham officer's scope
        ("compact=NOPE", "compact"),
        ("compact=ABCDEFGHI", "compact"),
        ("page=0", "page"),
        ("per_page=101", "per_page"),
        ("page=x", "page"),
        ("colour=red", "colour"),
    ],
)
def test_bad_query_values_are_refused_with_the_field(api, world, query, field):
    body = assert_problem(get(api, world, "officer", f"/api/v1/organisations?{query}"), 422)
    assert field in body["errors"]


def test_without_a_token_nothing_is_listed(api, world):
    assert_problem(api.get("/api/v1/compacts"), 401)
    assert_problem(api.get("/api/v1/organisations"), 401)

"""The JSON API, driven end to end with real tokens, inside and outside each user's scope."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
import time_machine

from compactcases.cases import workflow
from compactcases.models import Case
from tests.conftest import PASSWORD
from workflows.dispute import EventRequest
from workflows.periods import Pause, Period, Unit, due_date
from workflows.verdicts import check_funding_notice

NOW = datetime(2026, 11, 28, 10, 0)


@pytest.fixture
def api(app, db):
    return app.test_client()


def token_for(api, user, password: str = PASSWORD) -> str:
    response = api.post("/api/v1/tokens", json={"email": user.email, "password": password})
    assert response.status_code == 201, response.json
    return response.json["token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def case_body(world, **overrides) -> dict:
    body = {
        "compact": "BIR",
        "title": "Grant ended with four weeks' notice",
        "summary": "The council ended the grant with four weeks' notice.",
        "funder_id": world.council.id,
        "third_sector_id": world.youth.id,
        "areas": ["funding"],
        "amount_at_stake": 30000,
        "raised_on": "2026-11-02",
    }
    body.update(overrides)
    return body


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = response.json
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


# -- tokens --------------------------------------------------------------------------------------


def test_a_token_is_issued_for_the_right_password_and_stored_hashed(api, world, db):
    from compactcases.models import ApiToken

    response = api.post("/api/v1/tokens", json={"email": world.officer.email, "password": PASSWORD})
    assert response.status_code == 201
    token = response.json["token"]
    expires = datetime.fromisoformat(response.json["expires_at"])
    assert timedelta(days=29) < expires - datetime.now(expires.tzinfo) <= timedelta(days=30)
    stored = db.session.scalars(db.select(ApiToken.token_hash)).all()
    assert len(stored) == 1 and token not in stored[0]
    assert "Set-Cookie" not in response.headers


def test_a_wrong_password_gets_401_and_repeated_failures_429(api, world):
    with time_machine.travel(NOW, tick=False):
        body = {"email": world.officer.email, "password": "wrong"}
        for _ in range(5):
            assert_problem(api.post("/api/v1/tokens", json=body), 401)
        assert_problem(api.post("/api/v1/tokens", json={**body, "password": PASSWORD}), 429)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ('{"email": "a@example.org", "password": ', 400, None),
        ('{"email": "a@example.org", "password": "x", "admin": true}', 422, "admin"),
        ('{"email": "a@example.org", "password": 12}', 422, "password"),
        ('{"email": "a@example.org"}', 422, "password"),
        ("[]", 422, "body"),
    ],
)
def test_bad_token_requests_are_refused_with_the_field_named(api, world, body, status, field):
    response = api.post("/api/v1/tokens", data=body, content_type="application/json")
    problem = assert_problem(response, status)
    if field:
        assert field in problem["errors"]


def test_a_body_that_is_not_json_is_refused(api, world):
    response = api.post("/api/v1/tokens", data="email=a", content_type="text/plain")
    assert_problem(response, 415)


def test_requests_without_a_live_token_get_401(api, world):
    assert_problem(api.get("/api/v1/cases"), 401)
    assert_problem(api.get("/api/v1/cases", headers=bearer("not-a-token")), 401)
    response = api.get("/api/v1/cases", headers={"Authorization": "Basic abc"})
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_expires_after_thirty_days(api, world):
    with time_machine.travel(NOW, tick=False):
        token = token_for(api, world.officer)
        assert api.get("/api/v1/cases", headers=bearer(token)).status_code == 200
    with time_machine.travel(NOW + timedelta(days=30, seconds=1), tick=False):
        assert_problem(api.get("/api/v1/cases", headers=bearer(token)), 401)


def test_a_revoked_token_stops_working(api, world):
    token = token_for(api, world.officer)
    response = api.delete("/api/v1/tokens/current", headers=bearer(token))
    assert response.status_code == 204
    assert_problem(api.get("/api/v1/cases", headers=bearer(token)), 401)


def test_a_deactivated_users_token_stops_working(api, world, db):
    token = token_for(api, world.officer)
    world.officer.active = False
    db.session.commit()
    assert_problem(api.get("/api/v1/cases", headers=bearer(token)), 401)


def test_the_api_sets_no_cookies(api, world, make_case):
    token = token_for(api, world.officer)
    make_case()
    response = api.get("/api/v1/cases", headers=bearer(token))
    assert "Set-Cookie" not in response.headers


# -- listing -------------------------------------------------------------------------------------


def test_the_list_is_scoped_filtered_and_paged(api, world, make_case):
    first = make_case(title="Youth grant")
    make_case(title="Food bank grant", third_sector_id=world.foodbank.id)
    workflow.fire_event(
        first, "start_conciliation", EventRequest(today=date(2026, 11, 3)), world.officer
    )
    make_case(
        title="Rugby grant",
        compact_id=world.war.id,
        funder_id=world.wcc.id,
        third_sector_id=world.rugby_cvs.id,
    )
    officer = bearer(token_for(api, world.officer))
    everything = api.get("/api/v1/cases", headers=officer).json
    assert everything["total"] == 2
    assert {c["title"] for c in everything["items"]} == {"Youth grant", "Food bank grant"}
    conciliating = api.get("/api/v1/cases?state=local_conciliation", headers=officer).json
    assert [c["reference"] for c in conciliating["items"]] == [first.reference]
    searched = api.get("/api/v1/cases?q=food", headers=officer).json
    assert [c["title"] for c in searched["items"]] == ["Food bank grant"]
    paged = api.get("/api/v1/cases?per_page=1&page=2", headers=officer).json
    assert (paged["total"], paged["page"], paged["per_page"], len(paged["items"])) == (2, 2, 1, 1)
    warwickshire = bearer(token_for(api, world.officer_war))
    theirs = api.get("/api/v1/cases", headers=warwickshire).json
    assert [c["title"] for c in theirs["items"]] == ["Rugby grant"]
    assert api.get("/api/v1/cases?compact=BIR", headers=warwickshire).json["total"] == 0


@pytest.mark.parametrize(
    "query", ["per_page=101", "per_page=0", "page=abc", "state=lost", "overdue=maybe"]
)
def test_bad_list_parameters_are_422_with_the_parameter_named(api, world, query):
    response = api.get(f"/api/v1/cases?{query}", headers=bearer(token_for(api, world.officer)))
    problem = assert_problem(response, 422)
    assert query.split("=")[0] in problem["errors"]


def test_a_viewer_cannot_list_cases(api, world):
    response = api.get("/api/v1/cases", headers=bearer(token_for(api, world.viewer)))
    assert_problem(response, 403)


# -- creating, reading, changing ------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_logging_a_case_answers_201_with_its_location(api, world, db):
    officer = bearer(token_for(api, world.officer))
    response = api.post("/api/v1/cases", json=case_body(world), headers=officer)
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/v1/cases/BIR-2026-0001"
    case = response.json
    assert (case["reference"], case["state"], case["version"]) == ("BIR-2026-0001", "raised", 1)
    assert case["allowed_events"] == ["start_conciliation", "escalate", "resolve", "withdraw"]
    assert [d["kind"] for d in case["deadlines"]] == ["acknowledge"]
    assert case["deadlines"][0]["due_on"] == "2026-11-09"
    assert [e["kind"] for e in case["events"]] == ["created"]
    fetched = api.get(case["url"], headers=officer)
    assert fetched.json == case
    assert fetched.headers["ETag"] == '"1"'
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"funder_id": "5"}, "funder_id", "Input should be a valid integer"),
        ({"raised_on": "2026-02-30"}, "raised_on", None),
        ({"raised_on": "1999-12-31"}, "raised_on", "Dates must be from 2000 to 2100"),
        ({"areas": []}, "areas", None),
        ({"areas": ["gardening"]}, "areas.0", None),
        ({"colour": "red"}, "colour", "This field is not part of the request; remove it"),
        ({"title": ""}, "title", None),
        ({"compact": "WAR"}, "compact", "Give the code of a Compact you work in"),
    ],
)
def test_invalid_cases_are_422_with_the_field_named(api, world, db, overrides, field, message):
    officer = bearer(token_for(api, world.officer))
    response = api.post("/api/v1/cases", json=case_body(world, **overrides), headers=officer)
    problem = assert_problem(response, 422)
    assert field in problem["errors"]
    if message:
        assert message in problem["errors"][field][0]
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_the_same_party_rules_hold_as_on_the_pages(api, world):
    officer = bearer(token_for(api, world.officer))
    response = api.post(
        "/api/v1/cases", json=case_body(world, funder_id=world.foodbank.id), headers=officer
    )
    problem = assert_problem(response, 422)
    assert problem["errors"]["funder_id"] == [
        "Ladywood Community Food Bank is not a statutory funder"
    ]


def test_a_funder_cannot_log_a_case(api, world):
    funder = bearer(token_for(api, world.funder))
    assert_problem(api.post("/api/v1/cases", json=case_body(world), headers=funder), 403)


def test_a_case_outside_scope_is_404(api, world, make_case):
    case = make_case()
    warwickshire = bearer(token_for(api, world.officer_war))
    assert_problem(api.get(f"/api/v1/cases/{case.reference}", headers=warwickshire), 404)
    assert_problem(api.get("/api/v1/cases/BIR-2026-9999", headers=warwickshire), 404)
    response = api.patch(
        f"/api/v1/cases/{case.reference}",
        json={"title": "Mine now"},
        headers={**warwickshire, "If-Match": '"1"'},
    )
    assert_problem(response, 404)


def test_patch_needs_the_version_and_refuses_a_stale_one(api, world, make_case, db):
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}"
    assert_problem(api.patch(url, json={"title": "New"}, headers=officer), 428)
    changed = api.patch(url, json={"title": "New title"}, headers={**officer, "If-Match": '"1"'})
    assert changed.status_code == 200
    assert (changed.json["title"], changed.json["version"]) == ("New title", 2)
    assert changed.json["events"][0]["changes"] == {
        "title": ["Youth service grant cut with six weeks' notice", "New title"]
    }
    stale = api.patch(url, json={"title": "Older idea"}, headers={**officer, "If-Match": '"1"'})
    stale_body = assert_problem(stale, 409)
    assert "version 2" in stale_body["detail"]
    assert (stale_body["state"], stale_body["current_version"]) == ("raised", 2)
    by_body = api.patch(url, json={"summary": "Updated", "version": 2}, headers=officer)
    assert by_body.json["version"] == 3
    db.session.expire_all()
    assert db.session.get(Case, case.id).title == "New title"


def test_patch_refuses_null_for_a_required_field(api, world, make_case):
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    response = api.patch(
        f"/api/v1/cases/{case.reference}",
        json={"title": None},
        headers={**officer, "If-Match": "1"},
    )
    assert "title" in assert_problem(response, 422)["errors"]


# -- events ----------------------------------------------------------------------------------------


def test_an_event_moves_the_case_and_a_refused_one_lists_the_allowed(api, world, make_case, db):
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}/events"
    missing = api.post(url, json={"event": "escalate"}, headers=officer)
    problem = assert_problem(missing, 422)
    assert problem["errors"] == {"reason": ["Enter why the case cannot be conciliated locally"]}
    assert "escalate" in problem["allowed_events"]
    moved = api.post(url, json={"event": "start_conciliation"}, headers=officer)
    assert moved.status_code == 200
    assert moved.json["state"] == "local_conciliation"
    assert moved.json["deadlines"][0]["kind"] == "conclude_conciliation"
    again = api.post(url, json={"event": "start_conciliation"}, headers=officer)
    refused = assert_problem(again, 409)
    assert refused["allowed_events"] == ["escalate", "resolve", "withdraw"]
    unknown = assert_problem(api.post(url, json={"event": "explode"}, headers=officer), 409)
    assert unknown["allowed_events"] == ["escalate", "resolve", "withdraw"]
    db.session.expire_all()
    assert db.session.get(Case, case.id).state.value == "local_conciliation"


def test_a_role_that_may_not_fire_the_event_gets_403(api, world, make_case):
    case = make_case()
    funder = bearer(token_for(api, world.funder))
    response = api.post(
        f"/api/v1/cases/{case.reference}/events",
        json={"event": "withdraw", "reason": "x"},
        headers=funder,
    )
    assert_problem(response, 403)


# -- calculations agree with the rules core --------------------------------------------------------

CALCULATIONS = [
    ({"start": "2026-12-24", "count": 1, "unit": "working_days"}, date(2026, 12, 29)),
    ({"start": "2027-01-31", "count": 1, "unit": "months"}, date(2027, 2, 28)),
    ({"start": "2027-11-30", "count": 3, "unit": "months"}, date(2028, 2, 29)),
    # Good Friday 26 and Easter Monday 29 March 2027 are not counted.
    ({"start": "2027-03-24", "count": 5, "unit": "working_days"}, date(2027, 4, 2)),
    ({"start": "2026-10-01", "count": 12, "unit": "weeks"}, date(2026, 12, 24)),
    (
        {
            "start": "2026-10-01",
            "count": 20,
            "unit": "working_days",
            "pauses": [{"start": "2026-10-05", "end": "2026-10-12"}],
        },
        None,
    ),
]


@pytest.mark.parametrize(("body", "expected"), CALCULATIONS)
def test_deadline_calculations_agree_with_the_rules_core(api, world, body, expected):
    officer = bearer(token_for(api, world.officer))
    response = api.post("/api/v1/deadline-calculations", json=body, headers=officer)
    assert response.status_code == 200
    core = due_date(
        date.fromisoformat(body["start"]),
        Period(body["count"], Unit(body["unit"])),
        [
            Pause(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]))
            for p in body.get("pauses", [])
        ],
    )
    assert response.json == {"due_on": core.isoformat()}
    if expected:
        assert core == expected


def test_a_pause_ending_before_it_starts_is_refused(api, world):
    body = {
        "start": "2026-10-01",
        "count": 5,
        "unit": "working_days",
        "pauses": [{"start": "2026-10-05", "end": "2026-10-02"}],
    }
    officer = bearer(token_for(api, world.officer))
    response = api.post("/api/v1/deadline-calculations", json=body, headers=officer)
    assert_problem(response, 422)


NOTICE_CHECKS = [
    {"kind": "funding_end", "compact": "BIR", "effective_on": "2027-02-28"},
    {"kind": "funding_end", "compact": "BIR", "notice_given_on": "2026-11-30"},
    {
        "kind": "funding_reduction",
        "compact": "BIR",
        "notice_given_on": "2026-09-01",
        "effective_on": "2026-10-13",
    },
    {
        "kind": "funding_end",
        "compact": "BIR",
        "notice_given_on": "2026-09-01",
        "effective_on": "2026-12-01",
        "written": False,
    },
]


@pytest.mark.parametrize("body", NOTICE_CHECKS)
def test_notice_checks_agree_with_the_rules_core(api, world, body):
    officer = bearer(token_for(api, world.officer))
    response = api.post("/api/v1/notice-checks", json=body, headers=officer)
    assert response.status_code == 200
    given = body.get("notice_given_on")
    effective = body.get("effective_on")
    core = check_funding_notice(
        date.fromisoformat(given) if given else None,
        date.fromisoformat(effective) if effective else None,
        Period(3, Unit.MONTHS),
        body.get("written", True),
    )
    result = response.json
    assert result["required_period"] == {"count": 3, "unit": "months"}
    assert result["compliant"] == core.compliant
    assert result["shortfall_days"] == core.shortfall_days
    assert result["explanation"] == core.explanation
    assert result["latest_notice_date"] == (
        core.latest_notice_date.isoformat() if core.latest_notice_date else None
    )
    assert result["earliest_compliant_effective_on"] == (
        core.earliest_compliant_effective_on.isoformat()
    )


def test_a_month_end_planned_change_gives_the_last_notice_date(api, world):
    officer = bearer(token_for(api, world.officer))
    body = {"kind": "funding_end", "compact": "BIR", "effective_on": "2027-02-28"}
    result = api.post("/api/v1/notice-checks", json=body, headers=officer).json
    assert result["latest_notice_date"] == "2026-11-30"


def test_a_four_week_consultation_falls_short(api, world):
    officer = bearer(token_for(api, world.officer))
    body = {
        "kind": "consultation",
        "compact": "BIR",
        "opens_on": "2026-10-12",
        "closes_on": "2026-11-09",
    }
    result = api.post("/api/v1/notice-checks", json=body, headers=officer).json
    assert (result["compliant"], result["shortfall_days"]) == (False, 56)
    assert result["required_period"] == {"count": 12, "unit": "weeks"}


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (
            {"opens_on": "2027-03-01"},
            {
                "compliant": True,
                "earliest_closes_on": "2027-05-24",
                "latest_opens_on": None,
                "explanation": "A consultation opening on 1 March 2027 must close on or after "
                "24 May 2027 to run the 12 weeks required.",
            },
        ),
        (
            {"closes_on": "2027-05-24"},
            {
                "compliant": True,
                "earliest_closes_on": None,
                "latest_opens_on": "2027-03-01",
                "explanation": "To close on 24 May 2027, a consultation must open on or before "
                "1 March 2027 to run the 12 weeks required.",
            },
        ),
    ],
)
def test_a_planned_consultation_reads_as_on_the_page(api, world, dates, expected):
    officer = bearer(token_for(api, world.officer))
    body = {"kind": "consultation", "compact": "BIR", **dates}
    result = api.post("/api/v1/notice-checks", json=body, headers=officer).json
    assert {key: result[key] for key in expected} == expected
    assert result["shortfall_days"] == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "funding_end", "compact": "XYZ", "effective_on": "2027-02-28"}, 404),
        ({"kind": "consultation", "compact": "BIR", "notice_given_on": "2027-02-28"}, 422),
        ({"kind": "funding_end", "compact": "BIR"}, 422),
        (
            {
                "kind": "funding_end",
                "compact": "BIR",
                "notice_given_on": "2027-03-01",
                "effective_on": "2027-02-28",
            },
            422,
        ),
        (
            {
                "kind": "consultation",
                "compact": "BIR",
                "opens_on": "2027-03-01",
                "closes_on": "2027-02-28",
            },
            422,
        ),
    ],
)
def test_bad_notice_checks_are_refused(api, world, body, status):
    officer = bearer(token_for(api, world.officer))
    assert_problem(api.post("/api/v1/notice-checks", json=body, headers=officer), status)


# -- the description ---------------------------------------------------------------------------


def test_the_openapi_document_describes_every_api_route(api, app, world):
    spec = api.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    server = spec["servers"][0]["url"]
    assert server == "/api"
    documented = {
        (method.upper(), server + path) for path, ops in spec["paths"].items() for method in ops
    }
    routed = {
        (
            method,
            re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule),
        )
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert documented == routed


def test_the_docs_page_lists_the_operations(api, world):
    page = api.get("/api/docs").get_data(as_text=True)
    assert "Compact Cases API" in page
    assert "POST /api/v1/cases/{reference}/events" in page


def test_a_nul_character_in_the_body_is_refused(api, world, db):
    officer = bearer(token_for(api, world.officer))
    response = api.post("/api/v1/cases", json=case_body(world, title="Cut\x00"), headers=officer)
    assert assert_problem(response, 422)["errors"] == {"title": ["Remove the NUL character"]}
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


# -- outcomes ----------------------------------------------------------------------------------

OUTCOME_BODY = {
    "level": "before_conciliation",
    "outcome_type": "funding_reinstated",
    "breach_found": "yes",
    "funding_protected": 67000,
    "jobs_safeguarded": 3,
    "notice_days_gained": None,
    "service_users_affected": 120,
    "agreed_actions": "Core grant restored for 2027/28",
    "learning": "Assess the impact before deciding",
    "learning_shareable": True,
}


def test_recording_an_outcome_resolves_the_case(api, world, make_case, db):
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}/outcome"
    assert_problem(api.get(url, headers=officer), 404)
    incomplete = api.post(url, json={**OUTCOME_BODY, "learning": ""}, headers=officer)
    assert "learning" in assert_problem(incomplete, 422)["errors"]
    too_far = api.post(url, json={**OUTCOME_BODY, "level": "regional_mediation"}, headers=officer)
    assert "level" in assert_problem(too_far, 422)["errors"]
    recorded = api.post(url, json=OUTCOME_BODY, headers=officer)
    assert recorded.status_code == 201
    assert recorded.headers["Location"] == url
    outcome = recorded.json
    assert (outcome["kind"], outcome["funding_protected"], outcome["jobs_safeguarded"]) == (
        "resolved",
        67000,
        3,
    )
    assert outcome["notice_days_gained"] is None
    assert api.get(url, headers=officer).json == outcome
    shown = api.get(f"/api/v1/cases/{case.reference}", headers=officer).json
    assert (shown["state"], shown["allowed_events"]) == ("resolved", ["reopen"])
    again = assert_problem(api.post(url, json=OUTCOME_BODY, headers=officer), 409)
    assert again["allowed_events"] == ["reopen"]


def test_resolve_as_an_event_needs_the_outcome(api, world, make_case):
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}/events"
    missing = assert_problem(api.post(url, json={"event": "resolve"}, headers=officer), 422)
    assert "resolve" in missing["allowed_events"]
    done = api.post(url, json={"event": "resolve", "outcome": OUTCOME_BODY}, headers=officer)
    assert done.status_code == 200
    assert done.json["state"] == "resolved"


def test_a_funder_cannot_record_an_outcome(api, world, make_case):
    case = make_case()
    funder = bearer(token_for(api, world.funder))
    response = api.post(
        f"/api/v1/cases/{case.reference}/outcome", json=OUTCOME_BODY, headers=funder
    )
    assert_problem(response, 403)


# -- notices -----------------------------------------------------------------------------------

NOTICE_BODY = {
    "kind": "funding_reduction",
    "compact": "BIR",
    "title": "Youth work grant cut by half",
    "notice_given_on": "2026-09-01",
    "effective_on": "2026-10-13",
    "amount_before": 40000,
    "amount_after": 20000,
}


def test_a_funder_records_a_notice_and_gets_its_verdict(api, world):
    funder = bearer(token_for(api, world.funder))
    body = {**NOTICE_BODY, "funder_id": world.council.id, "recipient_id": world.youth.id}
    response = api.post("/api/v1/notices", json=body, headers=funder)
    assert response.status_code == 201
    notice = response.json
    assert response.headers["Location"] == notice["url"]
    # 1 September + 3 months = 1 December; 13 October is 49 days short.
    assert (notice["compliant"], notice["shortfall_days"]) == (False, 49)
    assert notice["earliest_compliant_on"] == "2026-12-01"
    assert api.get(notice["url"], headers=funder).json == notice
    listed = api.get("/api/v1/notices?compliant=false", headers=funder).json
    assert [n["id"] for n in listed["items"]] == [notice["id"]]
    assert api.get("/api/v1/notices?compliant=true", headers=funder).json["total"] == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"effective_on": "2026-08-01"}, "effective_on", "must be the same as or after"),
        ({"amount_after": 50000}, "amount_after", "For a reduction, enter less"),
        ({"recipient_id": None}, "recipient_id", "Select the organisation"),
        ({"compact": "XYZ"}, "compact", "Give the code of a Compact"),
        ({"notice_given_on": "1999-01-01"}, "notice_given_on", "from 2000 to 2100"),
    ],
)
def test_bad_notices_are_refused_with_the_field_named(api, world, db, overrides, field, message):
    from compactcases.models import Notice

    funder = bearer(token_for(api, world.funder))
    body = {**NOTICE_BODY, "funder_id": world.council.id, "recipient_id": world.youth.id}
    response = api.post("/api/v1/notices", json={**body, **overrides}, headers=funder)
    problem = assert_problem(response, 422)
    assert message in problem["errors"][field][0]
    assert db.session.scalar(db.select(db.func.count(Notice.id))) == 0


def test_a_funder_cannot_record_another_funders_notice(api, world):
    funder = bearer(token_for(api, world.funder))
    body = {**NOTICE_BODY, "funder_id": world.police.id, "recipient_id": world.youth.id}
    problem = assert_problem(api.post("/api/v1/notices", json=body, headers=funder), 422)
    assert problem["errors"]["funder_id"] == ["Select the statutory funder"]


def test_notices_are_scoped(api, world):
    admin = bearer(token_for(api, world.admin))
    body = {**NOTICE_BODY, "funder_id": world.council.id, "recipient_id": world.youth.id}
    notice = api.post("/api/v1/notices", json=body, headers=admin).json
    warwickshire = bearer(token_for(api, world.officer_war))
    assert api.get("/api/v1/notices", headers=warwickshire).json["total"] == 0
    assert_problem(api.get(notice["url"], headers=warwickshire), 404)
    by_funder = api.get(f"/api/v1/notices?funder={world.council.id}", headers=admin).json
    assert by_funder["total"] == 1


# -- reports -------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_report_summary_gives_the_reports_figures_in_scope(api, world, make_case):
    make_case(raised_on=date(2026, 10, 5))
    make_case(
        raised_on=date(2026, 10, 6),
        compact_id=world.war.id,
        funder_id=world.wcc.id,
        third_sector_id=world.rugby_cvs.id,
    )
    viewer = bearer(token_for(api, world.viewer))
    summary = api.get("/api/v1/reports/summary", headers=viewer).json
    assert (summary["start"], summary["end"]) == ("2026-04-01", "2027-03-31")
    cases = next(r for r in summary["reports"] if r["name"] == "cases")
    assert cases["rows"][0] == ["Cases opened", 2]
    officer = bearer(token_for(api, world.officer))
    mine = api.get("/api/v1/reports/summary?from=2026-10-01&to=2026-10-31", headers=officer).json
    cases = next(r for r in mine["reports"] if r["name"] == "cases")
    assert cases["rows"][0] == ["Cases opened", 1]
    assert {r["name"] for r in mine["reports"]} >= {"cases", "outcomes", "compliance", "trend"}


def test_the_report_summary_refuses_bad_dates_and_funders(api, world):
    viewer = bearer(token_for(api, world.viewer))
    problem = assert_problem(
        api.get("/api/v1/reports/summary?from=2026-02-30", headers=viewer), 422
    )
    assert "from" in problem["errors"]
    funder = bearer(token_for(api, world.funder))
    assert_problem(api.get("/api/v1/reports/summary", headers=funder), 403)


def test_a_server_failure_answers_as_a_problem(api, app, world, monkeypatch):
    from compactcases.api import case_views

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    officer = bearer(token_for(api, world.officer))
    monkeypatch.setattr(case_views.case_search, "search_cases", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    problem = assert_problem(api.get("/api/v1/cases", headers=officer), 500)
    assert problem["detail"] == "The server failed to answer; nothing was changed"

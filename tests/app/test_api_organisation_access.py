"""Every API operation with an organisation user's token, inside its scope and outside it: the
exact status. Inside: a case Sparkbrook Youth Project is a party to, a notice given to it, its
funding agreement, a document on that case shared with the parties. Outside: a Warwickshire case,
notice and agreement between other organisations, and a document on that case.

The operations come from the app's URL map, so an API route added without a line here fails
`test_every_api_operation_has_a_rule_for_organisation_users`.
"""

from __future__ import annotations

import pytest

from compactcases import create_app
from compactcases.config import TestConfig
from tests.app.test_access_matrix import api_url, build_records
from tests.app.test_api import OUTCOME_BODY
from tests.conftest import PASSWORD

# (rule, method) -> (body, (inside, outside)). A body of {} is an empty JSON object, so a write
# the role may make answers 422 for its missing fields; None sends no body.
RULES: dict[tuple[str, str], tuple[dict | None, tuple[int, int]]] = {
    ("/api/v1/cases", "GET"): (None, (200, 200)),
    # Raising a concern: its own organisation and Compact are filled in; the rest is missing.
    ("/api/v1/cases", "POST"): ({}, (422, 422)),
    ("/api/v1/cases/<reference>", "GET"): (None, (200, 404)),
    ("/api/v1/cases/<reference>", "PATCH"): ({}, (403, 404)),
    ("/api/v1/cases/<reference>/events", "GET"): (None, (200, 404)),
    # A party responds on its own open case: an empty response is refused for its text.
    ("/api/v1/cases/<reference>/responses", "POST"): ({}, (422, 404)),
    # Workflow events and outcomes are checked for their shape first: a well-formed one.
    ("/api/v1/cases/<reference>/events", "POST"): (
        {"event": "withdraw", "reason": "We no longer wish to go on"},
        (403, 404),
    ),
    ("/api/v1/cases/<reference>/assignment", "POST"): ({}, (403, 404)),
    ("/api/v1/cases/<reference>/acknowledgement", "POST"): ({}, (403, 404)),
    ("/api/v1/cases/<reference>/referral", "POST"): ({}, (403, 404)),
    ("/api/v1/cases/<reference>/outcome", "GET"): (None, (404, 404)),
    ("/api/v1/cases/<reference>/outcome", "POST"): (OUTCOME_BODY, (403, 404)),
    ("/api/v1/cases/<reference>/meetings", "GET"): (None, (200, 404)),
    ("/api/v1/cases/<reference>/meetings", "POST"): ({}, (403, 404)),
    ("/api/v1/cases/<reference>/documents", "GET"): (None, (200, 404)),
    ("/api/v1/cases/<reference>/documents", "POST"): ({}, (403, 404)),
    ("/api/v1/documents/<int:document_id>", "GET"): (None, (200, 404)),
    ("/api/v1/documents/<int:document_id>/content", "GET"): (None, (200, 404)),
    ("/api/v1/deadline-calculations", "POST"): ({}, (422, 422)),
    ("/api/v1/notice-checks", "POST"): ({}, (422, 422)),
    ("/api/v1/notices", "GET"): (None, (200, 200)),
    ("/api/v1/notices", "POST"): ({}, (403, 403)),
    ("/api/v1/notices/<int:notice_id>", "GET"): (None, (200, 404)),
    ("/api/v1/notices/<int:notice_id>", "PATCH"): ({}, (403, 404)),
    ("/api/v1/notices/<int:notice_id>/withdrawal", "POST"): ({}, (403, 404)),
    ("/api/v1/funding-agreements", "GET"): (None, (200, 200)),
    ("/api/v1/funding-agreements", "POST"): ({}, (403, 403)),
    ("/api/v1/funding-agreements/<int:agreement_id>", "GET"): (None, (200, 404)),
    ("/api/v1/funding-agreements/<int:agreement_id>", "PATCH"): ({}, (403, 404)),
    ("/api/v1/funding-agreements/<int:agreement_id>/decisions", "POST"): ({}, (403, 404)),
    ("/api/v1/reports/summary", "GET"): (None, (403, 403)),
    ("/api/v1/reports/business-case", "GET"): (None, (403, 403)),
    ("/api/v1/compacts", "GET"): (None, (200, 200)),
    ("/api/v1/organisations", "GET"): (None, (200, 200)),
    ("/api/v1/deadlines", "GET"): (None, (200, 200)),
    ("/api/v1/tokens/current", "DELETE"): (None, (204, 204)),
}
# Getting a token, and the API's description, are the same for everyone (test_api.py).
NOT_HERE = {("/api/v1/tokens", "POST"), ("/api/v1/openapi.json", "GET")}


def api_operations() -> set[tuple[str, str]]:
    app = create_app(TestConfig)
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_api_operation_has_a_rule_for_organisation_users():
    assert api_operations() - NOT_HERE == set(RULES)


@pytest.fixture
def scoped(world, db):
    return world, build_records(world, db)["organisation"]


def _token(client, user) -> str:
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json["token"]


def test_an_organisation_users_token_gets_the_right_status_everywhere(app, db, scoped):
    """Every operation in turn, inside and outside the scope, on one set of records: a write
    that was not refused would have the records made again, but none of these is allowed to
    change them (deleting the current token changes no record)."""
    world, (inside, outside) = scoped
    client = app.test_client()
    wrong = []
    for (rule, method), (body, expected) in sorted(RULES.items()):
        for where, record, status in (
            ("inside", inside, expected[0]),
            ("outside", outside, expected[1]),
        ):
            # A fresh token each time: deleting the current token is one of the operations.
            headers = {"Authorization": f"Bearer {_token(client, world.organisation_user)}"}
            url = api_url(rule)(world, record)
            response = client.open(url, method=method, headers=headers, json=body)
            if response.status_code != status:
                wrong.append(f"{method} {url} ({where}): {response.status_code}, not {status}")
            elif status >= 400 and response.content_type != "application/problem+json":
                wrong.append(f"{method} {url} ({where}): {response.content_type}")
            if method != "GET" and response.status_code < 400 and rule != "/api/v1/tokens/current":
                wrong.append(f"{method} {url} ({where}) changed something")
    assert wrong == []


def test_a_private_document_on_its_own_case_is_not_found(app, db, scoped):
    world, (inside, _) = scoped
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, world.organisation_user)}"}
    for tail in ("", "/content"):
        url = f"/api/v1/documents/{inside.private_document_id}{tail}"
        assert client.get(url, headers=headers).status_code == 404
    listed = client.get(f"/api/v1/cases/{inside.case.reference}/documents", headers=headers)
    assert [d["id"] for d in listed.json["items"]] == [inside.document_id]

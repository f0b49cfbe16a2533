"""Schemathesis against the served OpenAPI description: generated requests to every operation,
signed in with a real token, must never cause a server error nor a response the description
does not allow."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from compactcases.api import views as _api_views  # noqa: F401 - registers the operations
from compactcases.api.openapi import OPERATIONS
from tests.conftest import PASSWORD

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 40
# How many requests the run sent, by operation; printed at the end of the session.
SENT: Counter[str] = Counter()


@pytest.fixture
def token(app, world, make_case):
    make_case()
    response = app.test_client().post(
        "/api/v1/tokens", json={"email": world.admin.email, "password": PASSWORD}
    )
    return response.json["token"]


@pytest.mark.parametrize("label", [f"{op.method} {op.path}" for op in OPERATIONS])
def test_every_operation_keeps_to_its_description(app, token, label):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    [operation] = [r.ok() for r in schema.get_all_operations() if r.ok().label == label]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def request_keeps_to_the_description(case):
        SENT[label] += 1
        # Each request in an application context of its own, as a server would run it.
        with app.app_context():
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    request_keeps_to_the_description()

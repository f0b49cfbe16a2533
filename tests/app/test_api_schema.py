"""Schemathesis against the served OpenAPI description: generated requests to every operation,
signed in with a real token, must never cause a server error nor a response the description
does not allow.

CI sends 40 valid requests per operation. `make fuzz` sets SCHEMATHESIS_EXAMPLES=200 and
SCHEMATHESIS_FUZZ=1: then each operation also gets as many requests that break the description
(which must be refused with a 4xx), every undocumented method must answer 405 with `Allow`,
and a stateful phase chains the operations (log a case, read it, change it, ...) by the links
schemathesis infers from the responses."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from compactcases.agreements import services as agreements
from compactcases.api import views as _api_views  # noqa: F401 - registers the operations
from compactcases.api.openapi import OPERATIONS
from compactcases.demo.papers import letter_pdf
from compactcases.documents import services as documents
from tests.conftest import PASSWORD

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
FUZZ = os.environ.get("SCHEMATHESIS_FUZZ") == "1"
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "40"))
# What the longer run checks besides: invalid requests refused, 405 with Allow elsewhere.
FUZZ_CHECKS = [negative_data_rejection, unsupported_method, allow_header_conformance]
STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_STATEFUL_SCENARIOS", "200"))
# How many requests the run sent, by operation; printed at the end of the session.
SENT: Counter[str] = Counter()


@pytest.fixture
def token(app, world, make_case):
    case = make_case()
    # A document for the document operations to find (ids from 1).
    documents.add_document(
        owner=case,
        filename="letter.pdf",
        data=letter_pdf(["Notice of the end of the grant"]),
        visibility="parties",
        actor=world.officer,
    )
    # A funding agreement for the agreement operations to find (ids from 1).
    agreements.create_agreement(
        agreements.AgreementDetails(
            funder_id=world.council.id,
            organisation_id=world.youth.id,
            compact_id=world.bir.id,
            title="Youth work",
            funder_reference="BCC-1",
            annual_value=1000,
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        world.admin,
    )
    response = app.test_client().post(
        "/api/v1/tokens", json={"email": world.admin.email, "password": PASSWORD}
    )
    return response.json["token"]


@pytest.mark.parametrize("label", [f"{op.method} {op.path}" for op in OPERATIONS])
def test_every_operation_keeps_to_its_description(app, token, label):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    [operation] = [r.ok() for r in schema.get_all_operations() if r.ok().label == label]

    strategy = operation.as_strategy()
    if FUZZ:
        # The token is given to the generator, so that no invalid request counts on a missing
        # Authorization header that the call then adds.
        auth = {"Authorization": f"Bearer {token}"}
        strategy = st.one_of(strategy, operation.as_strategy(GenerationMode.NEGATIVE, headers=auth))
    checks = CHECKS + FUZZ_CHECKS if FUZZ else CHECKS

    @given(case=strategy)
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
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=checks)

    request_keeps_to_the_description()


@pytest.mark.skipif(not FUZZ, reason="the stateful phase runs with `make fuzz`")
def test_chains_of_operations_keep_to_the_description(app, token):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    class Chains(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def call(self, case, **kwargs):
            SENT["stateful"] += 1
            with app.app_context():
                return case.call(**kwargs)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Chains.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
    )

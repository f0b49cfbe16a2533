"""Money typed into the case, notice and outcome forms is read by one rule: "£18,000",
"18,000" and "18000" alike, and the same sentence beside the field for what cannot be read,
with what was typed kept."""

from __future__ import annotations

from datetime import date

import pytest

from compactcases.models import Case, Outcome
from tests.app.test_api import assert_problem, bearer, case_body, token_for
from tests.app.test_case_pages import OUTCOME, field_error, new_case_form, resolve

ACCEPTED = ["£18,000", "18,000", "18000", " £18,000 "]


@pytest.mark.parametrize("typed", ACCEPTED)
def test_the_case_form_reads_money_however_it_is_typed(browser, world, db, typed):
    saved = browser.submit("/cases/new", "/cases/new", new_case_form(world, amount_at_stake=typed))
    assert saved.status_code == 302
    assert db.session.scalar(db.select(Case.amount_at_stake)) == 18000


def test_the_case_edit_form_shows_the_amount_as_people_write_it(browser, world, make_case):
    case = make_case(amount_at_stake=18000)
    html = browser.get(f"/cases/{case.reference}/edit").get_data(as_text=True)
    assert 'value="18,000"' in html


@pytest.mark.parametrize("typed", ACCEPTED)
def test_the_outcome_form_reads_money_however_it_is_typed(browser, make_case, db, typed):
    case = make_case(raised_on=date(2026, 10, 5))
    outcome = {**OUTCOME, "level": "before_conciliation", "funding_protected": typed}
    done = resolve(browser, case, **outcome)
    assert done.status_code == 302, field_error(done, "resolve-funding_protected")
    assert db.session.scalar(db.select(Outcome.funding_protected)) == 18000


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("18k", "Enter the funding protected in whole pounds, like 18,000"),
        ("18.50", "Enter the funding protected in whole pounds, without pence"),
        ("-5", "Enter the funding protected from £0 to £10,000,000,000"),
    ],
)
def test_the_outcome_form_refuses_what_is_not_whole_pounds_beside_the_field(
    browser, make_case, typed, message
):
    case = make_case(raised_on=date(2026, 10, 5))
    outcome = {**OUTCOME, "level": "before_conciliation", "funding_protected": typed}
    refused = resolve(browser, case, **outcome)
    assert refused.status_code == 422
    assert field_error(refused, "resolve-funding_protected") == message
    assert f'value="{typed}"' in refused.get_data(as_text=True)


@pytest.mark.parametrize("amount", ["£18,000", "18,000", "18000", 18000.5, -5, 10**10 + 1])
def test_the_api_takes_money_as_json_whole_numbers_only(app, world, amount):
    api = app.test_client()
    headers = bearer(token_for(api, world.officer))
    body = case_body(world, amount_at_stake=amount)
    refused = api.post("/api/v1/cases", json=body, headers=headers)
    assert "amount_at_stake" in assert_problem(refused, 422)["errors"]
    taken = api.post("/api/v1/cases", json={**body, "amount_at_stake": 18000}, headers=headers)
    assert taken.status_code == 201 and taken.json["amount_at_stake"] == 18000

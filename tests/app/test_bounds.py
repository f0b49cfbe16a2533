"""Out-of-range input answers 404, 400 or a form error, never 500: ids in paths, page numbers,
money and outcome figures, report periods, sums of money in shared learning, and API
parameters longer than the description allows."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
import time_machine
from werkzeug.routing import IntegerConverter

from compactcases.api.notice_schemas import NoticeCreate
from compactcases.api.schemas import CaseCreate, OutcomeIn
from compactcases.bounds import MAX_ID, MAX_PAGE, IdConverter
from compactcases.cases.forms import CaseForm
from compactcases.fields import MoneyField
from compactcases.models import DeadlinePause, Outcome
from compactcases.notices.forms import NoticeForm
from compactcases.reports.bounds import latest_end, period_errors
from tests.app.test_api import OUTCOME_BODY, assert_problem, bearer, token_for
from tests.app.test_case_pages import field_error, text
from tests.conftest import csrf_token
from workflows.money import FigureError, parse_pounds
from workflows.outcomes import MAX_FIGURE

TOO_BIG_IDS = (str(MAX_ID + 1), "1" + "0" * 20, "9" * 400)


@pytest.fixture
def api(app, db):
    return app.test_client()


def _int_rules(app) -> list:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


# -- ids in paths ----------------------------------------------------------------------------------


def test_every_integer_in_a_path_is_a_bounded_row_id(app):
    rules = _int_rules(app)
    assert len(rules) >= 9
    for rule in rules:
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, IdConverter), (rule.rule, name)
                assert (converter.min, converter.max) == (1, MAX_ID), (rule.rule, name)


def test_an_id_beyond_the_columns_range_is_404_on_every_route(app, anonymous, world, make_case):
    case = make_case()
    token = token_for(app.test_client(), world.admin)
    anonymous.sign_in(world.admin)
    form_token = csrf_token(anonymous.get("/admin/users").get_data(as_text=True))
    for rule in _int_rules(app):
        for too_big in TOO_BIG_IDS:
            url = re.sub(r"<int:[a-z_]+>", too_big, rule.rule)
            url = url.replace("<reference>", case.reference)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                if url.startswith("/api/"):
                    response = app.test_client().open(url, method=method, headers=bearer(token))
                    assert_problem(response, 404)
                else:
                    response = anonymous.request(method, url, data={"csrf_token": form_token})
                    assert response.status_code == 404, (method, url, response.status_code)


def test_ids_in_range_still_reach_their_records(anonymous, world):
    anonymous.sign_in(world.admin)
    page = anonymous.get(f"/admin/organisations/{world.council.id}/edit")
    assert page.status_code == 200
    assert anonymous.get("/admin/organisations/0/edit").status_code == 404
    assert anonymous.get(f"/admin/organisations/{MAX_ID}/edit").status_code == 404


# -- page numbers ----------------------------------------------------------------------------------


def _lists(world) -> list[tuple[object, str]]:
    return [
        (world.officer, "/cases"),
        (world.officer, "/notices"),
        (world.officer, f"/funders/{world.council.id}/compliance"),
        (world.officer, "/inbox"),
        (world.officer, "/learning"),
        (world.admin, "/admin/organisations"),
        (world.admin, "/admin/reminders"),
    ]


def test_a_page_number_beyond_any_list_is_400_on_every_list(app, world, make_case):
    make_case()
    for user, url in _lists(world):
        client = _signed_in(app, user)
        for page in (str(MAX_PAGE + 1), "1" + "0" * 20, "9" * 5000):
            response = client.get(f"{url}?page={page}")
            assert response.status_code == 400, (url, page[:30], response.status_code)
            assert "no pages beyond page 100,000" in text(response)


def test_a_page_number_that_is_not_a_positive_whole_number_shows_the_first_page(app, world):
    for user, url in _lists(world):
        client = _signed_in(app, user)
        for page in ("0", "-3", "abc", "1.5", "²", "", str(MAX_PAGE)):
            assert client.get(f"{url}?page={page}").status_code == 200, (url, page)


def _signed_in(app, user):
    from tests.conftest import Browser

    browser = Browser(app, app.test_client())
    browser.sign_in(user)
    return browser


# -- money and outcome figures ---------------------------------------------------------------------


def test_one_upper_bound_for_figures_in_forms_api_and_columns(app):
    with app.test_request_context():
        for form_class, names in (
            (CaseForm, ["amount_at_stake"]),
            (NoticeForm, ["amount_before", "amount_after"]),
        ):
            for name in names:
                # Every form reads money with the one parser, bounded by MAX_FIGURE.
                assert getattr(form_class, name).field_class is MoneyField
    assert parse_pounds(f"£{MAX_FIGURE:,}") == MAX_FIGURE
    with pytest.raises(FigureError):
        parse_pounds(str(MAX_FIGURE + 1))
    schemas = (
        (CaseCreate, ["amount_at_stake"]),
        (NoticeCreate, ["amount_before", "amount_after"]),
        (OutcomeIn, ["funding_protected", "jobs_safeguarded", "notice_days_gained"]),
    )
    for model, names in schemas:
        properties = model.model_json_schema()["properties"]
        for name in names:
            [number] = [s for s in properties[name]["anyOf"] if s.get("type") == "integer"]
            assert (number["minimum"], number["maximum"]) == (0, MAX_FIGURE), (model, name)
    columns = [
        Outcome.__table__.c[name]
        for name in (
            "funding_protected",
            "jobs_safeguarded",
            "notice_days_gained",
            "service_users_affected",
        )
    ]
    assert all(isinstance(column.type, sa.BigInteger) for column in columns)


def test_outcome_figures_up_to_the_bound_are_stored_and_beyond_it_refused(api, world, make_case):
    officer = bearer(token_for(api, world.officer))
    beyond_32_bits = 2**31
    figures = {
        "funding_protected": MAX_FIGURE,
        "jobs_safeguarded": beyond_32_bits,
        "notice_days_gained": beyond_32_bits,
        "service_users_affected": MAX_FIGURE,
    }
    too_many = make_case()
    url = f"/api/v1/cases/{too_many.reference}/outcome"
    refused = api.post(
        url, json={**OUTCOME_BODY, "jobs_safeguarded": MAX_FIGURE + 1}, headers=officer
    )
    assert "jobs_safeguarded" in assert_problem(refused, 422)["errors"]
    recorded = api.post(url, json={**OUTCOME_BODY, **figures}, headers=officer)
    assert recorded.status_code == 201, recorded.get_data(as_text=True)
    assert {name: recorded.json[name] for name in figures} == figures
    assert api.get(url, headers=officer).json["jobs_safeguarded"] == beyond_32_bits


def test_an_outcome_form_figure_of_thousands_of_digits_is_a_field_error(browser, make_case):
    case = make_case()
    page = browser.get(f"/cases/{case.reference}/resolve")
    assert page.status_code == 200
    for typed in ("9" * 5000, "²", "10000000001"):
        fields = {
            "level": "before_conciliation",
            "outcome_type": "agreement_reached",
            "breach_found": "no",
            "funding_protected": typed,
            "agreed_actions": "Agreed",
            "learning": "Learned",
            "learning_shareable": "no",
        }
        response = browser.post(
            f"/cases/{case.reference}/events/resolve",
            data={
                "csrf_token": csrf_token(page.get_data(as_text=True)),
                **{f"resolve-{name}": value for name, value in fields.items()},
            },
        )
        assert response.status_code == 422, (typed[:10], response.status_code)
        assert field_error(response, "resolve-funding_protected")


def test_the_columns_refuse_a_figure_beyond_the_bound(db, make_case):
    case = make_case()
    db.session.add(
        Outcome(
            case_id=case.id,
            kind="resolved",
            level="before_conciliation",
            jobs_safeguarded=MAX_FIGURE + 1,
        )
    )
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_case_has_at_most_one_open_pause(db, make_case, world):
    case = make_case()
    db.session.add(DeadlinePause(case_id=case.id, started_on=date(2026, 10, 6), reason="Waiting"))
    db.session.add(
        DeadlinePause(
            case_id=case.id, started_on=date(2026, 10, 6), ended_on=date(2026, 10, 8), reason="Done"
        )
    )
    db.session.commit()
    db.session.add(DeadlinePause(case_id=case.id, started_on=date(2026, 10, 7), reason="Again"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()
    other = make_case(third_sector_id=world.foodbank.id)
    db.session.add(DeadlinePause(case_id=other.id, started_on=date(2026, 10, 7), reason="Other"))
    db.session.commit()


# -- shared learning -------------------------------------------------------------------------------


def test_a_sum_of_money_of_any_length_in_shared_learning_shows_as_its_band(
    api, anonymous, world, make_case
):
    officer = bearer(token_for(api, world.officer))
    case = make_case()
    learning = f"Protected £{'9' * 309} and then £{'1' * 700}.{'5' * 700}m; and £1.5k"
    recorded = api.post(
        f"/api/v1/cases/{case.reference}/outcome",
        json={**OUTCOME_BODY, "learning": learning},
        headers=officer,
    )
    assert recorded.status_code == 201, recorded.get_data(as_text=True)
    anonymous.sign_in(world.viewer)
    response = anonymous.get("/learning")
    assert response.status_code == 200
    page = text(response)
    assert "Protected [£250,000 or more] and then [£250,000 or more]; and [Under £10,000]" in page
    assert "999999" not in page


# -- report periods --------------------------------------------------------------------------------

TODAY = date(2026, 11, 20)


def test_a_period_is_at_most_ten_years_within_2000_to_2100():
    assert latest_end(date(2026, 4, 1)) == date(2036, 3, 31)
    assert latest_end(date(2024, 2, 29)) == date(2034, 2, 28)
    assert latest_end(date(2095, 1, 1)) == date(2100, 12, 31)
    assert period_errors(date(2026, 4, 1), date(2036, 3, 31)) == {}
    assert set(period_errors(date(2026, 4, 1), date(2036, 4, 1))) == {"end"}
    assert set(period_errors(date(1999, 12, 31), date(2001, 1, 1))) == {"start"}
    assert set(period_errors(date(2026, 4, 1), date(9999, 1, 1))) == {"end"}


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "start=1&start=4&start=2026&end=1&end=1&end=9999",
            "end",
            "The end of the period must be in 2100 or earlier",
        ),
        (
            "start=1&start=4&start=2000&end=1&end=4&end=2026",
            "end",
            "A period can be at most 10 years long: end it on or before 31 March 2010",
        ),
        (
            "end=1&end=1&end=2050",
            "end",
            "A period can be at most 10 years long: end it on or before 31 March 2036",
        ),
        (
            "start=1&start=1&start=2200",
            "start",
            "The start of the period must be in 2100 or earlier",
        ),
    ],
)
@pytest.mark.parametrize(
    "path", ["/reports", "/reports/trend", "/reports/annual-summary", "/reports/outcomes"]
)
def test_a_report_period_too_long_or_out_of_range_is_an_error_beside_its_field(
    anonymous, world, path, query, field, message
):
    anonymous.sign_in(world.viewer)
    response = anonymous.get(f"{path}?{query}")
    assert response.status_code == 200
    assert field_error(response, field) == message
    assert anonymous.get(f"/reports/trend.csv?{query}").status_code == 400


@time_machine.travel(TODAY, tick=False)
def test_a_ten_year_trend_is_drawn(anonymous, world):
    anonymous.sign_in(world.viewer)
    response = anonymous.get("/reports/trend?start=1&start=4&start=2016&end=31&end=3&end=2026")
    assert response.status_code == 200
    assert field_error(response, "end") is None


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("from=2026-04-01&to=9999-12-31", {"to"}),
        ("from=2000-01-01&to=2026-03-31", {"to"}),
        ("to=2050-01-01", {"to"}),
        ("from=1999-12-31&to=2001-01-01", {"from"}),
    ],
)
def test_the_api_refuses_a_report_period_too_long_or_out_of_range_with_400(
    api, world, query, names
):
    viewer = bearer(token_for(api, world.viewer))
    problem = assert_problem(api.get(f"/api/v1/reports/summary?{query}", headers=viewer), 400)
    assert set(problem["errors"]) == names


@time_machine.travel(TODAY, tick=False)
def test_the_api_reports_a_ten_year_period(api, world):
    viewer = bearer(token_for(api, world.viewer))
    response = api.get("/api/v1/reports/summary?from=2016-04-01&to=2026-03-31", headers=viewer)
    assert response.status_code == 200


# -- the API description -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/cases?compact=ABCDEFGHI",
        "/api/v1/notices?compact=ABCDEFGHI",
        "/api/v1/reports/summary?compact=ABCDEFGHI",
        "/api/v1/reports/summary?region=ABCDEFGHI",
        "/api/v1/reports/summary?from=20260401",
    ],
)
def test_a_parameter_beyond_its_description_is_refused(api, world, url):
    admin = bearer(token_for(api, world.admin))
    name = re.search(r"\?([a-z]+)=", url).group(1)
    assert name in assert_problem(api.get(url, headers=admin), 422)["errors"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("PUT", "/api/v1/cases"),
        ("DELETE", "/api/v1/cases/BIR-2026-0001"),
        ("GET", "/api/v1/tokens"),
        ("POST", "/api/v1/notices/1"),
        ("DELETE", "/cases"),
        ("PUT", "/sign-in"),
    ],
)
def test_every_405_names_the_allowed_methods(app, method, url):
    response = app.test_client().open(url, method=method)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
    assert allowed - {"HEAD", "OPTIONS", ""}, response.headers


def test_every_operation_documents_the_500_problem(api):
    description = api.get("/api/v1/openapi.json").json
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("500")
            assert answer, (method, path)
            assert "application/problem+json" in answer["content"]


def test_a_query_parameter_the_operation_does_not_take_is_refused(api, world, make_case):
    case = make_case()
    admin = bearer(token_for(api, world.admin))
    for url in ("/api/v1/cases?stat=raised", f"/api/v1/cases/{case.reference}?page=2"):
        problem = assert_problem(api.get(url, headers=admin), 422)
        assert set(problem["errors"]) == {re.search(r"\?([a-z]+)=", url).group(1)}
    assert api.get("/api/v1/cases?state=raised", headers=admin).status_code == 200


def test_an_empty_value_is_refused_where_the_description_allows_none(api, world):
    admin = bearer(token_for(api, world.admin))
    for url, name in (
        ("/api/v1/cases?page=", "page"),
        ("/api/v1/notices?compliant=", "compliant"),
        ("/api/v1/reports/summary?from=", "from"),
    ):
        assert name in assert_problem(api.get(url, headers=admin), 422)["errors"]
    # An empty search or code is an empty string, which the description allows.
    assert api.get("/api/v1/cases?q=&compact=", headers=admin).status_code == 200


def test_if_match_takes_only_what_its_description_allows(api, world, make_case):
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}"
    for header in ("+1", "1.0", "v1", '"1', "9" * 30):
        response = api.patch(
            url, json={"title": "New title"}, headers={**officer, "If-Match": header}
        )
        assert "If-Match" in assert_problem(response, 422)["errors"], header
    weak = api.patch(url, json={"title": "New title"}, headers={**officer, "If-Match": 'W/"1"'})
    assert weak.status_code == 200

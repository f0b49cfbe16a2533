"""The funding agreement pages, driven through the test client as a funder, a Compact officer
or a regional viewer would use them."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa
import time_machine

from compactcases.agreements import services
from compactcases.models import FundingAgreement, Notice
from tests.app.test_case_pages import field_error, text
from tests.conftest import Browser, csrf_token

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(date(2026, 12, 1), tick=False):
        yield


def agreement_form(world, **overrides) -> dict:
    data = {
        "compact": str(world.bir.id),
        "funder": str(world.council.id),
        "organisation": str(world.youth.id),
        "title": "Youth work in Sparkbrook",
        "funder_reference": "BCC-YW-001",
        "annual_value": "45000",
        "starts_on": ["1", "4", "2024"],
        "ends_on": ["31", "3", "2027"],
        "break_on": ["", "", ""],
        "review_on": ["", "", ""],
    }
    data.update(overrides)
    return data


def make(world, **overrides) -> FundingAgreement:
    values = dict(
        funder_id=world.council.id,
        organisation_id=world.youth.id,
        compact_id=world.bir.id,
        title="Youth work in Sparkbrook",
        funder_reference="BCC-YW-001",
        annual_value=45000,
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
    )
    values.update(overrides)
    return services.create_agreement(
        services.AgreementDetails(**values), world.funder, today=date(2026, 6, 1)
    )


@pytest.fixture
def funder(anonymous, world):
    anonymous.sign_in(world.funder)
    return anonymous


def count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(FundingAgreement.id)))


def test_a_funder_adds_an_agreement_and_sees_its_window(funder, world, db):
    page = funder.get("/funding-agreements")
    assert 'href="/funding-agreements"' in page.get_data(as_text=True)  # the navigation link
    response = funder.submit(
        "/funding-agreements/new", "/funding-agreements/new", agreement_form(world)
    )
    assert response.status_code == 302
    shown = text(funder.get(response.headers["Location"]))
    assert "Notice window Open" in shown
    assert "notice must be given by 31 December 2026 (3 calendar months" in shown
    assert "a 12-week consultation must open by 8 October 2026" in shown
    assert "30 days left" in shown
    assert "Agreement recorded" in shown


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": ["31", "3", "2024"]}, "ends_on", "The end date must be the same as or after"),
        ({"annual_value": "-5"}, "annual_value", "must be a whole number of pounds, 0 or more"),
        ({"annual_value": "45000.50"}, "annual_value", "must be a whole number of pounds"),
        ({"starts_on": ["1", "4", "1999"]}, "starts_on", "2000"),
        ({"funder": "youth"}, "funder", "is not a statutory funder"),
        ({"organisation": "police"}, "organisation", "is not a third-sector organisation"),
        ({"compact": "99999999999"}, "compact", "Select a local Compact you work under"),
    ],
)
def test_bad_input_shows_field_errors_keeps_what_was_typed_and_saves_nothing(
    funder, world, db, overrides, field, message
):
    named = {"youth": str(world.youth.id), "police": str(world.police.id)}
    overrides = {k: named.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    response = funder.submit(
        "/funding-agreements/new", "/funding-agreements/new", agreement_form(world, **overrides)
    )
    assert response.status_code == 422
    assert message in (field_error(response, field) or "")
    assert 'value="Youth work in Sparkbrook"' in response.get_data(as_text=True)
    assert count(db) == 0


def test_a_duplicate_reference_is_a_field_error(funder, world, db):
    make(world)
    response = funder.submit(
        "/funding-agreements/new", "/funding-agreements/new", agreement_form(world)
    )
    assert response.status_code == 422
    assert "already has an agreement" in field_error(response, "funder_reference")
    assert count(db) == 1


def test_the_list_puts_windows_closing_soonest_first_and_flags_a_missed_one_in_red(
    funder, world, db
):
    make(world, funder_reference="LATER", title="Later", ends_on=date(2027, 9, 30))
    make(world, funder_reference="SOON", title="Soon", ends_on=date(2027, 3, 31))
    make(world, funder_reference="GONE", title="Gone", ends_on=date(2027, 2, 15))
    html = funder.get("/funding-agreements").get_data(as_text=True)
    order = [re.search(name, html).start() for name in (">Gone<", ">Soon<", ">Later<")]
    assert order == sorted(order)
    # Gone: 15 February 2027 less 3 months is 15 November 2026, passed 16 days ago.
    assert 'govuk-tag--red app-window-missed">Missed' in html
    assert "Passed 16 days ago" in html and "30 days left" in html


def test_a_stale_edit_is_refused_with_409_showing_the_current_values(funder, world, db):
    agreement = make(world)
    page = funder.get(f"/funding-agreements/{agreement.id}/edit").get_data(as_text=True)
    services.update_agreement(
        agreement,
        services.AgreementDetails(
            **{**services_details(world), "title": "Renamed by someone else"}
        ),
        agreement.version,
        world.funder,
    )
    response = funder.post(
        f"/funding-agreements/{agreement.id}/edit",
        data={
            "csrf_token": csrf_token(page),
            "version": "1",
            **agreement_form(world, title="My title"),
        },
    )
    assert response.status_code == 409
    shown = text(response)
    assert "Someone else saved this agreement first" in shown
    assert "Renamed by someone else" in shown
    db.session.expire_all()
    assert agreement.title == "Renamed by someone else"


def services_details(world) -> dict:
    return dict(
        funder_id=world.council.id,
        organisation_id=world.youth.id,
        compact_id=world.bir.id,
        title="Youth work in Sparkbrook",
        funder_reference="BCC-YW-001",
        annual_value=45000,
        starts_on=date(2024, 4, 1),
        ends_on=date(2027, 3, 31),
    )


def test_a_renewal_recorded_on_the_page_moves_the_window_on(funder, world, db):
    agreement = make(world)
    url = f"/funding-agreements/{agreement.id}/decision"
    page = funder.get(url).get_data(as_text=True)
    response = funder.post(
        url,
        data={
            "csrf_token": csrf_token(page),
            "version": str(agreement.version),
            "kind": "renew",
            "decided_on": ["1", "12", "2026"],
            "new_ends_on": ["31", "3", "2028"],
            "reason": "Renewed for a year",
        },
    )
    assert response.status_code == 302
    shown = text(funder.get(f"/funding-agreements/{agreement.id}"))
    assert "Notice window Renewed" in shown
    assert "notice must be given by 31 December 2027" in shown
    assert "Renewed or extended" in shown and "Renewed for a year" in shown


def test_record_notice_opens_the_notice_form_filled_in_and_closes_the_window(funder, world, db):
    agreement = make(world)
    form = funder.get(f"/notices/new?agreement={agreement.id}").get_data(as_text=True)
    assert 'value="Ending Youth work in Sparkbrook"' in form
    assert f'<option value="{agreement.id}" selected>BCC-YW-001: Youth work' in form
    assert re.search(r'id="effective_on-year"[^>]*value="2027"', form)
    response = funder.post(
        "/notices/new",
        data={
            "csrf_token": csrf_token(form),
            "kind": "funding_end",
            "compact": str(world.bir.id),
            "title": "Ending youth work",
            "funder": str(world.council.id),
            "recipient": str(world.youth.id),
            "agreement": str(agreement.id),
            "notice_given_on": ["1", "12", "2026"],
            "effective_on": ["31", "3", "2027"],
            "written": "yes",
            "reasons_given": "yes",
        },
    )
    assert response.status_code == 302
    notice = db.session.scalar(sa.select(Notice))
    assert notice.agreement_id == agreement.id and notice.compliant
    shown = text(funder.get(f"/funding-agreements/{agreement.id}"))
    assert "Notice window Notice given" in shown
    assert "Notice of ending recorded" in shown


def test_the_officer_sees_windows_closing_in_8_weeks_and_those_missed(app, anonymous, world, db):
    make(world, funder_reference="SOON", title="Soon", ends_on=date(2027, 3, 31))
    make(world, funder_reference="FAR", title="Far", ends_on=date(2027, 9, 30))
    make(world, funder_reference="GONE", title="Gone", ends_on=date(2027, 2, 15))
    anonymous.sign_in(world.officer)
    html = anonymous.get("/funding-agreements/windows").get_data(as_text=True)
    closing, missed = html.split("Missed</h2>")
    assert ">Soon<" in closing and ">Far<" not in closing
    assert ">Gone<" in missed
    # The regional view: a viewer sees the region's windows; a Warwickshire officer none.
    for user, sees in ((world.viewer, True), (world.officer_war, False)):
        other = Browser(app, app.test_client())
        other.sign_in(user)
        assert (">Soon<" in other.get("/funding-agreements/windows").get_data(as_text=True)) is sees


def test_an_officer_cannot_add_or_change_agreements(anonymous, world, db):
    agreement = make(world)
    anonymous.sign_in(world.officer)
    assert anonymous.get("/funding-agreements/new").status_code == 403
    assert anonymous.get(f"/funding-agreements/{agreement.id}/edit").status_code == 403
    assert anonymous.get(f"/funding-agreements/{agreement.id}").status_code == 200

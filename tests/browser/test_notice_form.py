"""The notice form in a real browser: a section shows only for the kind chosen, nothing is
ticked to begin with, and the organisation pickers are autocompletes that still post the id."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_officer_journey import choose


def test_a_funder_sees_only_the_chosen_kinds_section_and_records_a_notice(page, world, checked):
    sign_in(page, world.funder.email)
    page.goto("/notices/new")
    funding = page.locator("#section-funding")
    consultation = page.locator("#section-consultation")
    expect(funding).to_be_hidden()
    expect(consultation).to_be_hidden()
    checked(page)

    page.get_by_label("Public consultation").check()
    expect(consultation).to_be_visible()
    expect(funding).to_be_hidden()
    page.get_by_label("Ending funding").check()
    expect(funding).to_be_visible()
    expect(consultation).to_be_hidden()
    expect(page.locator('input[name="written"]:checked')).to_have_count(0)

    page.get_by_label("Title").fill("Youth work grant ends")
    choose(page, "Organisation whose funding changes", "Sparkbrook Youth Project")
    page.get_by_role("button", name="Record and check").click()
    # Unanswered questions are errors beside them; the picker keeps its choice.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether the notice was given in writing"
    )
    expect(page.get_by_label("Organisation whose funding changes", exact=True)).to_have_value(
        "Sparkbrook Youth Project"
    )
    expect(funding).to_be_visible()
    expect(consultation).to_be_hidden()
    checked(page)


def test_enter_in_the_case_form_saves_the_case_rather_than_adding_an_organisation(page, world):
    sign_in(page, world.officer.email)
    page.goto("/cases/new")
    page.get_by_label("Title").fill("Pressing Enter")
    page.get_by_label("Title").press("Enter")
    # The case form was checked (what is missing is listed), not left for another page.
    expect(page.get_by_role("heading", name="Log a dispute")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what happened")

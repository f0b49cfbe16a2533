"""A funder in a real browser: record a funding agreement, see its notice window, and give
notice from it on the notice form it opens."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def fill_date(page, field: str, day: str, month: str, year: str) -> None:
    page.locator(f"#{field}-day").fill(day)
    page.locator(f"#{field}-month").fill(month)
    page.locator(f"#{field}-year").fill(year)


def test_a_funder_records_an_agreement_and_gives_notice_from_it(page, world, checked):
    sign_in(page, world.funder.email)
    page.get_by_role("link", name="Funding agreements").click()
    expect(page.get_by_role("heading", name="Funding agreements")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Add an agreement").click()
    checked(page)

    page.get_by_label("Local Compact").select_option(label="Birmingham")
    page.get_by_label("Third-sector organisation").select_option(label="Sparkbrook Youth Project")
    page.get_by_label("Title").fill("Detached youth work")
    page.get_by_label("Your reference").fill("BCC-YS-0412")
    page.get_by_label("Annual value (£)").fill("45000")
    fill_date(page, "starts_on", "1", "4", "2027")
    fill_date(page, "ends_on", "31", "3", "2027")
    page.get_by_role("button", name="Save agreement").click()

    # An end before the start: the summary links to the field, and nothing typed is lost.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end date must be the same as or after the start date")
    expect(page.get_by_label("Title")).to_have_value("Detached youth work")
    checked(page)
    fill_date(page, "starts_on", "1", "4", "2024")
    page.get_by_role("button", name="Save agreement").click()

    expect(page.locator("#window")).to_contain_text("31 December 2026")
    expect(page.locator("#window")).to_contain_text("8 October 2026")
    checked(page)
    page.get_by_role("link", name="Record notice of ending or reducing it").click()
    expect(page).to_have_url(re.compile(r"/notices/new\?agreement=\d+$"))
    expect(page.get_by_label("Title")).to_have_value("Ending Detached youth work")
    expect(page.locator("#effective_on-year")).to_have_value("2027")
    checked(page)

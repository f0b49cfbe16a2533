"""A regional dispute in a real browser: a mediator opens it over two Compacts with several
parties, an affected Compact's officer reads it without buttons, a local case is referred up."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from compactcases.cases import workflow
from tests.browser.conftest import sign_in
from tests.browser.test_officer_journey import choose
from workflows.dispute import EventRequest


def test_a_mediator_opens_a_regional_case_and_an_officer_reads_it(page, world, make_case, checked):
    sign_in(page, world.mediator.email)
    page.goto("/cases")
    page.get_by_role("link", name="Open a regional case").click()
    checked(page)
    page.get_by_role("button", name="Save regional case").click()
    # Nothing chosen: each missing answer is beside its field, and nothing was saved.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select at least one affected local Compact"
    )
    checked(page)
    page.get_by_label("Birmingham").check()
    page.get_by_label("Warwickshire").check()
    page.get_by_label("Title").fill("Police diversion grants ended across the region")
    page.get_by_label("What happened").fill("Ended in two Compacts at four weeks' notice.")
    choose(page, "Statutory funder", "West Midlands Police")
    choose(page, "Third-sector organisation", "Sparkbrook Youth Project")
    choose(page, "Another third-sector party (1, optional)", "Rugby Voluntary Action")
    page.get_by_label("Funding").check()
    page.get_by_role("button", name="Save regional case").click()

    expect(page).to_have_url(re.compile(r"/cases/BIR-\d{4}-0001$"))
    reference = page.url.rsplit("/", 1)[1]
    expect(page.locator("#level")).to_have_text("Regional case")
    expect(page.locator("#parties")).to_contain_text("Rugby Voluntary Action (third sector)")
    checked(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, world.officer_war.email)
    page.goto("/cases")
    page.get_by_role("link", name=re.compile(reference)).click()
    expect(page.locator("#read-only")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Withdraw|Resolve"))).to_have_count(0)
    checked(page)

    # A local case in regional mediation, referred up by the mediator.
    case = make_case(title="Youth grant cut")
    workflow.fire_event(
        case, "escalate", EventRequest(today=date(2026, 10, 6), reason="Regional funder"), None
    )
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, world.mediator.email)
    page.goto(f"/cases/{case.reference}")
    page.get_by_role("link", name="Refer to the region").click()
    checked(page)
    page.get_by_label("Warwickshire").check()
    page.get_by_role("button", name="Refer to the region").click()
    expect(page).to_have_url(re.compile(f"/cases/{case.reference}$"))
    expect(page.locator(".moj-timeline__item").first).to_contain_text("Referred to the region")
    checked(page)

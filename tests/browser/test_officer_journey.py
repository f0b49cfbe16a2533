"""An officer's day in a real browser: sign in, log a dispute, move it on, read the timeline."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def choose(page, label: str, name: str) -> None:
    """Pick an organisation in a picker (the accessible autocomplete): type, then choose."""
    page.get_by_label(label, exact=True).fill(name[:9])
    page.get_by_role("option", name=name, exact=True).click()


def test_officer_logs_a_dispute_and_starts_conciliation(page, world, checked):
    sign_in(page, world.officer.email)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    checked(page)

    page.get_by_role("link", name="Log a dispute").click()
    checked(page)
    page.get_by_label("Title").fill("Day centre grant ended with four weeks' notice")
    page.get_by_role("button", name="Save case").click()
    checked(page)

    # The error summary lists what is missing and links to the field; the title is kept.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what happened")
    expect(page.get_by_label("Title")).to_have_value(
        "Day centre grant ended with four weeks' notice"
    )
    summary.get_by_role("link", name="Enter what happened").click()
    expect(page.get_by_label("What happened")).to_be_focused()

    page.get_by_label("What happened").fill("The council gave four weeks' notice.")
    choose(page, "Statutory funder", "Birmingham City Council")
    choose(page, "Third-sector organisation", "Sparkbrook Youth Project")
    page.get_by_label("Funding").check()
    page.get_by_role("button", name="Save case").click()

    expect(page).to_have_url(re.compile(r"/cases/BIR-\d{4}-0001$"))
    # The banner shows the words, not the markup around them.
    heading = page.locator(".govuk-notification-banner__heading")
    expect(heading).to_have_text(re.compile(r"^Case BIR-\d{4}-0001 logged$"))
    expect(page.locator("#state")).to_have_text("Raised")
    checked(page)

    page.get_by_label("Note (optional)").fill("Meeting booked with both parties")
    page.get_by_role("button", name="Start local conciliation").click()

    expect(page.locator("#state")).to_have_text("Local conciliation")
    first = page.locator(".moj-timeline__item").first
    expect(first).to_contain_text("Local conciliation started")
    expect(first).to_contain_text("Meeting booked with both parties.")
    expect(first).to_contain_text("by Priya Shah")
    checked(page)


def test_a_funder_cannot_reach_logging_a_dispute(page, world, checked):
    sign_in(page, world.funder.email)
    expect(page.get_by_role("link", name="Log a dispute")).to_have_count(0)
    response = page.goto("/cases/new")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot do that")).to_be_visible()
    checked(page)

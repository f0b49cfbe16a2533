"""A funder in a real browser: from its home page to its case, where it responds, first with
nothing written, then with its statement, which it then reads on the case's timeline."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_a_funder_responds_on_its_case(page, world, make_case, checked):
    case = make_case(title="Youth grant cut")
    sign_in(page, world.funder.email)
    expect(page.get_by_role("heading", name="Your cases")).to_be_visible()
    checked(page)
    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("#next-move")).to_contain_text(
        "to acknowledge the dispute by 12 October 2026"
    )
    checked(page)

    page.get_by_role("link", name="Respond on this case").click()
    expect(page.get_by_role("heading", name="Respond on this case")).to_be_visible()
    checked(page)
    page.get_by_role("button", name="Send response").click()
    expect(page.locator("#text-error")).to_contain_text("Enter your response")
    checked(page)

    page.get_by_label("Your response").fill("We will restore the grant for three months.")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your response was added to the case"
    )
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Response from a party")
    expect(timeline).to_contain_text("We will restore the grant for three months.")
    checked(page)

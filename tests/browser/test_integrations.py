"""An administrator registers a webhook endpoint in a real browser (a mistake first, then the
secret shown once, then its delivery log), and a viewer subscribes to the report e-mails."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from compactcases.webhooks import delivery
from tests.browser.conftest import sign_in


def test_an_administrator_registers_a_webhook_endpoint(page, world, checked, make_case):
    sign_in(page, world.admin.email)
    page.goto("/admin/webhooks")
    checked(page)
    page.get_by_role("link", name="Register an endpoint").click()
    checked(page)
    page.get_by_label("Organisation").select_option(label="Birmingham City Council")
    page.get_by_label("Address to send events to").fill("http://grants.example.org/hooks")
    page.get_by_role("button", name="Register endpoint").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The address must start with https://")
    expect(summary).to_contain_text("Select at least one event type")
    expect(page.get_by_label("Address to send events to")).to_have_value(
        "http://grants.example.org/hooks"
    )
    checked(page)
    page.get_by_label("Address to send events to").fill("https://grants.example.org/hooks")
    page.get_by_label("A case is logged (case.created)").check()
    page.get_by_role("button", name="Register endpoint").click()

    expect(page.get_by_role("heading", name="Endpoint registered")).to_be_visible()
    expect(page.get_by_label("Signing secret")).to_have_value(
        re.compile(r"^whsec_[A-Za-z0-9+/=]{32}$")
    )
    checked(page)
    make_case()
    page.get_by_role("link", name="Go to the endpoint's delivery log").click()
    expect(page.locator("#deliveries")).to_contain_text("case.created")
    expect(page.locator("#deliveries")).to_contain_text("Waiting to be sent")
    checked(page)
    page.get_by_role("button", name="Send a test ping").click()
    expect(page.locator("#deliveries")).to_contain_text("webhook.ping")
    checked(page)


def test_a_viewer_subscribes_to_the_monthly_summary(page, world, checked):
    sign_in(page, world.viewer.email)
    page.get_by_role("link", name="Reports").first.click()
    page.get_by_role("link", name="Get the regional summary by e-mail").click()
    checked(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select monthly or quarterly")
    checked(page)
    page.get_by_label("Monthly, on the first working day of each month").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("You get the summary monthly")
    checked(page)
    assert delivery.sweep().delivered == 0

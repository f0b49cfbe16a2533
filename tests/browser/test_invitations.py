"""An organisation's person invites a colleague in a real browser, and the colleague makes
their account from the e-mailed link."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.app.conftest import smtp as smtp_server
from tests.browser.conftest import sign_in

NEW_PASSWORD = "kettle orchard lantern ribbon"
# The SMTP server on loopback of the app tests, here too.
smtp = smtp_server


def test_a_colleague_is_invited_and_makes_their_account(page, world, checked, smtp, chromium):
    sign_in(page, world.organisation_user.email)
    page.goto("/account")
    page.get_by_role("link", name="Your organisation's people").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Full name").fill("Asha Patel")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their email address")
    expect(page.get_by_label("Full name")).to_have_value("Asha Patel")
    checked(page)
    page.get_by_label("Email address").fill("asha@sparkbrook.example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to Asha Patel")).to_be_visible()
    expect(page.locator("#invitations")).to_contain_text("Waiting")
    checked(page)

    [message] = smtp.messages
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"/invitations/[A-Za-z0-9_-]{40,}", body).group(0)
    context = chromium.new_context(base_url=page.url.split("/organisations")[0])
    asha = context.new_page()
    asha.goto(link)
    expect(asha.get_by_role("heading", name="Set your password")).to_be_visible()
    checked(asha)
    asha.get_by_label("Choose a password").fill(NEW_PASSWORD)
    asha.get_by_label("Type the password again").fill("not the same one at all")
    asha.get_by_role("button", name="Make my account").click()
    expect(asha.locator(".govuk-error-summary")).to_contain_text("The passwords do not match")
    checked(asha)
    asha.get_by_label("Choose a password").fill(NEW_PASSWORD)
    asha.get_by_label("Type the password again").fill(NEW_PASSWORD)
    asha.get_by_role("button", name="Make my account").click()
    expect(asha.get_by_text("Your account is ready, Asha Patel")).to_be_visible()
    checked(asha)
    asha.goto(link)
    expect(asha.get_by_role("heading", name="This link no longer works")).to_be_visible()
    checked(asha)
    context.close()

"""A voluntary organisation's person in a real browser: their home page, their case, their
account page where they turn case e-mails off, and their inbox of case updates; every page
passes the checks at desktop width and 375 px."""

from __future__ import annotations

from playwright.sync_api import expect

from compactcases.cases import workflow
from compactcases.localtime import today
from compactcases.reminders.sending import sweep
from tests.browser.conftest import sign_in
from workflows.dispute import EventRequest


def test_an_organisation_user_follows_its_case_and_turns_case_emails_off(
    page, world, make_case, checked
):
    case = make_case()
    workflow.fire_event(
        case,
        "start_conciliation",
        EventRequest(today=today(), reason="Both sides agreed to meet"),
        world.officer,
    )
    sweep()
    sign_in(page, world.organisation_user.email)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    expect(page.locator("main")).to_contain_text(case.reference)
    checked(page)

    page.get_by_role("link", name=case.reference).first.click()
    expect(page.locator("h1")).to_contain_text(case.title)
    expect(page.locator("#next-move")).to_be_visible()
    # Nothing a party may not use: no workflow steps, no notes, no editing.
    expect(page.get_by_role("button", name="Start local conciliation")).to_have_count(0)
    expect(page.get_by_role("link", name="Edit case details")).to_have_count(0)
    expect(page.get_by_role("link", name="Respond on this case")).to_be_visible()
    checked(page)

    page.goto("/inbox")
    expect(page.locator("main")).to_contain_text(f"{case.reference} is now in local conciliation")
    checked(page)

    page.goto("/account")
    expect(page.get_by_label("E-mail me what happens on my cases")).to_be_checked()
    checked(page)
    page.get_by_label("Do not e-mail me: I will read them in my inbox").check()
    page.get_by_role("button", name="Save case e-mails").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()
    expect(page.get_by_label("Do not e-mail me: I will read them in my inbox")).to_be_checked()
    checked(page)

"""An officer records a dispute's acknowledgement with its letter, then previews and generates
an invitation, in a real browser; an administrator's templates page and the fields page read
as they should at every width (through `checked`)."""

from __future__ import annotations

from datetime import date

import time_machine
from playwright.sync_api import expect

from tests.browser.conftest import sign_in


@time_machine.travel(date(2026, 10, 8), tick=True)
def test_an_officer_acknowledges_with_the_letter_then_invites_to_a_meeting(
    page, world, make_case, checked
):
    case = make_case(title="Youth grant ended early", raised_on=date(2026, 10, 5))
    sign_in(page, world.officer.email)
    page.goto(f"/cases/{case.reference}")
    checked(page)
    page.get_by_role("link", name="Record acknowledgement").click()
    expect(page.locator("#acknowledge-by")).to_contain_text("12 October 2026")
    checked(page)
    page.get_by_label("Also generate the acknowledgement letter").check()
    page.get_by_role("button", name="Record the acknowledgement").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("letter generated")
    expect(page.locator("#timeline")).to_contain_text("Acknowledgement recorded")
    expect(page.locator("#timeline")).to_contain_text("Letter generated")
    expect(page.locator("#record-acknowledgement")).to_have_count(0)
    checked(page)

    page.get_by_role("link", name="Invitation to a conciliation meeting").click()
    checked(page)
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    checked(page)
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("10")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Start time").fill("2pm")
    page.get_by_label("Place, or the link to join online").fill("Council House, Room 2")
    page.get_by_role("button", name="Preview the letter").click()
    expect(page.locator("#letter-preview")).to_contain_text(
        "on 20 October 2026 at 2pm, at Council House, Room 2"
    )
    checked(page)
    page.get_by_role("button", name="Generate the letter").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{case.reference} invitation"
    )


def test_the_templates_and_fields_pages_read_at_every_width(page, world, checked):
    sign_in(page, world.admin.email)
    page.goto("/admin/letter-templates")
    expect(page.get_by_role("heading", name="Letter templates")).to_be_visible()
    checked(page)
    page.goto("/letters/fields")
    expect(page.locator("#letter-fields")).to_contain_text("breach.sentences")
    checked(page)

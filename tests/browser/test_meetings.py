"""Meetings in a real browser: an officer arranges a meeting, sees a bad link refused beside its
field, finds the meeting on the case page, reschedules it, and opens the record and cancel
forms; every page passes the checks at desktop width and 375 px."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from compactcases.localtime import today
from tests.browser.conftest import sign_in


def test_an_officer_arranges_and_reschedules_a_meeting(page, world, make_case, checked):
    case = make_case()
    day = today() + timedelta(days=7)
    sign_in(page, world.officer.email)
    page.goto(f"/cases/{case.reference}")
    page.get_by_role("link", name="Arrange a meeting").click()
    checked(page)

    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:30")
    page.get_by_label("Online link").fill("meet.example.org/bir")
    page.get_by_label("Andrew Collins").check()
    page.get_by_role("button", name="Arrange and send invitations").click()
    expect(page.locator("#link-error")).to_contain_text("Enter the link as a web address")
    checked(page)

    page.get_by_label("Online link").fill("https://meet.example.org/bir")
    page.get_by_role("button", name="Arrange and send invitations").click()
    upcoming = page.locator("#upcoming-meetings")
    expect(upcoming).to_contain_text("10:00 to 11:30")
    expect(page.locator("#timeline")).to_contain_text("Meeting scheduled")
    checked(page)

    upcoming.get_by_role("link").click()
    expect(page.locator("#meeting")).to_contain_text("Andrew Collins")
    checked(page)
    page.get_by_role("link", name="Change or reschedule").click()
    checked(page)
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("15:00")
    page.get_by_role("button", name="Save and send the update").click()
    expect(page.locator("#meeting")).to_contain_text("14:00 to 15:00")

    meeting_page = page.url
    page.goto(meeting_page + "/record")
    checked(page)
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator("#note-error")).to_contain_text("has not happened yet")
    checked(page)
    page.goto(meeting_page + "/cancel")
    checked(page)
    page.get_by_role("button", name="Cancel the meeting and tell everyone").click()
    expect(page.locator("#past-meetings")).to_contain_text("Cancelled")

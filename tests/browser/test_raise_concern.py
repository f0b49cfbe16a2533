"""A voluntary organisation raises a concern in a real browser, one question a page, and the
Compact officer finds it in the case list and the inbox."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from compactcases import localtime
from compactcases.extensions import db
from compactcases.models import CaseUpdate, ReminderChannel
from compactcases.reminders import moves
from tests.app.document_files import pdf
from tests.browser.conftest import sign_in
from tests.browser.test_officer_journey import choose


def test_an_organisation_raises_a_concern_and_the_officer_sees_it(page, world, checked, tmp_path):
    sign_in(page, world.organisation_user.email)
    checked(page)
    page.get_by_role("link", name="Raise a concern").first.click()
    expect(page.get_by_role("heading", name="Raise a concern")).to_be_visible()
    expect(page.locator("#saved")).to_contain_text("Your answers are saved as you go")
    checked(page)
    page.get_by_role("button", name="Start now").click()

    # Which funder: nothing chosen is refused beside the field.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#funder-error")).to_contain_text("Select the funder")
    checked(page)
    choose(page, "Which funder is your concern about?", "Birmingham City Council")
    page.get_by_role("button", name="Continue").click()

    # What happened, and when: a day in the future is refused, what was typed is kept.
    expect(page.get_by_role("heading", name="What happened, and when")).to_be_visible()
    checked(page)
    page.get_by_label("What happened?").fill("The council ended our youth work grant.")
    next_year = str(localtime.today().year + 1)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill(next_year)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#happened_on-error")).to_contain_text("today or in the past")
    expect(page.get_by_label("What happened?")).to_have_value(
        "The council ended our youth work grant."
    )
    checked(page)
    day = localtime.today() - timedelta(days=4)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("Compact commitments"))).to_be_visible()
    checked(page)
    # The answers are kept on the server: signed out and in again, they are still there.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, world.organisation_user.email)
    page.goto("/concerns/new/what-happened")
    expect(page.get_by_label("What happened?")).to_have_value(
        "The council ended our youth work grant."
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=re.compile("Compact commitments"))).to_be_visible()
    page.get_by_label("Funding").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_label("What outcome do you want?")).to_be_visible()
    checked(page)
    page.get_by_label("What outcome do you want?").fill("Three months' notice, as promised.")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Documents")).to_be_visible()
    checked(page)
    notice = tmp_path / "notice.pdf"
    notice.write_bytes(pdf())
    page.get_by_label("Add documents (optional)").set_input_files(str(notice))
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name=re.compile("Check your answers"))).to_be_visible()
    answers = page.locator("#answers")
    expect(answers).to_contain_text("Birmingham City Council")
    expect(answers).to_contain_text("The council ended our youth work grant.")
    expect(answers).to_contain_text("notice.pdf")
    checked(page)
    # Change an answer and come back to the check page.
    page.get_by_role("link", name="Change outcome you want").click()
    checked(page)
    page.get_by_label("What outcome do you want?").fill("The grant kept for three months.")
    page.get_by_role("button", name="Continue").click()
    expect(answers).to_contain_text("The grant kept for three months.")
    page.get_by_role("button", name="Send your concern").click()

    expect(page.locator(".govuk-panel")).to_contain_text("Concern sent")
    reference = page.locator("#reference").inner_text()
    assert re.fullmatch(r"BIR-\d{4}-0001", reference)
    expect(page.locator("#next")).to_contain_text("will acknowledge your concern within")
    expect(page.locator("#receipt")).to_contain_text("receipt by e-mail and to your inbox")
    checked(page)
    page.get_by_role("button", name="Sign out").click()

    # The sweep sends the officer's message and the raiser's receipt; the document shared
    # with the concern is told of in those, not once more to anyone.
    moves.send_due()
    inboxes = {
        (update.recipient.name, update.case_event.kind.value)
        for update in db.session.scalars(
            sa.select(CaseUpdate).where(CaseUpdate.channel == ReminderChannel.INBOX)
        )
    }
    assert inboxes == {
        (world.officer.name, "created"),
        (world.organisation_user.name, "created"),
    }

    sign_in(page, world.officer.email)
    page.goto("/cases")
    expect(page.get_by_role("link", name=re.compile(reference))).to_be_visible()
    checked(page)
    page.goto("/inbox")
    expect(page.locator("#case-updates")).to_contain_text(f"Concern raised: {reference}")
    checked(page)
    page.get_by_role("link", name=re.compile(f"Concern raised: {reference}")).click()
    expect(page.locator("body")).to_contain_text("notice.pdf")
    checked(page)

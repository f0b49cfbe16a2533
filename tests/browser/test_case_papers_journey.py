"""The case papers end to end on the demo data, in a real browser: the Birmingham officer
uploads the funder's letter to a raised dispute, records its acknowledgement with the letter,
arranges a meeting and, once it has happened, records its note with an action; the funder
then sees the shared letter but not the officer's private papers. Every page visited passes
`checked` (axe-core, 375 px, no markup shown as text)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import docx
import sqlalchemy as sa
import time_machine
from playwright.sync_api import expect

from compactcases import demo
from compactcases.demo.papers import letter_pdf
from compactcases.extensions import db
from compactcases.localtime import LONDON
from compactcases.models import Case, User
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD
from workflows.dispute import State

OFFICER = "officer.bir@example.org"
FUNDER = "funder.bcc@example.org"
# The demo's dates count back from 1 November 2026; the journey takes place two days later
# (a Tuesday), whatever day the test runs, so every date it types and reads is fixed.
DEMO_DAY = datetime(2026, 11, 3, 9, 30, tzinfo=LONDON)
# A meeting can be recorded only once it has begun: the clock is moved on to the afternoon
# of the day it was arranged for, as the officer would come back to the case a week later.
AFTER_THE_MEETING = datetime(2026, 11, 10, 14, 0, tzinfo=LONDON)


def seed_demo() -> Case:
    """The demo data with its accounts' password set; the Birmingham officer's raised
    dispute with Birmingham City Council that is still awaiting acknowledgement."""
    demo.seed()
    demo.set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    officer = db.session.scalar(sa.select(User).filter_by(email=OFFICER))
    funder = db.session.scalar(sa.select(User).filter_by(email=FUNDER))
    case = db.session.scalar(
        sa.select(Case)
        .where(
            Case.state == State.RAISED,
            Case.officer_id == officer.id,
            Case.funder_id == funder.organisation_id,
        )
        .order_by(Case.raised_on, Case.id)
        .limit(1)
    )
    assert case is not None, "the demo has no raised Birmingham City Council case"
    db.session.commit()
    return case


def downloaded(page, link) -> bytes:
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_bytes()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = (c.text for t in document.tables for row in t.rows for c in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def fill_date(page, day: str, month: str, year: str, within=None) -> None:
    scope = within or page
    scope.get_by_label("Day").fill(day)
    scope.get_by_label("Month").fill(month)
    scope.get_by_label("Year").fill(year)


def upload_the_funders_letter(page, checked, letter: Path) -> None:
    page.get_by_role("link", name="Add documents").click()
    checked(page)
    page.get_by_label("Files").set_input_files(str(letter))
    page.get_by_label("Shared with the parties to the case as well").check()
    page.get_by_role("button", name="Upload").click()
    row = page.locator("#document-list tr", has_text=letter.name)
    expect(row).to_contain_text("Shared with the parties")
    expect(row).to_contain_text("PDF")
    expect(page.locator("#timeline")).to_contain_text("Document added")
    checked(page)
    link = row.get_by_role("link", name=letter.name, exact=True)
    assert downloaded(page, link) == letter.read_bytes()


def acknowledge_with_the_letter(page, checked, case) -> None:
    page.get_by_role("link", name="Record acknowledgement").click()
    checked(page)
    letter_box = page.get_by_label("Also generate the acknowledgement letter")
    letter_box.check()
    expect(letter_box).to_be_checked()
    page.get_by_role("button", name="Record the acknowledgement").click()
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(f"{case.reference}: acknowledgement recorded")
    expect(banner).to_contain_text("letter generated")
    expect(page.locator("#record-acknowledgement")).to_have_count(0)
    expect(page.locator("#timeline")).to_contain_text("Acknowledgement recorded")
    checked(page)
    row = page.locator("#document-list tr", has_text=re.compile(r"acknowledgement.*\.docx"))
    expect(row).to_contain_text("Private")
    body = docx_text(downloaded(page, row.get_by_role("link").first))
    for words in (case.reference, case.funder.name, case.third_sector.name):
        assert words in body, f"{words!r} is not in the acknowledgement letter"


def arrange_a_meeting(page, checked) -> None:
    page.get_by_role("link", name="Arrange a meeting").click()
    checked(page)
    fill_date(page, "10", "11", "2026")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("End time").fill("11:30")
    page.get_by_label("Place").fill("Council House, Victoria Square, Birmingham")
    invited = page.get_by_role("group", name="Who is invited")
    invited.get_by_label("Priya Shah").check()
    invited.get_by_label("Andrew Collins").check()
    page.get_by_label("Other people (optional)").fill("Grace Okafor (trustee)")
    page.get_by_label("Agenda (optional)").fill(
        "1. The notice the council gave\n2. What the project needs\n3. Next steps"
    )
    page.get_by_role("button", name="Arrange and send invitations").click()
    upcoming = page.locator("#upcoming-meetings")
    expect(upcoming).to_contain_text("10 November 2026")
    expect(upcoming).to_contain_text("10:00 to 11:30")
    expect(upcoming).to_contain_text("Council House")
    expect(page.locator("#timeline")).to_contain_text("Meeting scheduled")
    checked(page)
    upcoming.get_by_role("link").click()
    meeting = page.locator("#meeting")
    expect(meeting).to_contain_text("Priya Shah")
    expect(meeting).to_contain_text("Andrew Collins")
    expect(meeting).to_contain_text("Grace Okafor (trustee)")
    expect(meeting).to_contain_text("What the project needs")
    checked(page)


def come_back_after_the_meeting(page, checked, case) -> None:
    """A week on, the session has lapsed: the officer signs in again and lands on the case."""
    page.goto(f"/cases/{case.reference}")
    expect(page.get_by_role("heading", name="Sign in to Compact Cases")).to_be_visible()
    checked(page)
    page.get_by_label("Email address").fill(OFFICER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.reference}$"))
    expect(page.locator("#past-meetings")).to_contain_text("Not recorded yet")
    checked(page)


def record_the_meeting(page, checked) -> None:
    page.locator("#past-meetings").get_by_role("link").click()
    checked(page)
    page.get_by_role("link", name="Record the meeting").click()
    checked(page)
    attended = page.get_by_role("group", name="Who attended")
    expect(attended.get_by_label("Andrew Collins")).to_be_checked()
    attended.get_by_label("Grace Okafor (trustee)").uncheck()
    page.get_by_label("Note of the meeting").fill(
        "The council accepted that four weeks' notice fell short of the Compact's three months."
    )
    action = page.get_by_role("group", name="Action 1 (optional)")
    action.get_by_label("Action 1", exact=True).fill("Send a revised notice")
    action.get_by_label("Owner of action 1").select_option(label="Andrew Collins")
    fill_date(page, "24", "11", "2026", within=action)
    page.get_by_role("button", name="Record the meeting").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("Meeting recorded")
    expect(page.locator("#past-meetings")).to_contain_text("Held")
    entry = page.locator(".moj-timeline__item", has_text="Attended:")
    expect(entry.locator(".moj-timeline__title")).to_contain_text("Meeting")
    # Dated by when it began, not by when it was recorded (14:00).
    expect(entry.locator(".moj-timeline__date")).to_have_text("10 November 2026 at 10:00")
    # The guest who did not come is left out.
    expect(entry).to_contain_text("Attended: Andrew Collins, Priya Shah. The council accepted")
    expect(entry).to_contain_text("Action 1: Send a revised notice (Andrew Collins)")
    deadline = page.locator("#deadlines tbody tr", has_text="Meeting action")
    expect(deadline).to_contain_text("24 November 2026")
    checked(page)


def test_an_officer_works_a_demo_dispute_through_its_papers_and_the_funder_sees_the_shared_ones(
    page, checked, tmp_path
):
    with time_machine.travel(DEMO_DAY, tick=True):
        case = seed_demo()
        letter = tmp_path / "Birmingham City Council letter.pdf"
        letter.write_bytes(
            letter_pdf(["Birmingham City Council", "", "Notice of the end of the youth grant"])
        )
        sign_in(page, OFFICER)
        expect(page.get_by_role("heading", name="Your work")).to_be_visible()
        checked(page)
        page.get_by_role("link", name=re.compile("Awaiting acknowledgement")).click()
        checked(page)
        page.get_by_role("link", name=case.reference, exact=True).click()
        expect(page.locator("#state")).to_have_text("Raised")
        expect(page.locator("#awaiting-acknowledgement")).to_be_visible()
        checked(page)

        upload_the_funders_letter(page, checked, letter)
        acknowledge_with_the_letter(page, checked, case)
        # Acknowledged, it has left the officer's work awaiting acknowledgement.
        page.get_by_role("link", name="Compact Cases").click()
        awaiting = page.locator("#awaiting-acknowledgement .app-work-count")
        expect(awaiting).to_have_text("0")
        checked(page)
        page.go_back()
        arrange_a_meeting(page, checked)

    with time_machine.travel(AFTER_THE_MEETING, tick=True):
        come_back_after_the_meeting(page, checked, case)
        record_the_meeting(page, checked)

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("You have signed out")).to_be_visible()
        sign_in(page, FUNDER)
        expect(page.get_by_role("heading", name="Your work")).to_be_visible()
        checked(page)
        page.goto(f"/cases/{case.reference}")
        documents = page.locator("#document-list")
        expect(documents.get_by_role("link", name=letter.name, exact=True)).to_be_visible()
        expect(documents).not_to_contain_text("acknowledgement")
        expect(documents).not_to_contain_text(".docx")
        # Nor the officer's note of the meeting, which is private to officers and mediators;
        # the shared letter is in the documents list, and the timeline's document entries are
        # the Compact's own record.
        timeline = page.locator("#timeline")
        expect(timeline).to_contain_text("Acknowledgement recorded")
        expect(timeline).not_to_contain_text("Document added")
        expect(timeline).not_to_contain_text("The council accepted")
        checked(page)
        link = documents.get_by_role("link", name=letter.name, exact=True)
        assert downloaded(page, link) == letter.read_bytes()

"""What a party never reaches. A case is given one of every private timeline entry and private
document, each carrying a marker of its own: a private note, a meeting's note kept private, a
recorded meeting (its note, actions and papers), a meeting the party is not invited to, a
reminder entry, an assignment, a generated letter, a private upload, a shared document later
removed, and each party's response for the officers only. Then both parties' people (the
funder's and the voluntary organisation's) go through everything they can open: the case page
and every page it links to, the API, every CSV download, the inbox and every e-mail the sweeps
send them. No marker may appear; the officer, going the same way, sees them all."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from compactcases import history
from compactcases.cases import services as case_services
from compactcases.cases import workflow
from compactcases.documents import services as documents
from compactcases.documents.services import Upload
from compactcases.letters import services as letters
from compactcases.localtime import LONDON
from compactcases.meetings import services as meetings
from compactcases.models import CaseEvent, CaseEventKind, Document
from compactcases.reminders import feeds
from compactcases.reminders.sending import sweep
from compactcases.reports import queries
from tests.app import document_files as files
from tests.app.test_api import bearer, token_for
from tests.app.test_regional_cases import signed_in
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from workflows.dispute import EventRequest
from workflows.letters import LetterKind

RAISED = date(2026, 10, 5)
TODAY = date(2026, 10, 7)

# What each party may see: the proof that the party's view was really looked at.
SHARED = "Both sides agreed to talk"
SHARED_FILE = "shared-grant-letter.pdf"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


class Papers:
    """The case, its private documents' ids, and the markers of what is private."""

    def __init__(self, case, private_ids: list[int], markers: dict[str, str]) -> None:
        self.case = case
        self.private_ids = private_ids
        self.markers = markers


def _entry(case, kind: CaseEventKind, actor, reason: str, *, private: bool = False) -> None:
    with history.changing(case):
        entry = history.record_event(case, kind, actor, reason=reason)
        entry.private = private


@pytest.fixture
def papers(travel, make_case, world, db, smtp) -> Papers:  # noqa: F811
    travel(RAISED)
    case = make_case(raised_on=RAISED)
    travel(TODAY)
    officer = world.officer
    markers: dict[str, str] = {}

    # What the parties may see.
    workflow.fire_event(
        case, "start_conciliation", EventRequest(today=TODAY, reason=SHARED), officer
    )
    documents.upload_documents(
        owner=case, uploads=[Upload(SHARED_FILE, files.pdf())], visibility="parties", actor=officer
    )

    # A private note, and a meeting's note marked private.
    markers["private note"] = "MARKER-PRIVATE-NOTE-7Q"
    case_services.add_note(
        case, markers["private note"], meeting=False, private=True, actor=officer, today=TODAY
    )
    markers["private meeting note"] = "MARKER-MEETING-NOTE-3K"
    case_services.add_note(
        case,
        markers["private meeting note"],
        meeting=True,
        private=True,
        actor=officer,
        occurred_on=TODAY,
        today=TODAY,
    )

    # A meeting both parties attended, recorded with a note, an action and papers.
    invited = (officer.id, world.funder.id, world.organisation_user.id)
    held = meetings.schedule_meeting(
        case,
        meetings.MeetingDraft(
            starts_at=at(TODAY, 10),
            ends_at=at(TODAY, 11),
            place="Council House",
            link="",
            agenda="The notice given",
            user_ids=invited,
            guests=(),
        ),
        officer,
        at(TODAY, 9) - timedelta(days=1),
    )
    markers["recorded meeting's note"] = "MARKER-MEETING-RECORD-5T"
    markers["meeting action"] = "MARKER-MEETING-ACTION-8W"
    markers["meeting papers"] = "MARKER-MEETING-PAPERS-2F.pdf"
    meetings.record_meeting(
        held,
        meetings.MeetingRecord(
            attended=tuple(a.id for a in held.attendees),
            note=markers["recorded meeting's note"],
            actions=(meetings.ActionDraft(markers["meeting action"], None, "", None),),
            uploads=(Upload(markers["meeting papers"], files.pdf()),),
        ),
        held.version,
        officer,
        at(TODAY, 12),
        TODAY,
    )

    # A meeting neither party is invited to.
    markers["meeting not invited to"] = "MARKER-UNINVITED-AGENDA-6D"
    meetings.schedule_meeting(
        case,
        meetings.MeetingDraft(
            starts_at=at(TODAY + timedelta(days=7), 10),
            ends_at=at(TODAY + timedelta(days=7), 11),
            place="MARKER-UNINVITED-PLACE-6D",
            link="",
            agenda=markers["meeting not invited to"],
            user_ids=(officer.id,),
            guests=("A colleague",),
        ),
        officer,
        at(TODAY, 12, 30),
    )

    # The Compact's own record: a reminder entry and an assignment.
    markers["reminder entry"] = "MARKER-REMINDER-ENTRY-4H"
    _entry(case, CaseEventKind.REMINDER, None, markers["reminder entry"])
    markers["assignment"] = "MARKER-ASSIGNMENT-9P"
    _entry(case, CaseEventKind.ASSIGNMENT, officer, markers["assignment"])

    # A generated letter: a private .docx and its entry.
    letter = letters.make_letter(
        case, LetterKind.ACKNOWLEDGEMENT, letters.Meeting(), officer, TODAY
    )
    letters.generate_letter(case, letter, officer)
    markers["letter"] = letter.filename

    # A private upload, and a shared document removed.
    markers["private document"] = "MARKER-PRIVATE-DOC-1M.pdf"
    documents.upload_documents(
        owner=case,
        uploads=[Upload(markers["private document"], files.pdf())],
        visibility="private",
        actor=officer,
    )
    markers["removed document"] = "MARKER-REMOVED-DOC-0Z.pdf"
    [removed] = documents.upload_documents(
        owner=case,
        uploads=[Upload(markers["removed document"], files.pdf())],
        visibility="parties",
        actor=officer,
    )
    markers["removal reason"] = "MARKER-REMOVAL-REASON-2B"
    documents.remove_document(removed, reason=markers["removal reason"], actor=officer)

    # Each party's response for the officers only.
    markers["funder's officers-only response"] = "MARKER-FUNDER-ONLY-6R"
    _entry(
        case,
        CaseEventKind.RESPONSE,
        world.funder,
        markers["funder's officers-only response"],
        private=True,
    )
    markers["organisation's officers-only response"] = "MARKER-ORGANISATION-ONLY-1S"
    _entry(
        case,
        CaseEventKind.RESPONSE,
        world.organisation_user,
        markers["organisation's officers-only response"],
        private=True,
    )

    private_ids = list(
        db.session.scalars(
            sa.select(Document.id).where(
                Document.case_id == case.id, Document.filename != SHARED_FILE
            )
        )
    )
    assert len(private_ids) == 4  # the papers, the letter, the private upload, the removed one
    return Papers(case, private_ids, markers)


def _links(page: str) -> set[str]:
    """Every page of the site the page links to (not its assets, not other sites)."""
    found = set()
    for href in re.findall(r'href="([^"]+)"', page):
        href = html.unescape(href).split("#")[0]
        if href.startswith("/") and not href.startswith(("/static", "//")):
            found.add(href)
    return found


def _pages(browser, case) -> dict[str, str]:
    """The case page and every page it links to, as the person sees them."""
    start = f"/cases/{case.reference}"
    first = browser.get(start)
    assert first.status_code == 200
    seen = {start: first.data.decode("utf-8", "replace")}
    for link in sorted(_links(seen[start])):
        if link not in seen:
            seen[link] = browser.get(link).data.decode("utf-8", "replace")
    return seen


def _api(api, user, papers: Papers) -> dict[str, str]:
    headers = bearer(token_for(api, user))
    reference = papers.case.reference
    seen = {}
    for path in ("", "/events", "/documents", "/meetings"):
        url = f"/api/v1/cases/{reference}{path}"
        response = api.get(url, headers=headers)
        assert response.status_code == 200, url
        seen[url] = response.data.decode("utf-8", "replace")
    return seen


def _csvs(browser) -> dict[str, str]:
    """Every CSV download on the site, as the person gets it (or is refused it)."""
    urls = [
        "/cases.csv",
        "/cases.csv?q=MARKER",
        "/reports/business-case.csv",
        f"/self-assessments/{TODAY.year}/roll-up.csv",
        *(f"/reports/{name}.csv" for name in queries.REPORTS),
    ]
    return {url: browser.get(url).data.decode("utf-8", "replace") for url in urls}


def _emails_to(smtp, user) -> list[str]:
    return [
        raw.decode("utf-8", "replace")
        for raw, message in zip(smtp.received, smtp.messages, strict=True)
        if user.email in message["To"]
    ]


def _leaks(markers: dict[str, str], seen: dict[str, str]) -> list[str]:
    return [
        f"{what} ({marker}) on {where}"
        for what, marker in markers.items()
        for where, body in seen.items()
        if marker in html.unescape(body)
    ]


def _everything(app, api, user, papers: Papers, smtp, travel) -> dict[str, str]:  # noqa: F811
    browser = signed_in(app, user)
    seen = _pages(browser, papers.case)
    seen.update(_api(api, user, papers))
    seen.update(_csvs(browser))
    seen["/inbox"] = browser.get("/inbox").data.decode("utf-8", "replace")
    for n, email in enumerate(_emails_to(smtp, user)):
        seen[f"e-mail {n + 1}"] = email
    return seen


@pytest.fixture
def mailed(papers, smtp, travel):  # noqa: F811
    """Every sweep run over the weeks that follow: reminders, meeting e-mails, case updates."""
    for days in (0, 1, 7, 14, 28):
        travel(TODAY + timedelta(days=days), hour=10)
        sweep()
    return smtp


@pytest.fixture
def api(app, db):
    return app.test_client()


@pytest.mark.parametrize("who", ["organisation_user", "funder"])
def test_a_party_reaches_no_private_entry_or_document_anywhere(
    app,
    api,
    world,
    papers,
    mailed,
    travel,  # noqa: F811
    who,
):
    user = getattr(world, who)
    markers = dict(papers.markers)
    # Its own side's response for the officers is its own to read.
    own = "organisation's" if who == "organisation_user" else "funder's"
    del markers[f"{own} officers-only response"]
    seen = _everything(app, api, user, papers, mailed, travel)
    assert _leaks(markers, seen) == []
    # The party's view was really looked at: what is shared with it is there.
    assert SHARED in seen[f"/cases/{papers.case.reference}"]
    assert SHARED_FILE in seen[f"/cases/{papers.case.reference}"]
    assert any(SHARED in body for where, body in seen.items() if where.startswith("e-mail"))
    assert (
        papers.markers[f"{own} officers-only response"] in seen[f"/cases/{papers.case.reference}"]
    )
    # Nor the case's reminders: whom they went to and when is the Compact's own record.
    assert "app-reminders" not in seen[f"/cases/{papers.case.reference}"]
    # A private document is not found at all, by the page or the API.
    browser = signed_in(app, user)
    headers = bearer(token_for(api, user))
    for document_id in papers.private_ids:
        assert browser.get(f"/documents/{document_id}/download").status_code == 404
        assert api.get(f"/api/v1/documents/{document_id}", headers=headers).status_code == 404
        content = api.get(f"/api/v1/documents/{document_id}/content", headers=headers)
        assert content.status_code == 404


def test_the_officer_going_the_same_way_sees_every_marker(
    app,
    api,
    world,
    papers,
    mailed,
    travel,  # noqa: F811
):
    seen = _everything(app, api, world.officer, papers, mailed, travel)
    missing = [
        f"{what} ({marker})"
        for what, marker in papers.markers.items()
        if not any(marker in html.unescape(body) for body in seen.values())
    ]
    assert missing == []
    assert "app-reminders" in seen[f"/cases/{papers.case.reference}"]


def test_the_private_entries_are_on_the_case_as_the_test_means(db, papers):
    kinds = set(
        db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == papers.case.id))
    )
    assert {
        CaseEventKind.NOTE,
        CaseEventKind.MEETING,
        CaseEventKind.REMINDER,
        CaseEventKind.ASSIGNMENT,
        CaseEventKind.LETTER,
        CaseEventKind.DOCUMENT_ADDED,
        CaseEventKind.DOCUMENT_REMOVED,
        CaseEventKind.RESPONSE,
        CaseEventKind.MEETING_SCHEDULED,
    } <= kinds


OWNER = "MARKER-OWNER"
SHARED_OWNER = "Shared Owner"


def _held_meeting(
    case, officer, invited: tuple[int, ...], hour: int, action: str, owner, due, owner_id=None
):
    held = meetings.schedule_meeting(
        case,
        meetings.MeetingDraft(
            starts_at=at(TODAY, hour),
            ends_at=at(TODAY, hour, 30),
            place="Council House",
            link="",
            agenda="",
            user_ids=invited,
            guests=(),
        ),
        officer,
        at(TODAY, 8) - timedelta(days=1),
    )
    return meetings.record_meeting(
        held,
        meetings.MeetingRecord(
            attended=tuple(a.id for a in held.attendees),
            note="Held",
            actions=(meetings.ActionDraft(action, owner_id, owner, due),),
            uploads=(),
        ),
        held.version,
        officer,
        at(TODAY, 15),
        TODAY,
    )


@pytest.fixture
def actions(travel, make_case, world, db):  # noqa: F811
    """A case with an action agreed at a meeting only the officer was invited to, due
    tomorrow, and one agreed at a meeting both parties were invited to, due next week."""
    travel(RAISED)
    case = make_case(raised_on=RAISED)
    travel(TODAY, hour=16)
    officer = world.officer
    _held_meeting(case, officer, (officer.id,), 10, "Ask the council", OWNER, TODAY + timedelta(1))
    both = (officer.id, world.funder.id, world.organisation_user.id)
    _held_meeting(case, officer, both, 12, "Send the figures", SHARED_OWNER, TODAY + timedelta(7))
    return case


def _what_a_person_sees(app, api, user, case) -> dict[str, object]:
    browser = signed_in(app, user)
    headers = bearer(token_for(api, user))
    detail = api.get(f"/api/v1/cases/{case.reference}", headers=headers)
    listed = api.get("/api/v1/deadlines", headers=headers)
    assert detail.status_code == 200 and listed.status_code == 200
    token = feeds.new_feed(user).token
    calendar = app.test_client().get(f"/calendar/{token}.ics")
    assert calendar.status_code == 200
    page = html.unescape(browser.get(f"/cases/{case.reference}").data.decode())
    table = page[page.index('id="deadlines"') :]
    return {
        "case page": page,
        "deadlines table": table[: table.index("</table>")],
        "home page": html.unescape(browser.get("/").data.decode()),
        "case list": html.unescape(browser.get("/cases?sort=deadline").data.decode()),
        "API case": detail.data.decode(),
        "API deadlines": listed.data.decode(),
        "calendar": calendar.data.decode(),
        "agreed actions in the API case": [
            d["due_on"] for d in detail.json["deadlines"] if d["kind"] == "meeting_action"
        ],
        "agreed actions in the API deadlines": [
            d["due_on"] for d in listed.json["items"] if d["kind"] == "meeting_action"
        ],
    }


@pytest.mark.parametrize("who", ["organisation_user", "funder"])
def test_a_party_is_not_told_of_an_action_agreed_at_a_meeting_it_was_not_invited_to(
    app, api, world, actions, who
):
    seen = _what_a_person_sees(app, api, getattr(world, who), actions)
    for where in ("case page", "home page", "API case", "API deadlines", "calendar"):
        assert OWNER not in seen[where], where
    # Its next move is what it may see: the action agreed at the meeting it was invited to
    # has not fallen due yet, the acknowledgement has.
    assert seen["deadlines table"].count("Meeting action") == 1
    assert "8 October 2026" not in seen["case page"]
    assert "14 October 2026" in seen["deadlines table"]
    assert seen["agreed actions in the API case"] == ["2026-10-14"]
    assert seen["agreed actions in the API deadlines"] == ["2026-10-14"]
    assert "8 October 2026" not in seen["home page"]
    # The case list's next deadline is one it may see.
    assert "8 October 2026" not in seen["case list"]
    assert actions.reference in seen["case list"]


def test_the_officer_is_told_of_every_action_agreed_at_a_meeting(app, api, world, actions):
    seen = _what_a_person_sees(app, api, world.officer, actions)
    sentence = f"{OWNER} is to complete an action agreed at a meeting by 8 October 2026."
    assert sentence in seen["case page"]
    assert sentence in seen["API case"]
    assert seen["deadlines table"].count("Meeting action") == 2
    assert seen["agreed actions in the API case"] == ["2026-10-08", "2026-10-14"]
    assert seen["agreed actions in the API deadlines"] == ["2026-10-08", "2026-10-14"]
    assert seen["calendar"].count("Meeting action") >= 2
    assert "8 October 2026" in seen["case list"]


def test_a_party_is_told_of_an_action_its_own_people_took_on(app, api, world, actions):
    """Even at a meeting it was not invited to: the action is its own to do."""
    tom = world.organisation_user
    _held_meeting(
        actions, world.officer, (world.officer.id,), 13, "Send the accounts", "", TODAY, tom.id
    )
    own = _what_a_person_sees(app, api, tom, actions)
    sentence = f"{tom.name} is to complete an action agreed at a meeting by 7 October 2026."
    assert sentence in own["case page"] and sentence in own["API case"]
    assert "Send the accounts" in own["home page"]
    assert own["agreed actions in the API deadlines"] == ["2026-10-07", "2026-10-14"]
    other = _what_a_person_sees(app, api, world.funder, actions)
    assert "complete an action" not in other["case page"]
    assert "7 October 2026" not in other["deadlines table"]
    assert other["agreed actions in the API deadlines"] == ["2026-10-14"]

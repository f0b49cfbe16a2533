"""Letters from Word templates and the explicit acknowledgement of a dispute: what an officer
sees on the pages, what the generated document holds, and what an administrator's upload is
refused for.

Dates by hand: 5 October 2026 is a Monday; the acknowledgement is due 12 October.
"""

from __future__ import annotations

import importlib.util
import io
import re
from datetime import date
from pathlib import Path

import docx
import pytest
import time_machine

from compactcases.cases import workflow
from compactcases.documents.services import read_content
from compactcases.letters import rendering, services
from compactcases.letters.fields import FIELD_NAMES, FIELDS, sample_context
from compactcases.models import (
    CaseEvent,
    CaseEventKind,
    Deadline,
    Document,
    DocumentVisibility,
    LetterTemplate,
)
from compactcases.notices import services as notices
from tests.app.test_case_pages import field_error, text
from tests.conftest import csrf_token
from workflows.deadlines import DeadlineKind, DeadlineStatus
from workflows.dispute import EventRequest
from workflows.letters import LetterKind

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 10, 8)


def a_docx(*paragraphs: str, header: str = "") -> bytes:
    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(content: bytes) -> str:
    return "\n".join(rendering.paragraphs(content))


def events(db, case, kind: CaseEventKind) -> list[CaseEvent]:
    db.session.expire_all()
    return db.session.scalars(
        db.select(CaseEvent).filter_by(case_id=case.id, kind=kind).order_by(CaseEvent.id)
    ).all()


def acknowledge_deadline(db, case) -> Deadline:
    db.session.expire_all()
    return db.session.scalars(
        db.select(Deadline).filter_by(case_id=case.id, kind=DeadlineKind.ACKNOWLEDGE)
    ).one()


def upload(admin, compact, kind: str, content: bytes, filename: str = "letterhead.docx"):
    return admin.submit(
        "/admin/letter-templates",
        "/admin/letter-templates",
        {"compact": str(compact.id), "kind": kind, "file": (io.BytesIO(content), filename)},
    )


@pytest.fixture
def admin(anonymous, world):
    anonymous.sign_in(world.admin, stay=True)
    return anonymous


@pytest.fixture
def addressed(world, db):
    world.council.address = "Council House\nVictoria Square\nBirmingham B1 1BB"
    world.youth.address = "12 Ladypool Road\nBirmingham B12 8JX"
    db.session.commit()


# -- the fields -------------------------------------------------------------------------------


def test_a_case_fills_exactly_the_documented_fields(make_case, world, addressed):
    case = make_case()
    context = services.case_context(case, services.Meeting(), world.officer, TODAY)

    def names(tree, prefix=""):
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from names(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    assert set(names(context)) == FIELD_NAMES == set(names(sample_context()))
    assert context["funder"]["address_lines"] == [
        "Council House",
        "Victoria Square",
        "Birmingham B1 1BB",
    ]
    assert context["raised_on"] == "5 October 2026"


def test_the_fields_page_lists_every_field(browser):
    page = text(browser.get("/letters/fields"))
    for field in FIELDS:
        assert field.name in page


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_default_template_renders_and_matches_its_generator(kind):
    spec = importlib.util.spec_from_file_location(
        "make_letter_templates", ROOT / "scripts" / "make_letter_templates.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    made = io.BytesIO()
    script.build(kind.value).save(made)
    shipped = rendering.default_template(kind)
    # The committed file says what the script says, field for field.
    assert rendering.paragraphs(shipped) == rendering.paragraphs(made.getvalue())
    rendering.check_template(shipped)


# -- previewing and generating ----------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_an_officer_previews_then_generates_an_acknowledgement_letter(
    browser, make_case, db, addressed
):
    case = make_case()
    page = browser.get(f"/cases/{case.reference}")
    assert "Record acknowledgement" in text(page)
    preview = browser.submit(
        f"/cases/{case.reference}/letters/new",
        f"/cases/{case.reference}/letters/preview",
        {"kind": "acknowledgement"},
    )
    assert preview.status_code == 200
    shown = text(preview)
    assert "We acknowledge the dispute raised on 5 October 2026" in shown
    assert "Sparkbrook Youth Project" in shown and "Birmingham City Council" in shown
    assert "Made from the default template" in shown
    assert events(db, case, CaseEventKind.LETTER) == []  # a preview saves nothing

    done = browser.submit(
        f"/cases/{case.reference}/letters/new",
        f"/cases/{case.reference}/letters",
        {"kind": "acknowledgement"},
    )
    assert done.status_code == 302
    [entry] = events(db, case, CaseEventKind.LETTER)
    assert entry.reason.startswith("Acknowledgement of the dispute: ")
    # One entry for the letter, naming its file: not a second "Document added" beside it.
    assert events(db, case, CaseEventKind.DOCUMENT_ADDED) == []
    timeline = text(browser.get(f"/cases/{case.reference}"))
    assert "Letter generated" in timeline
    [document] = db.session.scalars(db.select(Document).filter_by(case_id=case.id)).all()
    assert document.filename == f"{case.reference} acknowledgement 2026-10-08.docx"
    assert document.visibility is DocumentVisibility.PRIVATE
    body = docx_text(read_content(document))
    assert case.reference in body and "Sparkbrook Youth Project" in body


def test_pressing_generate_twice_keeps_one_letter(browser, make_case, db, addressed):
    case = make_case()
    preview = browser.submit(
        f"/cases/{case.reference}/letters/new",
        f"/cases/{case.reference}/letters/preview",
        {"kind": "acknowledgement"},
    ).get_data(as_text=True)
    # What the preview page's "Generate the letter" form sends, pressed twice.
    data = {
        "csrf_token": csrf_token(preview),
        "kind": "acknowledgement",
        "version": re.search(r'name="version" value="([0-9]+)"', preview).group(1),
    }
    assert browser.post(f"/cases/{case.reference}/letters", data=data).status_code == 302
    again = browser.post(f"/cases/{case.reference}/letters", data=data)
    assert again.status_code == 409
    assert f"Someone else changed {case.reference} just now" in text(again)
    assert len(events(db, case, CaseEventKind.LETTER)) == 1
    assert len(db.session.scalars(db.select(Document).filter_by(case_id=case.id)).all()) == 1


def test_the_generated_docx_opens_and_names_the_case_and_parties(make_case, world, addressed):
    case = make_case()
    letter = services.make_letter(
        case, LetterKind.ACKNOWLEDGEMENT, services.Meeting(), world.officer, TODAY
    )
    document = docx.Document(io.BytesIO(letter.content))
    body = "\n".join(p.text for p in document.paragraphs)
    assert case.reference in body
    assert "Sparkbrook Youth Project" in body
    assert "Birmingham City Council" in body
    assert "Victoria Square" in body
    assert "Priya Shah" in body


@time_machine.travel(TODAY, tick=False)
def test_an_invitation_needs_the_meeting_and_keeps_what_was_typed(browser, make_case):
    case = make_case()
    response = browser.submit(
        f"/cases/{case.reference}/letters/new",
        f"/cases/{case.reference}/letters/preview",
        {"kind": "invitation", "meeting_time": "half ten", "meeting_place": "Council House"},
    )
    assert response.status_code == 422
    assert field_error(response, "meeting_on") == "Enter the date of the meeting"
    assert field_error(response, "meeting_time").startswith("Enter the start time")
    assert 'value="Council House"' in response.get_data(as_text=True)

    response = browser.submit(
        f"/cases/{case.reference}/letters/new",
        f"/cases/{case.reference}/letters/preview",
        {
            "kind": "invitation",
            "meeting_on": ["20", "10", "2026"],
            "meeting_time": "14:30",
            "meeting_place": "Council House, Room 2",
        },
    )
    assert response.status_code == 200
    assert "on 20 October 2026 at 2:30pm, at Council House, Room 2" in text(response)


@time_machine.travel(TODAY, tick=False)
def test_an_outcome_letter_on_an_open_case_is_refused_with_the_reason(browser, make_case, db):
    case = make_case()
    response = browser.submit(
        f"/cases/{case.reference}/letters/new",
        f"/cases/{case.reference}/letters",
        {"kind": "outcome"},
    )
    assert response.status_code == 409
    assert "Outcome letter can only be written once the case is resolved" in text(response)
    assert events(db, case, CaseEventKind.LETTER) == []


def test_a_breach_letter_needs_a_notice_found_not_compliant(make_case, world, db):
    case = make_case()
    with pytest.raises(services.LetterRefused, match="has none"):
        services.make_letter(case, LetterKind.BREACH, services.Meeting(), world.officer, TODAY)
    notice = notices.create_notice(
        notices.NoticeDetails(
            kind=notices.NoticeKind.FUNDING_END,
            compact_id=world.bir.id,
            funder_id=world.council.id,
            recipient_id=world.youth.id,
            title="Youth work grant ends",
            notice_given_on=date(2026, 9, 1),
            effective_on=date(2026, 10, 15),
        ),
        world.admin,
    )
    notice.case = case
    db.session.commit()
    letter = services.make_letter(case, LetterKind.BREACH, services.Meeting(), world.officer, TODAY)
    body = docx_text(letter.content)
    assert notice.explanation in body
    assert "Youth work grant ends" in body


# -- Compacts' own templates ------------------------------------------------------------------


def test_a_compacts_own_template_is_used_over_the_default_and_by_its_districts(admin, world, db):
    content = a_docx("Warwickshire letter for {{ reference }}", header="WARWICKSHIRE COMPACT")
    response = upload(admin, world.war, "acknowledgement", content)
    assert response.status_code == 302
    row = db.session.scalars(db.select(LetterTemplate)).one()
    assert (row.compact_id, row.kind, row.filename) == (
        world.war.id,
        LetterKind.ACKNOWLEDGEMENT,
        "letterhead.docx",
    )
    used, source = services.template_for(world.rug, LetterKind.ACKNOWLEDGEMENT)
    assert used == content and "Warwickshire's own template" in source
    assert services.template_for(world.bir, LetterKind.ACKNOWLEDGEMENT)[1] == (
        "the default template"
    )
    # A second upload replaces the first: one template per Compact and letter.
    assert upload(admin, world.war, "acknowledgement", a_docx("{{ title }}")).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(LetterTemplate)) == 1


def test_a_letter_from_a_compacts_template_carries_its_letterhead(admin, world, db, make_case):
    upload(admin, world.bir, "acknowledgement", a_docx("Ref {{ reference }}", header="BIRMINGHAM"))
    case = make_case()
    letter = services.make_letter(
        case, LetterKind.ACKNOWLEDGEMENT, services.Meeting(), world.officer, TODAY
    )
    assert rendering.paragraphs(letter.content) == ["BIRMINGHAM", f"Ref {case.reference}"]


@pytest.mark.parametrize(
    ("content", "filename", "reason"),
    [
        (a_docx("Dear {{ funder.nam }}"), "t.docx", "a field that does not exist: “nam”"),
        (a_docx("{{ case_number }}"), "t.docx", "a field that does not exist: “case_number”"),
        (a_docx("{{ ''.__class__.__mro__ }}"), "t.docx", "something a letter may not read"),
        (a_docx("{{ reference }"), "t.docx", "not written correctly"),
        (b"MZ\x90\x00 an executable", "t.docx", "not a Word document"),
        (a_docx("{{ reference }}"), "t.pdf", "must be a Word document (.docx)"),
        (b"", "t.docx", "The file is empty"),
    ],
)
def test_a_broken_template_is_refused_at_upload_and_nothing_is_saved(
    admin, world, db, content, filename, reason
):
    response = upload(admin, world.bir, "breach", content, filename)
    assert response.status_code == 422
    assert reason in field_error(response, "file")
    assert db.session.scalar(db.select(db.func.count()).select_from(LetterTemplate)) == 0


def test_removing_a_compacts_template_falls_back_to_the_default(admin, world, db):
    upload(admin, world.bir, "outcome", a_docx("{{ reference }}"))
    row = db.session.scalars(db.select(LetterTemplate)).one()
    page = "/admin/letter-templates"
    assert admin.submit(page, f"{page}/{row.id}/remove", {}).status_code == 302
    assert services.template_for(world.bir, LetterKind.OUTCOME)[1] == "the default template"


# -- the acknowledgement ----------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_recording_the_acknowledgement_meets_the_deadline_and_shows_on_the_timeline(
    browser, make_case, db
):
    case = make_case()
    page = f"/cases/{case.reference}/acknowledgement"
    response = browser.submit(page, page, {"acknowledged_on": ["7", "10", "2026"]})
    assert response.status_code == 302
    deadline = acknowledge_deadline(db, case)
    assert (deadline.status, deadline.closed_on) == (DeadlineStatus.MET, date(2026, 10, 7))
    assert events(db, case, CaseEventKind.LETTER) == []  # the box was left unticked
    shown = text(browser.get(f"/cases/{case.reference}"))
    assert "Acknowledgement recorded" in shown
    assert "The dispute was acknowledged on 7 October 2026, meeting the deadline of 12 October" in (
        shown
    )
    assert "Record acknowledgement" not in shown


@time_machine.travel(TODAY, tick=False)
def test_the_acknowledgement_and_its_letter_are_recorded_in_one_step(browser, make_case, db):
    case = make_case()
    page = f"/cases/{case.reference}/acknowledgement"
    response = browser.submit(page, page, {"acknowledged_on": ["8", "10", "2026"], "letter": "y"})
    assert response.status_code == 302
    assert len(events(db, case, CaseEventKind.ACKNOWLEDGEMENT)) == 1
    assert len(events(db, case, CaseEventKind.LETTER)) == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("day", "error"),
    [
        (["9", "10", "2026"], "must be today or in the past"),
        (["4", "10", "2026"], "must be on or after 5 October 2026"),
        (["31", "2", "2026"], "must be a real date"),
    ],
)
def test_an_acknowledgement_dated_wrongly_is_refused_beside_the_date(
    browser, make_case, db, day, error
):
    case = make_case()
    page = f"/cases/{case.reference}/acknowledgement"
    response = browser.submit(page, page, {"acknowledged_on": day})
    assert response.status_code == 422
    assert error in field_error(response, "acknowledged_on")
    assert acknowledge_deadline(db, case).status is DeadlineStatus.OPEN


@time_machine.travel(date(2026, 10, 14), tick=False)
def test_a_late_acknowledgement_is_recorded_as_missing_the_deadline(make_case, world, db):
    case = make_case()
    services.record_acknowledgement(case, date(2026, 10, 14), world.officer, date(2026, 10, 14))
    assert acknowledge_deadline(db, case).status is DeadlineStatus.MISSED
    [entry] = events(db, case, CaseEventKind.ACKNOWLEDGEMENT)
    assert "after the deadline of 12 October 2026 had passed" in entry.reason


@time_machine.travel(TODAY, tick=False)
def test_a_case_is_acknowledged_once(browser, make_case, world, db):
    case = make_case()
    services.record_acknowledgement(case, TODAY, world.officer, TODAY)
    page = f"/cases/{case.reference}/acknowledgement"
    response = browser.post(page, data={"acknowledged_on": ["8", "10", "2026"]})
    assert response.status_code in (400, 409)
    response = browser.submit(page, page, {"acknowledged_on": ["8", "10", "2026"]})
    assert response.status_code == 409
    assert "it has already been acknowledged" in text(response)
    assert len(events(db, case, CaseEventKind.ACKNOWLEDGEMENT)) == 1


def test_starting_conciliation_unacknowledged_records_the_acknowledgement_in_words(
    make_case, world, db
):
    case = make_case()
    workflow.fire_event(case, "start_conciliation", EventRequest(today=TODAY), world.officer)
    [entry] = events(db, case, CaseEventKind.ACKNOWLEDGEMENT)
    assert entry.reason == (
        "The dispute was acknowledged on 8 October 2026, meeting the deadline of 12 October "
        "2026. Recorded with “Start local conciliation”, as no acknowledgement had been "
        "recorded before"
    )
    assert acknowledge_deadline(db, case).status is DeadlineStatus.MET


def test_starting_conciliation_after_an_acknowledgement_records_it_once(make_case, world, db):
    case = make_case()
    services.record_acknowledgement(case, date(2026, 10, 6), world.officer, TODAY)
    workflow.fire_event(case, "start_conciliation", EventRequest(today=TODAY), world.officer)
    assert len(events(db, case, CaseEventKind.ACKNOWLEDGEMENT)) == 1
    assert acknowledge_deadline(db, case).closed_on == date(2026, 10, 6)


def test_withdrawing_an_unacknowledged_case_records_no_acknowledgement(make_case, world, db):
    case = make_case()
    workflow.fire_event(
        case, "withdraw", EventRequest(today=TODAY, reason="Settled by phone"), world.officer
    )
    assert events(db, case, CaseEventKind.ACKNOWLEDGEMENT) == []
    assert acknowledge_deadline(db, case).status is DeadlineStatus.CANCELLED


# -- the API ----------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_api_records_the_acknowledgement_with_its_letter(app, world, make_case, db):
    from tests.app.test_api import assert_problem, bearer, token_for

    api = app.test_client()
    case = make_case()
    officer = bearer(token_for(api, world.officer))
    url = f"/api/v1/cases/{case.reference}/acknowledgement"
    future = api.post(url, json={"acknowledged_on": "2026-10-09"}, headers=officer)
    problem = assert_problem(future, 422)
    assert problem["errors"] == {
        "acknowledged_on": ["The date of the acknowledgement must be today or in the past"]
    }
    done = api.post(url, json={"acknowledged_on": "2026-10-07", "letter": True}, headers=officer)
    assert done.status_code == 200, done.json
    assert acknowledge_deadline(db, case).status is DeadlineStatus.MET
    assert len(events(db, case, CaseEventKind.LETTER)) == 1
    again = assert_problem(api.post(url, json={}, headers=officer), 409)
    assert "already been acknowledged" in again["detail"]


def test_the_api_refuses_a_funder_and_hides_another_compacts_case(app, world, make_case):
    from tests.app.test_api import assert_problem, bearer, token_for

    api = app.test_client()
    case = make_case()
    url = f"/api/v1/cases/{case.reference}/acknowledgement"
    funder = bearer(token_for(api, world.funder))
    assert_problem(api.post(url, json={}, headers=funder), 403)
    elsewhere = bearer(token_for(api, world.officer_war))
    assert_problem(api.post(url, json={}, headers=elsewhere), 404)


def test_a_funder_cannot_generate_a_letter_and_another_compacts_officer_gets_404(
    anonymous, world, make_case, db
):
    case = make_case()
    anonymous.sign_in(world.funder)
    assert anonymous.get(f"/cases/{case.reference}/letters/new").status_code == 403
    anonymous.sign_out()
    anonymous.sign_in(world.officer_war)
    assert anonymous.get(f"/cases/{case.reference}/letters/new").status_code == 404
    assert events(db, case, CaseEventKind.LETTER) == []


def test_an_administrator_gives_an_organisation_the_address_its_letters_use(admin, world, db):
    page = f"/admin/organisations/{world.youth.id}/edit"
    response = admin.submit(
        page,
        page,
        {
            "name": world.youth.name,
            "type": world.youth.type.value,
            "region": str(world.region.id),
            "compact": str(world.bir.id),
            "address": "  12 Ladypool Road\r\n\r\nBirmingham B12 8JX ",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert world.youth.address_lines == ["12 Ladypool Road", "Birmingham B12 8JX"]
    assert "12 Ladypool Road" in admin.get(page).get_data(as_text=True)

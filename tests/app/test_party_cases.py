"""The parties follow their cases and respond on them: what a funder's or an organisation's
user sees on the case page and its home page, and never sees; responses on the page and the
API, for officers only or for both sides, refused on a closed case and on a second press; the
case's holder told of them by e-mail and in the inbox."""

from __future__ import annotations

import io
from datetime import date, timedelta

import sqlalchemy as sa

from compactcases.cases import responses, services, workflow
from compactcases.documents import services as documents
from compactcases.meetings import services as meetings
from compactcases.models import CaseEvent, CaseEventKind, CaseUpdate, ReminderChannel, utcnow
from compactcases.reminders.sending import sweep
from tests.app import document_files
from tests.app.test_api import assert_problem, bearer, token_for
from tests.app.test_case_pages import field_error, text
from tests.app.test_regional_cases import signed_in
from tests.conftest import csrf_token
from workflows.dispute import EventRequest


def _meeting(case, world, invited: tuple[int, ...], place: str):
    starts_at = utcnow() + timedelta(days=7)
    return meetings.schedule_meeting(
        case,
        meetings.MeetingDraft(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            place=place,
            link="",
            agenda="",
            user_ids=invited,
            guests=(),
        ),
        world.officer,
        utcnow(),
    )


def _papers(case, world):
    """A case with something of every kind a party may and may not see."""
    services.add_note(
        case,
        "The council seems unwilling to talk",
        meeting=False,
        private=True,
        actor=world.officer,
    )
    services.add_note(
        case, "Both sides agreed to meet", meeting=False, private=False, actor=world.officer
    )
    documents.upload_documents(
        owner=case,
        uploads=[documents.Upload("shared-timetable.pdf", document_files.pdf("Timetable"))],
        visibility="parties",
        actor=world.officer,
    )
    documents.upload_documents(
        owner=case,
        uploads=[documents.Upload("officer-notes.pdf", document_files.pdf("Notes"))],
        visibility="private",
        actor=world.officer,
    )
    _meeting(case, world, (world.funder.id, world.organisation_user.id), "Council House")
    _meeting(case, world, (world.officer.id,), "Officers' briefing room")


def test_a_party_sees_its_case_and_nothing_of_the_compacts_own_record(app, world, make_case):
    case = make_case()
    _papers(case, world)
    for person in (world.funder, world.organisation_user):
        page = signed_in(app, person).get(f"/cases/{case.reference}")
        assert page.status_code == 200
        seen = text(page)
        assert (
            "The Compact officer" in seen
            and "to acknowledge the dispute by 12 October 2026" in seen
        )
        assert "Both sides agreed to meet" in seen
        assert "shared-timetable.pdf" in seen
        assert "Council House" in seen
        assert seen.count("Coming up") == 1
        for hidden in (
            "The council seems unwilling to talk",
            "officer-notes.pdf",
            "Officers' briefing room",
            "Reminders for",
            "Arrange a meeting",
            "Add a note or meeting",
            "Edit case details",
            "Acknowledgement and letters",
            "Record acknowledgement",
        ):
            assert hidden not in seen, (person.role, hidden)
        assert "Respond on this case" in seen
        # Only the meeting its people are invited to is listed, and only it opens.
        html = page.get_data(as_text=True)
        links = [m.id for m in meetings.meetings_of(case, utcnow())[0]]
        invited, briefing = sorted(links)
        assert f"/meetings/{invited}" in html and f"/meetings/{briefing}" not in html
        browser = signed_in(app, person)
        assert browser.get(f"/cases/{case.reference}/meetings/{invited}").status_code == 200
        assert browser.get(f"/cases/{case.reference}/meetings/{briefing}").status_code == 404
    officer = text(signed_in(app, world.officer).get(f"/cases/{case.reference}"))
    assert "The council seems unwilling to talk" in officer and "officer-notes.pdf" in officer
    assert "Respond on this case" not in officer


def test_a_party_sees_the_outcome_of_a_closed_case(app, world, make_case):
    case = make_case()
    workflow.fire_event(
        case, "withdraw", EventRequest(today=date.today(), reason="Grant restored"), world.officer
    )
    seen = text(signed_in(app, world.organisation_user).get(f"/cases/{case.reference}"))
    assert "The dispute was withdrawn and the case is closed." in seen
    assert "Outcome" in seen and "Grant restored" in seen
    assert "Respond on this case" not in seen


def _respond_page(browser, case):
    return browser.get(f"/cases/{case.reference}/responses/new")


def _send(browser, case, page, **data):
    html = page.get_data(as_text=True)
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    return browser.post(
        f"/cases/{case.reference}/responses/new",
        data={"csrf_token": csrf_token(html), "version": version, **data},
    )


def test_a_party_responds_on_the_page_and_both_sides_read_it(app, world, make_case):
    case = make_case()
    funder = signed_in(app, world.funder)
    page = _respond_page(funder, case)
    assert page.status_code == 200
    blank = _send(funder, case, page, text="   ")
    assert blank.status_code == 422
    assert field_error(blank, "text") == "Enter your response"
    sent = _send(funder, case, _respond_page(funder, case), text="We offered a meeting")
    assert sent.status_code == 302
    seen = text(funder.get(f"/cases/{case.reference}"))
    assert "Your response was added to the case" in seen
    assert "Response from a party" in seen and "We offered a meeting." in seen
    other = text(signed_in(app, world.organisation_user).get(f"/cases/{case.reference}"))
    assert "We offered a meeting." in other


def test_bad_input_keeps_what_was_typed(app, world, make_case):
    case = make_case()
    funder = signed_in(app, world.funder)
    page = _respond_page(funder, case)
    html = page.get_data(as_text=True)
    version = html.split('name="version" type="hidden" value="')[1].split('"')[0]
    refused = funder.post(
        f"/cases/{case.reference}/responses/new",
        data={
            "csrf_token": csrf_token(html),
            "version": version,
            "text": "Our statement on the grant",
            "files": (io.BytesIO(document_files.exe()), "statement.exe"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "is not a file of a kind allowed" in field_error(refused, "files")
    assert "Our statement on the grant" in refused.get_data(as_text=True)
    assert _responses(case) == []


def _responses(case) -> list[CaseEvent]:
    return list(
        services.db.session.scalars(
            sa.select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.RESPONSE
            )
        )
    )


def test_officers_only_is_hidden_from_the_other_side(app, world, make_case, db):
    case = make_case()
    responses.add_response(
        case,
        world.organisation_user,
        "The grant officer told us privately it was a mistake",
        True,
        [documents.Upload("evidence.pdf", document_files.pdf("Evidence"))],
    )
    other = text(signed_in(app, world.funder).get(f"/cases/{case.reference}"))
    assert "told us privately" not in other and "evidence.pdf" not in other
    own = text(signed_in(app, world.organisation_user).get(f"/cases/{case.reference}"))
    assert "told us privately" in own and "evidence.pdf" in own
    assert "For officers only" in own
    officer = text(signed_in(app, world.officer).get(f"/cases/{case.reference}"))
    assert "told us privately" in officer and "For officers only" in officer
    # Only the officer is told; the other party is not.
    told = db.session.scalars(sa.select(CaseUpdate.recipient_id)).all()
    assert set(told) == {world.officer.id}


def test_a_closed_case_refuses_a_response(app, world, make_case):
    case = make_case()
    workflow.fire_event(
        case, "withdraw", EventRequest(today=date.today(), reason="Settled"), world.officer
    )
    page = _respond_page(signed_in(app, world.funder), case)
    assert page.status_code == 409
    assert "is closed (withdrawn): a response can only be added to an open case" in text(page)
    api = app.test_client()
    answer = api.post(
        f"/api/v1/cases/{case.reference}/responses",
        json={"text": "Too late?"},
        headers=bearer(token_for(api, world.funder)),
    )
    assert "is closed" in assert_problem(answer, 409)["detail"]


def test_a_second_press_makes_one_response(app, world, make_case):
    case = make_case()
    funder = signed_in(app, world.funder)
    page = _respond_page(funder, case)
    first = _send(funder, case, page, text="Our answer")
    second = _send(funder, case, page, text="Our answer")
    assert first.status_code == 302
    assert second.status_code == 409
    assert "The case changed since you opened this form" in text(second)
    assert "Our answer" in second.get_data(as_text=True)
    assert len(_responses(case)) == 1


def test_an_api_response_sent_again_with_its_version_is_refused_not_added_twice(
    app, world, make_case
):
    case = make_case()
    api = app.test_client()
    party = bearer(token_for(api, world.funder))
    url = f"/api/v1/cases/{case.reference}/responses"
    body = {"text": "We will restore the grant for three months"}
    before = case.version
    version = {"If-Match": f'"{before}"'}
    first = api.post(url, json=body, headers={**party, **version})
    assert first.status_code == 201, first.get_data(as_text=True)
    assert first.json["case_version"] == before + 1
    again = api.post(url, json=body, headers={**party, **version})
    assert_problem(again, 409)
    in_body = api.post(url, json={**body, "version": before}, headers=party)
    assert_problem(in_body, 409)
    assert len(_responses(case)) == 1
    # Without a version the response is simply added, as the plain call is documented.
    assert api.post(url, json=body, headers=party).status_code == 201
    assert len(_responses(case)) == 2


def test_the_officer_is_told_by_email_and_inbox(app, world, make_case, smtp, db):
    case = make_case()
    world.organisation_user.case_emails = False
    db.session.commit()
    responses.add_response(case, world.funder, "We will restore the grant for three months")
    sweep(date.today())
    # (The sweep also sends the overdue acknowledgement's reminders.)
    told = [m for m in smtp.messages if "a response from" in m["Subject"]]
    assert [m["To"] for m in told] == ["Priya Shah <officer.bir@example.org>"]
    message = told[0]
    assert message["Subject"] == f"{case.reference}: a response from Birmingham City Council"
    assert "We will restore the grant" in message.get_body(("plain",)).get_content()
    # The other side: in the inbox only, as its e-mails are off.
    rows = db.session.execute(sa.select(CaseUpdate.recipient_id, CaseUpdate.channel)).all()
    assert (world.organisation_user.id, ReminderChannel.EMAIL) not in rows
    assert (world.organisation_user.id, ReminderChannel.INBOX) in rows
    inbox = text(signed_in(app, world.officer).get("/inbox"))
    assert f"{case.reference}: a response from Birmingham City Council" in inbox


def test_the_api_takes_a_response_from_a_party_only(app, world, make_case):
    case = make_case()
    other = make_case(
        compact_id=world.war.id, funder_id=world.wcc.id, third_sector_id=world.rugby_cvs.id
    )
    api = app.test_client()
    party = bearer(token_for(api, world.organisation_user))
    url = f"/api/v1/cases/{case.reference}/responses"
    made = api.post(url, json={"text": "Our statement", "officers_only": True}, headers=party)
    assert made.status_code == 201, made.json
    assert made.json["kind"] == "response" and made.json["private"] is True
    assert made.json["actor"] == world.organisation_user.name
    assert "errors" in assert_problem(api.post(url, json={"text": ""}, headers=party), 422)
    assert_problem(api.post(url, json={"text": "x", "extra": 1}, headers=party), 422)
    outside = f"/api/v1/cases/{other.reference}"
    assert_problem(api.post(outside + "/responses", json={"text": "x"}, headers=party), 404)
    for person in (world.officer, world.mediator, world.admin):
        answer = api.post(url, json={"text": "x"}, headers=bearer(token_for(api, person)))
        assert answer.status_code in (403, 404), person.role
    officer = api.post(url, json={"text": "x"}, headers=bearer(token_for(api, world.officer)))
    assert_problem(officer, 403)
    admin = api.post(url, json={"text": "x"}, headers=bearer(token_for(api, world.admin)))
    assert_problem(admin, 403)
    viewer = api.post(url, json={"text": "x"}, headers=bearer(token_for(api, world.viewer)))
    assert_problem(viewer, 404)
    detail = api.get(f"/api/v1/cases/{case.reference}", headers=party).json
    # Is to, or was to once the day has passed (workflows' tests hold the words to a date).
    assert detail["next_move"].startswith("The Compact officer ")
    assert "to acknowledge the dispute by 12 October 2026" in detail["next_move"]


def test_a_party_token_cannot_move_or_edit_a_case(app, world, make_case):
    case = make_case()
    other = make_case(
        compact_id=world.war.id, funder_id=world.wcc.id, third_sector_id=world.rugby_cvs.id
    )
    api = app.test_client()
    for person in (world.funder, world.organisation_user):
        party = bearer(token_for(api, person))
        url = f"/api/v1/cases/{case.reference}"
        for event in ("start_conciliation", "resolve", "reopen"):
            moved = api.post(url + "/events", json={"event": event, "reason": "x"}, headers=party)
            assert_problem(moved, 403)
        edited = api.patch(url, json={"title": "Changed", "version": case.version}, headers=party)
        assert_problem(edited, 403)
        out = f"/api/v1/cases/{other.reference}"
        assert_problem(api.post(out + "/events", json={"event": "withdraw"}, headers=party), 404)
        assert_problem(api.patch(out, json={"title": "x", "version": 1}, headers=party), 404)


def test_the_parties_home_lists_its_cases_and_what_awaits_it(app, world, make_case):
    case = make_case(title="Youth grant cut")
    make_case(
        title="Another Compact's case",
        compact_id=world.war.id,
        funder_id=world.wcc.id,
        third_sector_id=world.rugby_cvs.id,
    )
    _meeting(case, world, (world.organisation_user.id,), "Council House")
    home = text(signed_in(app, world.organisation_user).get("/"))
    assert "Your cases" in home and "Youth grant cut" in home
    assert "Raised. The Compact officer" in home
    assert "to acknowledge the dispute by 12 October 2026" in home
    assert "Another Compact's case" not in home
    assert "Awaiting you" in home and "A meeting you are invited to:" in home
    funder = text(signed_in(app, world.funder).get("/"))
    assert "Youth grant cut" in funder
    assert "A meeting you are invited to:" not in funder


def test_a_party_token_lists_only_the_meetings_it_is_invited_to(app, world, make_case):
    case = make_case()
    _meeting(case, world, (world.funder.id,), "Council House")
    _meeting(case, world, (world.officer.id,), "Officers' briefing room")
    api = app.test_client()
    url = f"/api/v1/cases/{case.reference}/meetings"
    party = api.get(url, headers=bearer(token_for(api, world.funder))).json["items"]
    assert [m["place"] for m in party] == ["Council House"]
    other = api.get(url, headers=bearer(token_for(api, world.organisation_user))).json["items"]
    assert other == []
    officer = api.get(url, headers=bearer(token_for(api, world.officer))).json["items"]
    assert len(officer) == 2

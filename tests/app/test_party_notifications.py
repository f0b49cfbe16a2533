"""The parties are told: each state change of their case, each document shared with them and
each meeting they are invited to reaches the people of both parties in the inbox and, unless
they turned case e-mails off on their account page, by e-mail over a real SMTP server, once."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from compactcases.cases import regional, workflow
from compactcases.documents import services as documents
from compactcases.documents.services import Upload
from compactcases.models import CaseUpdate, ReminderChannel, ReminderStatus, User
from compactcases.reminders.sending import sweep
from tests.app import document_files as files
from tests.app.test_case_pages import text
from tests.app.test_regional_cases import regional_details, signed_in
from tests.app.test_reminders import travel  # noqa: F401  (a fixture)
from tests.conftest import csrf_token
from workflows.dispute import EventRequest

RAISED = date(2026, 10, 5)
TODAY = date(2026, 10, 7)

FUNDER = "Andrew Collins <funder.bcc@example.org>"
ORGANISATION = "Tom Baker <team@sparkbrook.example.org>"


@pytest.fixture
def case(travel, make_case):  # noqa: F811
    travel(RAISED)
    made = make_case(raised_on=RAISED)
    travel(TODAY)
    return made


@pytest.fixture
def mail(case, smtp):
    """The SMTP server, once what the case already owes is out of the way."""
    sweep()
    smtp.received.clear()
    return smtp


def _to(smtp, address: str) -> list:
    return [m for m in smtp.messages if m["To"] == address]


def _start_conciliation(case, world, reason="Both sides agreed to talk"):
    workflow.fire_event(
        case, "start_conciliation", EventRequest(today=TODAY, reason=reason), world.officer
    )


def _updates(db, user: User, channel: ReminderChannel) -> list[CaseUpdate]:
    return db.session.scalars(
        sa.select(CaseUpdate).where(
            CaseUpdate.recipient_id == user.id, CaseUpdate.channel == channel
        )
    ).all()


def test_a_state_change_tells_both_parties_by_email_and_inbox_exactly_once(
    app, world, db, case, mail
):
    _start_conciliation(case, world)
    sent = sweep()
    assert (sent.sent_email, sent.sent_inbox) == (2, 2)
    for address in (FUNDER, ORGANISATION):
        [message] = _to(mail, address)
        assert message["Subject"] == f"{case.reference} is now in local conciliation"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert f"Your case {case.reference}" in body
        # The step's reason is on the parties' timeline, so it may be quoted.
        assert "Both sides agreed to talk" in body
        assert f"/cases/{case.reference}" in body
    # The officer moved the case: nobody tells them of their own step.
    assert not [m for m in mail.messages if "officer.bir" in m["To"]]
    for user in (world.funder, world.organisation_user):
        page = text(signed_in(app, user).get("/inbox"))
        assert f"{case.reference} is now in local conciliation" in page
    again = sweep()
    assert (again.sent_email, again.sent_inbox) == (0, 0)
    assert len(mail.messages) == 2
    statuses = db.session.scalars(sa.select(CaseUpdate.status)).all()
    assert statuses == [ReminderStatus.SENT] * 4


def test_a_shared_document_tells_the_parties_and_a_private_one_tells_nobody(world, db, case, mail):
    documents.upload_documents(
        owner=case,
        uploads=[Upload("officers-only-assessment.pdf", files.pdf())],
        visibility="private",
        actor=world.officer,
    )
    assert sweep().sent_email == 0
    assert db.session.scalar(sa.select(sa.func.count(CaseUpdate.id))) == 0
    documents.upload_documents(
        owner=case,
        uploads=[Upload("grant-letter.pdf", files.pdf())],
        visibility="parties",
        actor=world.officer,
    )
    assert sweep().sent_email == 2
    for address in (FUNDER, ORGANISATION):
        [message] = _to(mail, address)
        assert message["Subject"] == f"A document was shared with you on {case.reference}"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "officers-only-assessment" not in body


def test_a_party_that_shares_a_document_is_not_told_of_its_own_upload(world, db, case, mail):
    documents.upload_documents(
        owner=case,
        uploads=[Upload("our-accounts.pdf", files.pdf())],
        visibility="parties",
        actor=world.organisation_user,
    )
    sweep()
    assert [m["To"] for m in mail.messages] == [FUNDER]


def test_the_person_who_turned_case_emails_off_gets_the_inbox_only(app, world, db, case, mail):
    browser = signed_in(app, world.organisation_user)
    page = browser.get("/account")
    assert "Case e-mails" in text(page)
    refused = browser.post("/account/case-emails", data={"csrf_token": csrf_token(page.text)})
    assert refused.status_code == 422
    assert "Select whether you want case e-mails" in text(refused)
    done = browser.post(
        "/account/case-emails",
        data={"case_emails": "off", "csrf_token": csrf_token(page.text)},
        follow_redirects=True,
    )
    assert "You will no longer be e-mailed about your cases" in text(done)
    assert 'value="off" checked' in done.text
    db.session.expire_all()
    assert db.session.get(User, world.organisation_user.id).case_emails is False

    _start_conciliation(case, world)
    sweep()
    assert [m["To"] for m in mail.messages] == [FUNDER]
    assert len(_updates(db, world.organisation_user, ReminderChannel.INBOX)) == 1
    assert _updates(db, world.organisation_user, ReminderChannel.EMAIL) == []
    assert f"{case.reference} is now in local conciliation" in text(browser.get("/inbox"))


def test_turning_emails_off_stops_an_email_already_queued(app, world, db, case, mail):
    _start_conciliation(case, world)
    browser = signed_in(app, world.funder)
    page = browser.get("/account")
    browser.post(
        "/account/case-emails", data={"case_emails": "off", "csrf_token": csrf_token(page.text)}
    )
    sweep()
    assert [m["To"] for m in mail.messages] == [ORGANISATION]
    [queued] = _updates(db, world.funder, ReminderChannel.EMAIL)
    assert queued.status is ReminderStatus.CANCELLED
    assert f"{case.reference} is now in local conciliation" in text(browser.get("/inbox"))


def test_a_meeting_invitation_reaches_the_invited_partys_inbox_and_one_email(world, db, case, mail):
    from compactcases.meetings import services as meetings
    from tests.app.test_meetings import _draft, at

    meetings.schedule_meeting(
        case,
        _draft(world, user_ids=(world.officer.id, world.organisation_user.id)),
        world.officer,
        at(TODAY, 9),
    )
    sweep()
    # One e-mail to the party: the iCalendar invitation, not a second message about it.
    assert len(_to(mail, ORGANISATION)) == 1
    assert _to(mail, FUNDER) == []
    [inbox] = _updates(db, world.organisation_user, ReminderChannel.INBOX)
    assert inbox.subject == f"You are invited to a meeting on {case.reference}"
    assert _updates(db, world.organisation_user, ReminderChannel.EMAIL) == []
    assert _updates(db, world.funder, ReminderChannel.INBOX) == []


def test_an_officer_of_a_regional_case_is_told_once_not_again_as_a_party(
    travel,  # noqa: F811
    world,
    db,
    smtp,
):
    travel(RAISED)
    case = regional.open_regional_case(
        regional_details(world), world.mediator, in_mediation=False, today=RAISED
    )
    sweep(RAISED)
    smtp.received.clear()
    workflow.fire_event(
        case, "escalate", EventRequest(today=RAISED, reason="Facts gathered"), world.mediator
    )
    sweep(RAISED)
    to = sorted(m["To"] for m in smtp.messages)
    assert to.count("Priya Shah <officer.bir@example.org>") == 1
    assert to.count("Helen Carter <officer.war@example.org>") == 1
    assert to.count(ORGANISATION) == 1
    officer_mail = next(m for m in smtp.messages if "officer.bir" in m["To"])
    assert officer_mail["Subject"] == f"{case.reference} has moved to regional mediation"
    party_mail = _to(smtp, ORGANISATION)[0]
    assert party_mail["Subject"] == f"{case.reference} is now in regional mediation"


def test_a_response_with_papers_tells_the_other_side_once_not_once_a_file(world, db, case, mail):
    from compactcases.cases import responses

    responses.add_response(
        case,
        world.organisation_user,
        "Our accounts and the letter we sent the council are attached.",
        files=[
            Upload("accounts-2025.pdf", files.pdf("Accounts")),
            Upload("letter-to-council.pdf", files.pdf("Letter")),
        ],
    )
    sweep()
    to_funder = _to(mail, FUNDER)
    assert [m["Subject"] for m in to_funder] == [
        f"{case.reference}: a response from Sparkbrook Youth Project"
    ]
    assert len(_updates(db, world.funder, ReminderChannel.INBOX)) == 1
    # Both papers are on the case, shared with the parties.
    shared = documents.documents_of(case, world.funder)
    assert sorted(d.filename for d in shared) == ["accounts-2025.pdf", "letter-to-council.pdf"]


def test_a_response_on_a_concern_nobody_holds_yet_reaches_the_upper_tiers_officer(world, db):
    """Rugby is a district of Warwickshire, whose officer reads Rugby's cases."""
    from datetime import timedelta

    from compactcases import localtime
    from compactcases.cases import raising, responses
    from compactcases.models import (
        Area,
        CaseEvent,
        CaseEventKind,
        Organisation,
        OrganisationKind,
        OrganisationType,
        Role,
    )

    club = Organisation(
        name="Rugby Youth Club",
        kind=OrganisationKind.THIRD_SECTOR,
        type=OrganisationType.CHARITY,
        region=world.region,
        compact=world.rug,
    )
    person = world._user("team@rugbyyouth.example.org", "Sam Lee", Role.ORGANISATION, None, club)
    db.session.add_all([club, person])
    db.session.commit()
    case = raising.raise_concern(
        raising.Concern(
            funder_id=world.wcc.id,
            what_happened="The county ended our grant by telephone.",
            happened_on=localtime.today() - timedelta(days=2),
            areas=(Area.FUNDING,),
            outcome_wanted="Written notice and three months to plan.",
        ),
        person,
    )
    assert case.officer_id is None
    entry = responses.add_response(case, person, "We have found the original grant letter.")
    told = db.session.scalars(
        sa.select(CaseUpdate.recipient_id).where(CaseUpdate.case_event_id == entry.id)
    ).all()
    assert set(told) == {world.officer_war.id}
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.id == entry.id)).all()
    assert kinds == [CaseEventKind.RESPONSE]


def test_a_person_deactivated_before_the_sweep_is_told_nothing(world, db, case, mail):
    _start_conciliation(case, world)
    world.funder.active = False
    db.session.commit()
    sweep()
    assert _to(mail, FUNDER) == []
    assert [m["Subject"] for m in _to(mail, ORGANISATION)] == [
        f"{case.reference} is now in local conciliation"
    ]
    statuses = {u.status for u in _updates(db, world.funder, ReminderChannel.INBOX)}
    statuses |= {u.status for u in _updates(db, world.funder, ReminderChannel.EMAIL)}
    assert statuses == {ReminderStatus.CANCELLED}

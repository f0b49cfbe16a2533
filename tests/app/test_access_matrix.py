"""Every route × every role, inside and outside the role's scope: the exact status.

The routes come from the app's URL map, so a route added without a line here fails
`test_every_route_has_a_rule`. A record outside the user's scope answers 404 (its existence is
not revealed); a visible record with a forbidden action answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from compactcases import create_app
from compactcases.agreements import services as agreements
from compactcases.cases import services, workflow
from compactcases.config import TestConfig
from compactcases.documents import services as documents
from compactcases.extensions import db as _db
from compactcases.imports.uploads import save_upload
from compactcases.invitations import services as invitations
from compactcases.meetings import services as meetings
from compactcases.models import (
    Area,
    Case,
    Compact,
    FundingAgreement,
    ImportKind,
    Meeting,
    Notice,
    NoticeKind,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Reminder,
    ReminderChannel,
    ReminderStatus,
    SelfAssessmentYear,
    Side,
    Tier,
    WebhookDelivery,
    utcnow,
)
from compactcases.notices import services as notices
from compactcases.reminders import feeds
from compactcases.scopes import PARTY_ROLES
from compactcases.webhooks import endpoints as webhooks
from tests.conftest import Browser, World, empty_database
from workflows.deadlines import DeadlineStatus
from workflows.dispute import EventRequest

ROLES = ("anonymous", "officer", "mediator", "funder", "viewer", "admin", "organisation")
SIGN_IN = 302  # anonymous requests are sent to the sign-in page


@dataclass(frozen=True)
class Expect:
    """The status for each role: (inside its scope, outside it)."""

    officer: tuple[int, int]
    mediator: tuple[int, int]
    funder: tuple[int, int]
    viewer: tuple[int, int]
    admin: tuple[int, int]
    anonymous: tuple[int, int] = (SIGN_IN, SIGN_IN)
    # A voluntary organisation's user. Like a funder's, it is one party's person, so where a
    # rule leaves it out it answers as the funder does (inside: a case its organisation is a
    # party to, a notice given to it, its agreement; outside: another Compact's).
    organisation: tuple[int, int] | None = None

    def status(self, role: str, inside: bool) -> int:
        if role == "organisation" and self.organisation is None:
            role = "funder"
        return getattr(self, role)[0 if inside else 1]


def same(status: int) -> tuple[int, int]:
    return (status, status)


ADMIN_ONLY = Expect(
    officer=same(403), mediator=same(403), funder=same(403), viewer=same(403), admin=same(200)
)
ADMIN_FORM_POST = Expect(
    officer=same(403), mediator=same(403), funder=same(403), viewer=same(403), admin=same(422)
)
ADMIN_ACTION = Expect(
    officer=same(403), mediator=same(403), funder=same(403), viewer=same(403), admin=same(302)
)


def ORGANISATION_ONLY(status: int) -> Expect:
    return Expect(
        officer=same(403),
        mediator=same(403),
        funder=same(403),
        viewer=same(403),
        admin=same(403),
        organisation=same(status),
    )


CLOCK = Expect(
    officer=(422, 404),
    mediator=(422, 404),
    funder=(403, 404),
    viewer=same(404),
    admin=same(422),
)


def LETTERS(status: int) -> Expect:
    return Expect(
        officer=(status, 404),
        mediator=(status, 404),
        funder=(403, 404),
        viewer=same(404),
        admin=same(status),
    )


def ACKNOWLEDGE(status: int) -> Expect:
    return Expect(
        officer=(status, 404),
        mediator=(403, 404),
        funder=(403, 404),
        viewer=same(404),
        admin=same(status),
    )


def EVERY_ROLE(status: int, anonymous: bool = False) -> Expect:
    """The same status for every role (and for anonymous requests too, if `anonymous`)."""
    return Expect(
        officer=same(status),
        mediator=same(status),
        funder=same(status),
        viewer=same(status),
        admin=same(status),
        anonymous=same(status) if anonymous else same(SIGN_IN),
    )


# Reports are the regional panel's: every role but the funder's, each within its own scope.
REPORTS = Expect(
    officer=same(200), mediator=same(200), funder=same(403), viewer=same(200), admin=same(200)
)


SELF_ASSESSMENT = Expect(
    officer=same(200), mediator=same(200), funder=same(403), viewer=same(200), admin=same(200)
)
# The region's roll-up is the panel's: mediators, viewers and administrators.
ROLL_UP = Expect(
    officer=same(403), mediator=same(200), funder=same(403), viewer=same(200), admin=same(200)
)

REPORT_EMAILS = Expect(
    officer=same(403), mediator=same(200), funder=same(403), viewer=same(200), admin=same(200)
)


def return_url(tail: str = ""):
    """A Compact's return for 2026/27: the Compact of the role's notice."""
    return lambda w, r: f"/self-assessments/2026/{r.notice.compact.code}{tail}"


def _assessment_year(world) -> int:
    """The region's 2026/27 self-assessment year, made on first use."""
    found = _db.session.scalar(
        sa.select(SelfAssessmentYear).where(SelfAssessmentYear.region_id == world.region.id)
    )
    if found is None:
        found = SelfAssessmentYear(region_id=world.region.id, year=2026, due_on=date(2027, 6, 30))
        _db.session.add(found)
        _db.session.commit()
    return found.id


def IMPORTERS(status: int) -> Expect:
    return Expect(
        officer=same(status),
        mediator=same(403),
        funder=same(403),
        viewer=same(403),
        admin=same(status),
    )


def INVITERS(status: int) -> Expect:
    return Expect(
        officer=(status, 404),
        mediator=same(403),
        funder=(status, 404),
        viewer=same(403),
        admin=same(status),
        organisation=(status, 404),
    )


def EVERY_ROLE_AND_ANONYMOUS(statuses: tuple[int, int]) -> Expect:
    return Expect(
        officer=statuses,
        mediator=statuses,
        funder=statuses,
        viewer=statuses,
        admin=statuses,
        organisation=statuses,
        anonymous=statuses,
    )


def api_url(rule: str):
    return lambda w, r: (
        rule.replace("<reference>", r.case.reference)
        .replace("<int:notice_id>", str(r.notice.id))
        .replace("<int:agreement_id>", str(r.agreement.id))
        .replace("<int:document_id>", str(r.document_id))
    )


def agreement_url(tail: str = ""):
    return lambda w, r: f"/funding-agreements/{r.agreement.id}{tail}"


# Funders manage their own organisation's agreements (administrators any); everyone else with
# the agreement in scope may only read it.
MANAGE_AGREEMENT_PAGE = Expect(
    officer=(403, 404),
    mediator=(403, 404),
    funder=(200, 404),
    viewer=(403, 404),
    admin=same(200),
    organisation=(403, 404),
)
MANAGE_AGREEMENT_POST = Expect(
    officer=(403, 404),
    mediator=(403, 404),
    funder=(422, 404),
    viewer=(403, 404),
    admin=same(422),
    organisation=(403, 404),
)


# Meetings are arranged and recorded by the case's officer or mediator (and administrators);
# a funder sees the case and its meetings but may not arrange them.
def MEETINGS(status: int) -> Expect:
    return Expect(
        officer=(status, 404),
        mediator=(status, 404),
        funder=(403, 404),
        viewer=same(404),
        admin=same(status),
    )


def meeting_url(tail: str = ""):
    return lambda w, r: f"/cases/{r.case.reference}/meetings/{r.meeting_id}{tail}"


# Adding documents: the Compact's own people on what they can see; a funder or viewer that
# sees the notice or agreement may not add to it (a viewer sees no case at all).
ADD_TO_CASE = Expect(
    officer=(200, 404), mediator=(200, 404), funder=(403, 404), viewer=same(404), admin=same(200)
)
ADD_TO_RECORD = Expect(
    officer=(200, 404), mediator=(200, 404), funder=(403, 404), viewer=(403, 404), admin=same(200)
)


def posted(expect: Expect) -> Expect:
    """The same statuses for the form posted empty: 422 where the page was 200."""
    return Expect(
        **{
            role: tuple(422 if status == 200 else status for status in getattr(expect, role))
            for role in ("officer", "mediator", "funder", "viewer", "admin", "organisation")
            if getattr(expect, role) is not None
        }
    )


# A document shared with the parties, on the role's case: the Compact's people may remove it,
# a funder only read it. Erasing a file is an administrator's alone.
REMOVE_DOCUMENT = Expect(
    officer=(200, 404), mediator=(200, 404), funder=(403, 404), viewer=same(404), admin=same(200)
)
PURGE_DOCUMENT = Expect(
    officer=(403, 404), mediator=(403, 404), funder=(403, 404), viewer=same(404), admin=same(200)
)

# (rule, method) -> (how to build the URL, form data, expected statuses).
# `r` holds the role's own records (a case, a notice): inside or outside its scope as the
# column says.
MATRIX = {
    ("/healthz", "GET"): (
        lambda w, r: "/healthz",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(200),
            admin=same(200),
            anonymous=same(200),
        ),
    ),
    ("/favicon.ico", "GET"): (
        lambda w, r: "/favicon.ico",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(200),
            admin=same(200),
            anonymous=same(200),
        ),
    ),
    ("/readyz", "GET"): (
        lambda w, r: "/readyz",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(200),
            admin=same(200),
            anonymous=same(200),
        ),
    ),
    ("/sign-in", "GET"): (
        lambda w, r: "/sign-in",
        None,
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(302),
            admin=same(302),
            anonymous=same(200),
        ),
    ),
    ("/sign-in", "POST"): (
        lambda w, r: "/sign-in",
        {"email": "", "password": ""},
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(302),
            admin=same(302),
            anonymous=same(422),
        ),
    ),
    ("/account", "GET"): (lambda w, r: "/account", None, EVERY_ROLE(200)),
    ("/account/password", "GET"): (lambda w, r: "/account/password", None, EVERY_ROLE(200)),
    ("/account/password", "POST"): (
        lambda w, r: "/account/password",
        {"current_password": "", "new_password": ""},
        EVERY_ROLE(422),
    ),
    # An empty choice: every signed-in person reaches the form, which asks for a choice.
    ("/account/case-emails", "POST"): (
        lambda w, r: "/account/case-emails",
        {},
        Expect(
            officer=same(422),
            mediator=same(422),
            funder=same(422),
            organisation=same(422),
            viewer=same(422),
            admin=same(422),
            anonymous=same(SIGN_IN),
        ),
    ),
    ("/account/sign-out-everywhere", "GET"): (
        lambda w, r: "/account/sign-out-everywhere",
        None,
        EVERY_ROLE(200),
    ),
    ("/account/sign-out-everywhere", "POST"): (
        lambda w, r: "/account/sign-out-everywhere",
        {},
        EVERY_ROLE(302),
    ),
    ("/sign-out", "POST"): (
        lambda w, r: "/sign-out",
        {},
        Expect(
            officer=same(302),
            mediator=same(302),
            funder=same(302),
            viewer=same(302),
            admin=same(302),
        ),
    ),
    # Each person's work; an administrator starts at Administration.
    ("/", "GET"): (
        lambda w, r: "/",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(200),
            admin=same(302),
        ),
    ),
    ("/cases", "GET"): (
        lambda w, r: "/cases",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/cases/new", "GET"): (
        lambda w, r: "/cases/new",
        None,
        Expect(
            officer=same(200),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/cases/new", "POST"): (
        lambda w, r: "/cases/new",
        {"title": ""},
        Expect(
            officer=same(422),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(200, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/cases/<reference>/edit", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/edit",
        None,
        Expect(
            officer=(200, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/cases/<reference>/edit", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/edit",
        {"title": ""},
        Expect(
            officer=(422, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    # Withdrawing without a reason: refused by the workflow (422) once the role may fire it.
    ("/cases/<reference>/events/<event>", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/events/withdraw",
        {"withdraw-reason": ""},
        Expect(
            officer=(422, 404),
            mediator=(422, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/meetings/new", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/meetings/new",
        None,
        MEETINGS(200),
    ),
    ("/cases/<reference>/meetings/new", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/meetings/new",
        {"start_time": ""},
        MEETINGS(422),
    ),
    # A party sees only the meetings one of its people is invited to.
    ("/cases/<reference>/meetings/<int:meeting_id>", "GET"): (
        meeting_url(),
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            # Both parties' people are invited to the role's meeting (see `_case`).
            funder=(200, 404),
            viewer=same(404),
            admin=same(200),
            organisation=(200, 404),
        ),
    ),
    ("/cases/<reference>/meetings/<int:meeting_id>/edit", "GET"): (
        meeting_url("/edit"),
        None,
        MEETINGS(200),
    ),
    ("/cases/<reference>/meetings/<int:meeting_id>/edit", "POST"): (
        meeting_url("/edit"),
        {"start_time": ""},
        MEETINGS(422),
    ),
    ("/cases/<reference>/meetings/<int:meeting_id>/cancel", "GET"): (
        meeting_url("/cancel"),
        None,
        MEETINGS(200),
    ),
    ("/cases/<reference>/meetings/<int:meeting_id>/cancel", "POST"): (
        meeting_url("/cancel"),
        {"reason": "The parties settled"},
        MEETINGS(302),
    ),
    # Recording a meeting that has not happened yet is refused beside the note.
    ("/cases/<reference>/meetings/<int:meeting_id>/record", "GET"): (
        meeting_url("/record"),
        None,
        MEETINGS(200),
    ),
    ("/cases/<reference>/meetings/<int:meeting_id>/record", "POST"): (
        meeting_url("/record"),
        {"note": "We met"},
        MEETINGS(422),
    ),
    # A party responds on its case; the Compact's people, the panel and administrators do not.
    ("/cases/<reference>/responses/new", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/responses/new",
        None,
        Expect(
            officer=(403, 404),
            mediator=(403, 404),
            funder=(200, 404),
            viewer=same(404),
            admin=same(403),
            organisation=(200, 404),
        ),
    ),
    ("/cases/<reference>/responses/new", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/responses/new",
        {"text": ""},
        Expect(
            officer=(403, 404),
            mediator=(403, 404),
            funder=(422, 404),
            viewer=same(404),
            admin=same(403),
            organisation=(422, 404),
        ),
    ),
    ("/cases/<reference>/notes", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/notes",
        {"text": ""},
        Expect(
            officer=(422, 404),
            mediator=(422, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/take", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/take",
        {},
        Expect(
            officer=(403, 404),
            mediator=(302, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(403),
        ),
    ),
    # Assigning is for a lead mediator (the matrix's mediator is not one) or an administrator.
    ("/cases/<reference>/assignment", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/assignment",
        None,
        Expect(
            officer=(403, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/cases/<reference>/assignment", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/assignment",
        {"mediator": ""},
        Expect(
            officer=(403, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/clock/pause", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/clock/pause",
        {"pause-reason": ""},
        CLOCK,
    ),
    ("/cases/<reference>/clock/resume", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/clock/resume",
        {"resume-reason": ""},
        CLOCK,
    ),
    ("/cases/<reference>/deadlines/<int:deadline_id>/extend", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/deadlines/{r.deadline_id}/extend",
        {},
        CLOCK,
    ),
    ("/cases/<reference>/documents/new", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/documents/new",
        None,
        ADD_TO_CASE,
    ),
    ("/cases/<reference>/documents/new", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/documents/new",
        {},
        posted(ADD_TO_CASE),
    ),
    ("/notices/<int:notice_id>/documents/new", "GET"): (
        lambda w, r: f"/notices/{r.notice.id}/documents/new",
        None,
        ADD_TO_RECORD,
    ),
    ("/notices/<int:notice_id>/documents/new", "POST"): (
        lambda w, r: f"/notices/{r.notice.id}/documents/new",
        {},
        posted(ADD_TO_RECORD),
    ),
    ("/funding-agreements/<int:agreement_id>/documents/new", "GET"): (
        agreement_url("/documents/new"),
        None,
        ADD_TO_RECORD,
    ),
    ("/funding-agreements/<int:agreement_id>/documents/new", "POST"): (
        agreement_url("/documents/new"),
        {},
        posted(ADD_TO_RECORD),
    ),
    # A private document on the role's case: a funder, a party, is refused it as if it did
    # not exist, though it sees the case.
    ("/documents/<int:document_id>/download", "GET"): (
        lambda w, r: f"/documents/{r.private_document_id}/download",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=same(404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/documents/<int:document_id>/remove", "GET"): (
        lambda w, r: f"/documents/{r.document_id}/remove",
        None,
        REMOVE_DOCUMENT,
    ),
    ("/documents/<int:document_id>/remove", "POST"): (
        lambda w, r: f"/documents/{r.document_id}/remove",
        {"reason": ""},
        posted(REMOVE_DOCUMENT),
    ),
    ("/documents/<int:document_id>/purge", "GET"): (
        lambda w, r: f"/documents/{r.document_id}/purge",
        None,
        PURGE_DOCUMENT,
    ),
    ("/documents/<int:document_id>/purge", "POST"): (
        lambda w, r: f"/documents/{r.document_id}/purge",
        {"reason": ""},
        posted(PURGE_DOCUMENT),
    ),
    # Letters: the officer and the mediator of a case write them; a funder never does.
    ("/cases/<reference>/letters/new", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/letters/new",
        None,
        LETTERS(200),
    ),
    ("/cases/<reference>/letters/preview", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/letters/preview",
        {},
        LETTERS(422),
    ),
    ("/cases/<reference>/letters", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/letters",
        {},
        LETTERS(422),
    ),
    # Acknowledging a raised dispute is the Compact officer's (or an administrator's).
    ("/cases/<reference>/acknowledgement", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/acknowledgement",
        None,
        ACKNOWLEDGE(200),
    ),
    ("/cases/<reference>/acknowledgement", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/acknowledgement",
        {},
        ACKNOWLEDGE(422),
    ),
    ("/letters/fields", "GET"): (
        lambda w, r: "/letters/fields",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(403),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/admin/letter-templates", "GET"): (lambda w, r: "/admin/letter-templates", None, ADMIN_ONLY),
    ("/admin/letter-templates", "POST"): (
        lambda w, r: "/admin/letter-templates",
        {},
        ADMIN_FORM_POST,
    ),
    ("/admin/letter-templates/default/<kind>.docx", "GET"): (
        lambda w, r: "/admin/letter-templates/default/acknowledgement.docx",
        None,
        ADMIN_ONLY,
    ),
    # No Compact has its own template here: the administrator is let through to a 404.
    ("/admin/letter-templates/<int:template_id>/remove", "POST"): (
        lambda w, r: "/admin/letter-templates/999/remove",
        {},
        Expect(
            officer=same(403),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(404),
        ),
    ),
    ("/notices", "GET"): (lambda w, r: "/notices", None, EVERY_ROLE(200)),
    ("/funding-agreements", "GET"): (lambda w, r: "/funding-agreements", None, EVERY_ROLE(200)),
    ("/funding-agreements/windows", "GET"): (
        lambda w, r: "/funding-agreements/windows",
        None,
        EVERY_ROLE(200),
    ),
    ("/funding-agreements/new", "GET"): (
        lambda w, r: "/funding-agreements/new",
        None,
        Expect(
            officer=same(403),
            mediator=same(403),
            funder=same(200),
            viewer=same(403),
            admin=same(200),
            organisation=same(403),
        ),
    ),
    ("/funding-agreements/new", "POST"): (
        lambda w, r: "/funding-agreements/new",
        {"title": ""},
        Expect(
            officer=same(403),
            mediator=same(403),
            funder=same(422),
            viewer=same(403),
            admin=same(422),
            organisation=same(403),
        ),
    ),
    ("/funding-agreements/<int:agreement_id>", "GET"): (
        agreement_url(),
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(200, 404),
            viewer=(200, 404),
            admin=same(200),
        ),
    ),
    ("/funding-agreements/<int:agreement_id>/edit", "GET"): (
        agreement_url("/edit"),
        None,
        MANAGE_AGREEMENT_PAGE,
    ),
    ("/funding-agreements/<int:agreement_id>/edit", "POST"): (
        agreement_url("/edit"),
        {"title": ""},
        MANAGE_AGREEMENT_POST,
    ),
    ("/funding-agreements/<int:agreement_id>/decision", "GET"): (
        agreement_url("/decision"),
        None,
        MANAGE_AGREEMENT_PAGE,
    ),
    ("/funding-agreements/<int:agreement_id>/decision", "POST"): (
        agreement_url("/decision"),
        {},
        MANAGE_AGREEMENT_POST,
    ),
    ("/notices/new", "GET"): (
        lambda w, r: "/notices/new",
        None,
        Expect(
            officer=same(403),
            mediator=same(403),
            funder=same(200),
            viewer=same(403),
            admin=same(200),
            organisation=same(403),
        ),
    ),
    ("/notices/new", "POST"): (
        lambda w, r: "/notices/new",
        {"title": ""},
        Expect(
            officer=same(403),
            mediator=same(403),
            funder=same(422),
            viewer=same(403),
            admin=same(422),
            organisation=same(403),
        ),
    ),
    ("/notices/<int:notice_id>", "GET"): (
        lambda w, r: f"/notices/{r.notice.id}",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(200, 404),
            viewer=(200, 404),
            admin=same(200),
        ),
    ),
    # The admin's outside notice kept the Compact: nothing to open a case about (409).
    ("/notices/<int:notice_id>/open-case", "POST"): (
        lambda w, r: f"/notices/{r.notice.id}/open-case",
        {},
        Expect(
            officer=(302, 404),
            mediator=(403, 404),
            funder=(403, 404),
            viewer=(403, 404),
            admin=(302, 409),
        ),
    ),
    # Only the funder that gave a notice (and an administrator) may change or withdraw it.
    **{
        (f"/notices/<int:notice_id>/{action}", method): (
            lambda w, r, action=action: f"/notices/{r.notice.id}/{action}",
            {"title": ""} if method == "POST" else None,
            Expect(
                officer=(403, 404),
                mediator=(403, 404),
                funder=(status, 404),
                viewer=(403, 404),
                admin=same(status),
                # The organisation a notice was given to reads it; only the funder changes it.
                organisation=(403, 404),
            ),
        )
        for action in ("edit", "withdraw")
        for method, status in (("GET", 200), ("POST", 422))
    },
    # Officers (and administrators) add a local organisation from the case form: the first
    # post, from the case form's button, shows the page to name it.
    ("/organisations/new", "POST"): (
        lambda w, r: "/organisations/new",
        {},
        Expect(
            officer=same(200),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/notices/check", "GET"): (lambda w, r: "/notices/check", None, EVERY_ROLE(200)),
    ("/notices/check", "POST"): (lambda w, r: "/notices/check", {"kind": ""}, EVERY_ROLE(422)),
    # Every role may read a funder's page, scoped to the notices it can see; a funder user
    # only its own organisation's.
    ("/funders/<int:organisation_id>/compliance", "GET"): (
        lambda w, r: f"/funders/{r.notice.funder_id}/compliance",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=(200, 404),
            viewer=same(200),
            admin=same(200),
            organisation=same(200),
        ),
    ),
    ("/admin/compacts/<code>/rules", "GET"): (
        lambda w, r: "/admin/compacts/BIR/rules",
        None,
        ADMIN_ONLY,
    ),
    # Every rule left blank: nothing changes, and the page says so (302 back to it).
    ("/admin/compacts/<code>/rules", "POST"): (
        lambda w, r: "/admin/compacts/BIR/rules",
        {},
        ADMIN_ACTION,
    ),
    # The API ignores the session: without a bearer token every request is 401, whoever is
    # signed in to the pages. Its per-role rules are tested with tokens in test_api.py.
    **{
        (rule, method): (
            api_url(rule),
            {},
            EVERY_ROLE(401, anonymous=True),
        )
        for rule, method in [
            ("/api/v1/cases", "GET"),
            ("/api/v1/cases", "POST"),
            ("/api/v1/cases/<reference>", "GET"),
            ("/api/v1/cases/<reference>", "PATCH"),
            ("/api/v1/cases/<reference>/events", "POST"),
            ("/api/v1/cases/<reference>/responses", "POST"),
            ("/api/v1/cases/<reference>/assignment", "POST"),
            ("/api/v1/cases/<reference>/acknowledgement", "POST"),
            ("/api/v1/cases/<reference>/referral", "POST"),
            ("/api/v1/cases/<reference>/outcome", "GET"),
            ("/api/v1/cases/<reference>/outcome", "POST"),
            ("/api/v1/deadline-calculations", "POST"),
            ("/api/v1/notice-checks", "POST"),
            ("/api/v1/tokens/current", "DELETE"),
            ("/api/v1/notices", "GET"),
            ("/api/v1/notices", "POST"),
            ("/api/v1/notices/<int:notice_id>", "GET"),
            ("/api/v1/funding-agreements", "GET"),
            ("/api/v1/funding-agreements", "POST"),
            ("/api/v1/funding-agreements/<int:agreement_id>", "GET"),
            ("/api/v1/funding-agreements/<int:agreement_id>", "PATCH"),
            ("/api/v1/funding-agreements/<int:agreement_id>/decisions", "POST"),
            ("/api/v1/notices/<int:notice_id>", "PATCH"),
            ("/api/v1/notices/<int:notice_id>/withdrawal", "POST"),
            ("/api/v1/reports/summary", "GET"),
            ("/api/v1/reports/business-case", "GET"),
            ("/api/v1/cases/<reference>/meetings", "GET"),
            ("/api/v1/cases/<reference>/meetings", "POST"),
            ("/api/v1/cases/<reference>/documents", "GET"),
            ("/api/v1/cases/<reference>/documents", "POST"),
            ("/api/v1/documents/<int:document_id>", "GET"),
            ("/api/v1/documents/<int:document_id>/content", "GET"),
            ("/api/v1/compacts", "GET"),
            ("/api/v1/organisations", "GET"),
            ("/api/v1/cases/<reference>/events", "GET"),
            ("/api/v1/deadlines", "GET"),
        ]
    },
    # Getting a token needs a JSON body (415 without one); the description is public.
    ("/api/v1/tokens", "POST"): (lambda w, r: "/api/v1/tokens", {}, EVERY_ROLE(415, True)),
    ("/api/v1/openapi.json", "GET"): (
        lambda w, r: "/api/v1/openapi.json",
        None,
        EVERY_ROLE(200, True),
    ),
    ("/api/docs", "GET"): (lambda w, r: "/api/docs", None, EVERY_ROLE(200, True)),
    # Raising a concern: an organisation's user only; nothing typed is refused beside its field.
    **{
        (rule, method): (
            lambda w, r, rule=rule: rule,
            None if method == "GET" else {},
            ORGANISATION_ONLY(200 if method == "GET" else status),
        )
        for rule, status in [
            ("/concerns/new/funder", 422),
            ("/concerns/new/what-happened", 422),
            ("/concerns/new/commitments", 422),
            ("/concerns/new/outcome", 422),
            # No file is fine (documents are optional): on to the check page.
            ("/concerns/new/documents", 302),
            # Without the check page's one-time token nothing is sent: back to the page.
            ("/concerns/new/check", 302),
        ]
        for method in ("GET", "POST")
    },
    ("/concerns/new", "GET"): (lambda w, r: "/concerns/new", None, ORGANISATION_ONLY(200)),
    ("/concerns/<reference>/confirmation", "GET"): (
        lambda w, r: f"/concerns/{r.case.reference}/confirmation",
        None,
        Expect(
            officer=same(403),
            mediator=same(403),
            funder=same(403),
            viewer=same(403),
            admin=same(403),
            organisation=(200, 404),
        ),
    ),
    # Regional cases: mediators (and administrators) open them and refer local cases up.
    ("/cases/regional/new", "GET"): (
        lambda w, r: "/cases/regional/new",
        None,
        Expect(
            officer=same(403),
            mediator=same(200),
            funder=same(403),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    ("/cases/regional/new", "POST"): (
        lambda w, r: "/cases/regional/new",
        {"title": ""},
        Expect(
            officer=same(403),
            mediator=same(422),
            funder=same(403),
            viewer=same(403),
            admin=same(422),
        ),
    ),
    ("/cases/<reference>/referral", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/referral",
        None,
        Expect(
            officer=(403, 404),
            mediator=(200, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    # No version sent: the form was not opened on the case as it is (409), nothing changes.
    ("/cases/<reference>/referral", "POST"): (
        lambda w, r: f"/cases/{r.case.reference}/referral",
        {"version": ""},
        Expect(
            officer=(403, 404),
            mediator=(409, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(409),
        ),
    ),
    ("/cases/<reference>/resolve", "GET"): (
        lambda w, r: f"/cases/{r.case.reference}/resolve",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(403, 404),
            viewer=same(404),
            admin=same(200),
        ),
    ),
    ("/reports", "GET"): (lambda w, r: "/reports", None, REPORTS),
    ("/reports/<name>", "GET"): (lambda w, r: "/reports/time-to-resolution", None, REPORTS),
    ("/reports/<name>.csv", "GET"): (lambda w, r: "/reports/outcomes.csv", None, REPORTS),
    ("/reports/annual-summary", "GET"): (lambda w, r: "/reports/annual-summary", None, REPORTS),
    # The case list's download: the same people as the list, each seeing their own cases.
    ("/cases.csv", "GET"): (
        lambda w, r: "/cases.csv",
        None,
        Expect(
            officer=same(200),
            mediator=same(200),
            funder=same(200),
            viewer=same(403),
            admin=same(200),
        ),
    ),
    # The business case is a report: the same people, each over their own scope's cases.
    ("/reports/business-case", "GET"): (lambda w, r: "/reports/business-case", None, REPORTS),
    ("/reports/business-case.csv", "GET"): (
        lambda w, r: "/reports/business-case.csv",
        None,
        REPORTS,
    ),
    ("/reports/business-case/summary", "GET"): (
        lambda w, r: "/reports/business-case/summary",
        None,
        REPORTS,
    ),
    ("/admin/value-proxies", "GET"): (lambda w, r: "/admin/value-proxies", None, ADMIN_ONLY),
    ("/admin/value-proxies/<kind>", "GET"): (
        lambda w, r: "/admin/value-proxies/job",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/value-proxies/<kind>", "POST"): (
        lambda w, r: "/admin/value-proxies/job",
        {"low": "-5"},
        ADMIN_FORM_POST,
    ),
    # The self-assessment: every role with reports reads the returns of its scope's Compacts
    # (the notice's Compact: inside and outside as for notices); only officers and
    # administrators change one, only mediators and administrators reopen one.
    ("/self-assessments", "GET"): (lambda w, r: "/self-assessments", None, SELF_ASSESSMENT),
    ("/self-assessments/<int:year>/<code>", "GET"): (
        return_url(),
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=same(403),
            viewer=(200, 404),
            admin=same(200),
        ),
    ),
    # An empty form saves a draft.
    ("/self-assessments/<int:year>/<code>", "POST"): (
        return_url(),
        {},
        Expect(
            officer=(302, 404),
            mediator=(403, 404),
            funder=same(403),
            viewer=(403, 404),
            admin=same(302),
        ),
    ),
    # No reason given: back to the return, which says so.
    ("/self-assessments/<int:year>/<code>/reopen", "POST"): (
        return_url("/reopen"),
        {},
        Expect(
            officer=(403, 404),
            mediator=(302, 404),
            funder=same(403),
            viewer=(403, 404),
            admin=same(302),
        ),
    ),
    ("/self-assessments/<int:year>/roll-up", "GET"): (
        lambda w, r: "/self-assessments/2026/roll-up",
        None,
        ROLL_UP,
    ),
    ("/self-assessments/<int:year>/roll-up.csv", "GET"): (
        lambda w, r: "/self-assessments/2026/roll-up.csv",
        None,
        ROLL_UP,
    ),
    ("/admin/self-assessment-years", "GET"): (
        lambda w, r: "/admin/self-assessment-years",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/self-assessment-years", "POST"): (
        lambda w, r: "/admin/self-assessment-years",
        {"region": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/self-assessment-years/<int:year_id>/close", "POST"): (
        lambda w, r: f"/admin/self-assessment-years/{_assessment_year(w)}/close",
        {},
        ADMIN_ACTION,
    ),
    # Shared learning is anonymised, so every signed-in person may read it.
    ("/learning", "GET"): (lambda w, r: "/learning", None, EVERY_ROLE(200)),
    ("/admin/", "GET"): (lambda w, r: "/admin/", None, ADMIN_ONLY),
    ("/admin/users", "GET"): (lambda w, r: "/admin/users", None, ADMIN_ONLY),
    ("/admin/users/new", "GET"): (lambda w, r: "/admin/users/new", None, ADMIN_ONLY),
    ("/admin/users/new", "POST"): (
        lambda w, r: "/admin/users/new",
        {"name": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/users/<int:user_id>/deactivate", "POST"): (
        lambda w, r: f"/admin/users/{w.officer_war.id}/deactivate",
        {},
        ADMIN_ACTION,
    ),
    ("/admin/users/<int:user_id>/activate", "POST"): (
        lambda w, r: f"/admin/users/{w.officer_war.id}/activate",
        {},
        ADMIN_ACTION,
    ),
    ("/admin/regions", "GET"): (lambda w, r: "/admin/regions", None, ADMIN_ONLY),
    ("/admin/regions/new", "GET"): (lambda w, r: "/admin/regions/new", None, ADMIN_ONLY),
    ("/admin/regions/new", "POST"): (
        lambda w, r: "/admin/regions/new",
        {"code": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/regions/<code>/edit", "GET"): (
        lambda w, r: "/admin/regions/WM/edit",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/regions/<code>/edit", "POST"): (
        lambda w, r: "/admin/regions/WM/edit",
        {"code": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/compacts", "GET"): (lambda w, r: "/admin/compacts", None, ADMIN_ONLY),
    ("/admin/compacts/new", "GET"): (lambda w, r: "/admin/compacts/new", None, ADMIN_ONLY),
    ("/admin/compacts/new", "POST"): (
        lambda w, r: "/admin/compacts/new",
        {"code": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/compacts/<code>/edit", "GET"): (
        lambda w, r: "/admin/compacts/BIR/edit",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/compacts/<code>/edit", "POST"): (
        lambda w, r: "/admin/compacts/BIR/edit",
        {"code": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/organisations", "GET"): (
        lambda w, r: "/admin/organisations",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/organisations/new", "GET"): (
        lambda w, r: "/admin/organisations/new",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/organisations/new", "POST"): (
        lambda w, r: "/admin/organisations/new",
        {"name": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/organisations/<int:organisation_id>/edit", "GET"): (
        lambda w, r: f"/admin/organisations/{w.youth.id}/edit",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/organisations/<int:organisation_id>/edit", "POST"): (
        lambda w, r: f"/admin/organisations/{w.youth.id}/edit",
        {"name": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/reminders", "GET"): (lambda w, r: "/admin/reminders", None, ADMIN_ONLY),
    # Webhook endpoints: administrators only.
    ("/admin/webhooks", "GET"): (lambda w, r: "/admin/webhooks", None, ADMIN_ONLY),
    ("/admin/webhooks/new", "GET"): (lambda w, r: "/admin/webhooks/new", None, ADMIN_ONLY),
    ("/admin/webhooks/new", "POST"): (
        lambda w, r: "/admin/webhooks/new",
        {"url": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/webhooks/<int:endpoint_id>", "GET"): (
        lambda w, r: f"/admin/webhooks/{r.webhook_id}",
        None,
        ADMIN_ONLY,
    ),
    ("/admin/webhooks/<int:endpoint_id>/ping", "POST"): (
        lambda w, r: f"/admin/webhooks/{r.webhook_id}/ping",
        {},
        ADMIN_ACTION,
    ),
    ("/admin/webhooks/<int:endpoint_id>/active", "POST"): (
        lambda w, r: f"/admin/webhooks/{r.webhook_id}/active",
        {"active": "on"},
        ADMIN_ACTION,
    ),
    ("/admin/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/again", "POST"): (
        lambda w, r: f"/admin/webhooks/{r.webhook_id}/deliveries/{r.webhook_delivery_id}/again",
        {},
        ADMIN_ACTION,
    ),
    # Report e-mails: mediators, the regional panel and administrators.
    ("/report-emails", "GET"): (lambda w, r: "/report-emails", None, REPORT_EMAILS),
    ("/report-emails", "POST"): (
        lambda w, r: "/report-emails",
        {},
        Expect(
            officer=same(403),
            mediator=same(422),
            funder=same(403),
            viewer=same(422),
            admin=same(422),
        ),
    ),
    ("/report-emails/stop", "POST"): (
        lambda w, r: "/report-emails/stop",
        {},
        Expect(
            officer=same(403),
            mediator=same(302),
            funder=same(403),
            viewer=same(302),
            admin=same(302),
        ),
    ),
    ("/admin/bank-holidays", "GET"): (lambda w, r: "/admin/bank-holidays", None, ADMIN_ONLY),
    ("/admin/bank-holidays", "POST"): (
        lambda w, r: "/admin/bank-holidays",
        {"reason": ""},
        ADMIN_FORM_POST,
    ),
    ("/admin/reminders/<int:reminder_id>/retry", "POST"): (
        lambda w, r: f"/admin/reminders/{r.failed_reminder_id}/retry",
        {},
        ADMIN_ACTION,
    ),
    # Everyone signed in has an inbox of their own reminders; another user's is not found.
    ("/inbox", "GET"): (lambda w, r: "/inbox", None, EVERY_ROLE(200)),
    ("/inbox/read-all", "POST"): (lambda w, r: "/inbox/read-all", {}, EVERY_ROLE(302)),
    ("/inbox/<int:reminder_id>/read", "POST"): (
        lambda w, r: f"/inbox/{r.reminder_id}/read",
        {},
        Expect(
            officer=(302, 404),
            mediator=(302, 404),
            funder=(302, 404),
            viewer=(302, 404),
            admin=(302, 404),
        ),
    ),
    # Officers import into their own Compact and administrators anywhere; nobody else may.
    ("/imports", "GET"): (lambda w, r: "/imports", None, IMPORTERS(200)),
    ("/imports", "POST"): (lambda w, r: "/imports", {}, IMPORTERS(422)),
    ("/imports/<kind>/columns", "GET"): (
        lambda w, r: "/imports/cases/columns",
        None,
        IMPORTERS(200),
    ),
    ("/imports/<kind>/template.<extension>", "GET"): (
        lambda w, r: "/imports/notices/template.xlsx",
        None,
        IMPORTERS(200),
    ),
    # An upload is its uploader's alone: someone else's is not found. Confirming one whose
    # file cannot be read imports nothing (422).
    **{
        ("/imports/uploads/<upload_id>", method): (
            lambda w, r: f"/imports/uploads/{r.upload_id}",
            {} if method == "POST" else None,
            Expect(
                officer=(status, 404),
                mediator=same(403),
                funder=same(403),
                viewer=same(403),
                admin=(status, 404),
            ),
        )
        for method, status in (("GET", 200), ("POST", 422))
    },
    # Inviting people: officers for their Compacts' organisations, administrators any, a party's
    # user its own organisation only (404 for one outside its reach); never mediators or viewers.
    ("/organisations/<int:organisation_id>/people", "GET"): (
        lambda w, r: f"/organisations/{r.organisation_id}/people",
        None,
        INVITERS(200),
    ),
    ("/organisations/<int:organisation_id>/invitations/new", "GET"): (
        lambda w, r: f"/organisations/{r.organisation_id}/invitations/new",
        None,
        INVITERS(200),
    ),
    ("/organisations/<int:organisation_id>/invitations/new", "POST"): (
        lambda w, r: f"/organisations/{r.organisation_id}/invitations/new",
        {"name": "", "email": ""},
        INVITERS(422),
    ),
    ("/invitations/<int:invitation_id>/revoke", "POST"): (
        lambda w, r: f"/invitations/{r.invitation_id}/revoke",
        {},
        INVITERS(302),
    ),
    ("/invitations/<int:invitation_id>/new-link", "POST"): (
        lambda w, r: f"/invitations/{r.invitation_id}/new-link",
        {},
        INVITERS(302),
    ),
    # The link is its own credential: the same answer signed in or not. Inside: a live link;
    # outside: a revoked one, which answers as an unknown, used or expired one does.
    ("/invitations/<token>", "GET"): (
        lambda w, r: f"/invitations/{r.invite_token}",
        None,
        EVERY_ROLE_AND_ANONYMOUS((200, 404)),
    ),
    ("/invitations/<token>", "POST"): (
        lambda w, r: f"/invitations/{r.invite_token}",
        {"password": "", "confirm": ""},
        EVERY_ROLE_AND_ANONYMOUS((422, 404)),
    ),
    ("/invitations/new-link", "POST"): (
        lambda w, r: "/invitations/new-link",
        {"email": ""},
        EVERY_ROLE_AND_ANONYMOUS(same(422)),
    ),
    ("/calendar", "GET"): (lambda w, r: "/calendar", None, EVERY_ROLE(200)),
    ("/calendar", "POST"): (lambda w, r: "/calendar", {}, EVERY_ROLE(302)),
    ("/calendar/revoke", "POST"): (lambda w, r: "/calendar/revoke", {}, EVERY_ROLE(302)),
    # The feed takes a token, not a session: the same answer whoever asks, signed in or not.
    # Inside: a live token; outside: one that was revoked.
    ("/calendar/<token>.ics", "GET"): (
        lambda w, r: f"/calendar/{r.feed_token}.ics",
        None,
        Expect(
            officer=(200, 404),
            mediator=(200, 404),
            funder=(200, 404),
            viewer=(200, 404),
            admin=(200, 404),
            anonymous=(200, 404),
        ),
    ),
}

# Routes that end the session: the role signs in again before the next request.
SIGNS_OUT = {"/sign-out", "/account/sign-out-everywhere"}

# Served files: the same for everyone, signed in or not.
UNCHECKED = {("/static/<path:filename>", "GET")}


def app_routes() -> set[tuple[str, str]]:
    app = create_app(TestConfig)
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_rule():
    assert app_routes() - UNCHECKED == set(MATRIX)


def _case(world, compact, funder, third_sector, escalate: bool):
    case = services.create_case(
        services.CaseDetails(
            compact_id=compact.id,
            title="Grant ended with six weeks' notice",
            summary="Six weeks' notice of the end of a grant.",
            funder_id=funder.id,
            third_sector_id=third_sector.id,
            raised_by=Side.THIRD_SECTOR,
            areas=(Area.FUNDING,),
            amount_at_stake=10000,
            raised_on=date(2026, 10, 1),
        ),
        world.officer,
    )
    if escalate:
        workflow.fire_event(
            case,
            "escalate",
            EventRequest(today=date(2026, 10, 2), reason="The council hosts the Compact"),
            world.officer,
        )
    starts_at = utcnow() + timedelta(days=7)
    meetings.schedule_meeting(
        case,
        meetings.MeetingDraft(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            place="Council House",
            link="",
            agenda="",
            # The parties' people with accounts: a party sees only the meetings it is invited to.
            user_ids=tuple(u.id for u in meetings.invitable(case) if u.role in PARTY_ROLES),
            guests=("Sam Patel",),
        ),
        world.officer,
        utcnow(),
    )
    return case


@dataclass(frozen=True)
class Records:
    case: Case
    notice: Notice
    agreement: FundingAgreement | None = None
    # The role's own in-app reminder inside its scope, someone else's outside it.
    reminder_id: int = 0
    feed_token: str = ""
    failed_reminder_id: int = 0
    webhook_id: int = 0
    webhook_delivery_id: int = 0
    # The role's own import upload inside its scope, another person's outside it.
    upload_id: str = ""
    # A document shared with the parties and a private one, on the case.
    document_id: int = 0
    private_document_id: int = 0
    # An organisation whose people the role may invite (inside) or not (outside), a pending
    # invitation of that organisation, and a live (inside) or revoked (outside) link.
    organisation_id: int = 0
    invitation_id: int = 0
    invite_token: str = ""

    @property
    def meeting_id(self) -> int:
        return _db.session.scalar(sa.select(Meeting.id).where(Meeting.case_id == self.case.id))

    @property
    def deadline_id(self) -> int:
        return next(d.id for d in self.case.deadlines if d.status is DeadlineStatus.OPEN)


def _notice(world, compact, funder, recipient, compliant: bool) -> Notice:
    return notices.create_notice(
        notices.NoticeDetails(
            kind=NoticeKind.FUNDING_END,
            compact_id=compact.id,
            funder_id=funder.id,
            recipient_id=recipient.id,
            title="Core grant ends",
            notice_given_on=date(2026, 9, 1),
            effective_on=date(2027, 3, 1) if compliant else date(2026, 10, 1),
        ),
        world.admin,
    )


@pytest.fixture
def records(world, db):
    """For each role, a case and a notice inside its scope and ones outside it."""
    return build_records(world, db)


def build_records(world, db):
    """For each role, a case and a notice inside its scope and ones outside it."""
    leicester = Compact(code="LCE", name="Leicester", tier=Tier.UPPER, region=world.other_region)
    leicester_council = Organisation(
        name="Leicester City Council",
        kind=OrganisationKind.STATUTORY,
        type=OrganisationType.COUNCIL,
        region=world.other_region,
        compact=leicester,
    )
    db.session.add_all([leicester, leicester_council])
    db.session.commit()
    bir_raised = _case(world, world.bir, world.council, world.youth, escalate=False)
    bir_escalated = _case(world, world.bir, world.council, world.foodbank, escalate=True)
    war_case = _case(world, world.war, world.wcc, world.rugby_cvs, escalate=False)
    police_case = _case(world, world.bir, world.police, world.youth, escalate=False)
    bir_notice = _notice(world, world.bir, world.council, world.youth, compliant=False)
    war_notice = _notice(world, world.war, world.wcc, world.rugby_cvs, compliant=True)
    em_notice = _notice(world, leicester, leicester_council, world.youth, compliant=False)
    bir_agreement = _agreement(world, world.bir, world.council, world.youth)
    war_agreement = _agreement(world, world.war, world.wcc, world.rugby_cvs)
    em_agreement = _agreement(world, leicester, leicester_council, world.youth)
    deadline_id = Records(bir_raised, bir_notice).deadline_id
    live = feeds.new_feed(world.officer).token
    revoked = feeds.new_feed(world.officer_war).token
    feeds.revoke_feed(world.officer_war)
    failed = [_reminder(deadline_id, world.officer, 900 + n, ReminderStatus.FAILED) for n in (1, 2)]
    others = _reminder(deadline_id, world.officer_war, 800, ReminderStatus.SENT)
    mine = {
        role: _reminder(
            deadline_id, getattr(world, USERS.get(role, "officer")), n, ReminderStatus.SENT
        )
        for n, role in enumerate(ROLES)
    }

    endpoint, _ = webhooks.create_endpoint(
        webhooks.EndpointDetails(
            organisation_id=world.council.id,
            url="https://grants.example.org/hooks",
            event_types=("case.created",),
        ),
        world.admin,
    )
    webhooks.ping(endpoint, world.admin)
    hook = {
        "webhook_id": endpoint.id,
        "webhook_delivery_id": _db.session.scalar(sa.select(WebhookDelivery.id)),
    }
    uploads = {
        role: save_upload(
            getattr(world, USERS.get(role, "officer")), ImportKind.CASES, "a.csv", b"x"
        )
        for role in ROLES
    }
    not_mine = save_upload(world.officer_war, ImportKind.CASES, "b.csv", b"x").id
    papers = {
        case.id: _documents(world, case)
        for case in (bir_raised, bir_escalated, war_case, police_case)
    }

    invited = {}
    for organisation in (world.youth, world.council, world.rugby_cvs, world.foodbank, world.police):
        invitation, token = invitations.invite(
            world.admin, organisation, f"new@{organisation.id}.example.org", "Sam Green"
        )
        invited[organisation.id] = invitation.id, token
    gone = invitations.invite(world.admin, world.wcc, "gone@example.org", "Ann Gone")
    invitations.revoke(world.admin, gone[0])

    def people(role, inside, outside):
        party = getattr(world, USERS.get(role, "officer"))
        own = party.organisation if party.organisation_id else inside[0].third_sector
        mine, theirs = own.id, outside[0].third_sector.id
        return (
            {"organisation_id": mine, "invitation_id": invited[mine][0]},
            {"organisation_id": theirs, "invitation_id": invited[theirs][0]},
        )

    def pair(role, inside, outside):
        ours, not_ours = people(role, inside, outside)
        return (
            Records(
                *inside,
                reminder_id=mine[role],
                feed_token=live,
                failed_reminder_id=failed[0],
                **hook,
                upload_id=uploads[role].id,
                **papers[inside[0].id],
                **ours,
                invite_token=invited[world.youth.id][1],
            ),
            Records(
                *outside,
                reminder_id=others,
                feed_token=revoked,
                failed_reminder_id=failed[1],
                **hook,
                upload_id=not_mine,
                **papers[outside[0].id],
                **not_ours,
                invite_token=gone[1],
            ),
        )

    bir, war, em = bir_agreement, war_agreement, em_agreement
    return {
        "anonymous": pair("anonymous", (bir_raised, bir_notice, bir), (war_case, war_notice, war)),
        "officer": pair("officer", (bir_raised, bir_notice, bir), (war_case, war_notice, war)),
        "mediator": pair("mediator", (bir_escalated, bir_notice, bir), (bir_raised, em_notice, em)),
        "funder": pair("funder", (bir_raised, bir_notice, bir), (police_case, war_notice, war)),
        "viewer": pair("viewer", (bir_escalated, bir_notice, bir), (war_case, em_notice, em)),
        "admin": pair("admin", (bir_raised, bir_notice, bir), (war_case, war_notice, war)),
        "organisation": pair(
            "organisation", (bir_raised, bir_notice, bir), (war_case, war_notice, war)
        ),
    }


def _documents(world, case) -> dict[str, int]:
    """A document shared with the parties and a private one on `case`."""
    shared, private = (
        documents.add_document(
            owner=case,
            filename=f"{visibility}.txt",
            data=f"{case.reference}: {visibility}\n".encode(),
            visibility=visibility,
            actor=world.officer,
        )
        for visibility in ("parties", "private")
    )
    _db.session.commit()
    return {"document_id": shared.id, "private_document_id": private.id}


def _agreement(world, compact, funder, organisation) -> FundingAgreement:
    return agreements.create_agreement(
        agreements.AgreementDetails(
            funder_id=funder.id,
            organisation_id=organisation.id,
            compact_id=compact.id,
            title="Core grant",
            funder_reference="CORE-1",
            annual_value=20000,
            starts_on=date(2024, 4, 1),
            ends_on=date(2027, 3, 31),
        ),
        world.admin,
    )


def _reminder(deadline_id: int, user, offset: int, status: ReminderStatus) -> int:
    reminder = Reminder(
        deadline_id=deadline_id,
        offset_days=offset,
        recipient_id=user.id,
        channel=ReminderChannel.INBOX,
        send_on=date(2026, 10, 1),
        status=status,
        sent_at=utcnow() if status is ReminderStatus.SENT else None,
        subject="BIR-2026-0001: Acknowledge the dispute",
        attempts=5 if status is ReminderStatus.FAILED else 0,
    )
    _db.session.add(reminder)
    _db.session.commit()
    return reminder.id


USERS = {
    "organisation": "organisation_user",
    "officer": "officer",
    "mediator": "mediator",
    "funder": "funder",
    "viewer": "viewer",
    "admin": "admin",
}


@pytest.fixture
def db(app):
    """As tests/conftest.py's, but emptied first too: the route tests keep their records in
    the database between them (`kept`)."""
    with app.app_context():
        empty_database()
        yield _db
        empty_database()


@pytest.fixture(scope="module")
def kept(app):
    """The records the route tests share while no request changes them: made once, and again
    only after a write that was not refused (or a test that failed part-way), so a route only
    read by every role costs no new records. One application context (and so one database
    session, holding the records' rows) for the module's route tests; the database is emptied
    when they are done."""
    with app.app_context():
        shared: dict = {"world": None, "records": None}
        yield shared
        empty_database()


def _still_there(records) -> bool:
    """Whether the kept records are still in the database (another test empties it)."""
    if records is None:
        return False
    case_id = records["officer"][0].case.id
    return _db.session.execute(sa.select(Case.id).where(Case.id == case_id)).first() is not None


@pytest.mark.parametrize(("rule", "method"), sorted(MATRIX))
def test_route_answers_each_role_with_the_right_status(app, kept, rule, method):
    """Each role in turn, inside its scope and outside it, on one set of records; a request
    that may have changed something (a write that was not refused) has the records made
    afresh for the next role (and the next route), so every role meets them as they were."""
    build_url, data, expect = MATRIX[(rule, method)]
    world, records = kept["world"], kept["records"]
    if not _still_there(records):
        records = None
    kept["records"] = None
    # CSRF is tested on its own; here every form carries a valid token.
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for role in ROLES:
            if records is None:
                empty_database()
                world = World(_db)
                records = build_records(world, _db)
            browser = Browser(app, app.test_client())
            if role != "anonymous":
                _signed_in(app, browser, getattr(world, USERS[role]))
            for inside, record in zip((True, False), records[role], strict=True):
                url = build_url(world, record)
                response = browser.request(method, url, data=data)
                expected = expect.status(role, inside)
                where = "inside" if inside else "outside"
                assert response.status_code == expected, f"{role} {method} {url} ({where} scope)"
                if method != "GET" and response.status_code < 400:
                    records = None
                if response.status_code == 302 and rule in SIGNS_OUT and role != "anonymous":
                    _signed_in(app, browser, getattr(world, USERS[role]))
        # Every request was a read or refused: the next route may use the same records.
        kept["world"], kept["records"] = world, records
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def _signed_in(app, browser, user) -> None:
    """Sign in through the form, which checks its CSRF token as it always does."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        browser.sign_in(user)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# -- regional cases: read-only for the officers of each affected Compact ------------------------

# Every page of one case: the case page itself and each action on it.
CASE_ROUTES = sorted(
    (rule, method)
    for rule, method in MATRIX
    if rule == "/cases/<reference>" or rule.startswith("/cases/<reference>/")
)


@pytest.fixture
def regional_case(world, db):
    """A regional case over Birmingham and Warwickshire, in regional mediation, and an
    officer of Coventry, a Compact it does not affect."""
    from compactcases.cases import regional

    with db.session.no_autoflush:
        coventry = Compact(code="COV", name="Coventry", tier=Tier.UPPER, region=world.region)
        db.session.add(coventry)
        officer_cov = world._user(
            "officer.cov@example.org", "Sam Reid", world.officer.role, coventry
        )
        db.session.add(officer_cov)
    db.session.commit()
    details = services.CaseDetails(
        compact_id=world.bir.id,
        title="Regional youth diversion grants ended",
        summary="The police ended its diversion grants across two Compacts.",
        funder_id=world.police.id,
        third_sector_id=world.youth.id,
        raised_by=Side.THIRD_SECTOR,
        areas=(Area.FUNDING,),
        amount_at_stake=90000,
        raised_on=date(2026, 10, 1),
        other_parties=((world.rugby_cvs.id, Side.THIRD_SECTOR),),
        affected_compact_ids=(world.bir.id, world.war.id),
    )
    case = regional.open_regional_case(details, world.mediator, today=date(2026, 10, 2))
    # A meeting the region's mediator arranged, for the meeting pages.
    starts_at = utcnow() + timedelta(days=7)
    meetings.schedule_meeting(
        case,
        meetings.MeetingDraft(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            place="Council House",
            link="",
            agenda="",
            user_ids=(),
            guests=("Sam Patel",),
        ),
        world.mediator,
        utcnow(),
    )
    return case, officer_cov


@pytest.mark.parametrize(("rule", "method"), CASE_ROUTES)
def test_a_regional_case_is_read_only_to_its_affected_compacts_officers(
    app, db, world, regional_case, rule, method
):
    case, officer_cov = regional_case
    build_url, data, _ = MATRIX[(rule, method)]
    url = build_url(world, Records(case, None))
    # Reading the case and its meetings; every other route acts on the case.
    reads = method == "GET" and rule in (
        "/cases/<reference>",
        "/cases/<reference>/meetings/<int:meeting_id>",
    )
    for officer, expected in (
        (world.officer, 200 if reads else 403),
        (world.officer_war, 200 if reads else 403),
        (officer_cov, 404),
    ):
        browser = Browser(app, app.test_client())
        browser.sign_in(officer)
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            response = browser.request(method, url, data=data)
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
        assert response.status_code == expected, f"{officer.name} {method} {url}"

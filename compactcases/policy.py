"""Who may do what: the one place that decides permissions, for every view and query.

Each scope rule is written once, as a SQL filter: `scope_cases(query, user)` narrows a query
to the cases the user may see, `scope_notices` to the notices, `report_compact_ids` to the
Compacts a user's reports cover. The one-record checks (`sees_case`, `sees_notice`, and so
`can(user, action, record)`) ask the database whether the record passes that filter, once per
request. Views ask `authorize`, which turns a refusal into the right answer: 404 when the
record is outside the user's scope (its existence is not revealed), 403 with a plain message
when the record is visible but the action is not theirs.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from enum import StrEnum

import sqlalchemy as sa
from flask import abort, g, has_app_context, request
from werkzeug.exceptions import Forbidden

from workflows.deadlines import DeadlineKind
from workflows.dispute import Event, State

from .extensions import db
from .models import (
    Case,
    Deadline,
    Document,
    FundingAgreement,
    Notice,
    Role,
    User,
)
from .scopes import (  # noqa: F401 (the scope rules are read through policy)
    PARTY_ROLES,
    SEES_PRIVATE_DOCUMENTS,
    Funded,
    agreement_compact_ids,
    deadline_hidden_from,
    is_regional_case,
    lookup_compact_ids,
    officer_compact_ids,
    organisation_sees,
    organisation_sees_record,
    own_side_ids,
    region_compact_ids,
    report_compact_ids,
    report_compacts,
    scope_agreements,
    scope_cases,
    scope_deadlines,
    scope_documents,
    scope_lookup_compacts,
    scope_lookup_organisations,
    scope_meetings,
    scope_notices,
    scope_report_cases,
    scope_self_assessment_compacts,
    scope_timeline,
)

log = logging.getLogger("compactcases.security")


class Action(StrEnum):
    LIST_CASES = "list_cases"
    CREATE_CASE = "create_case"
    VIEW_CASE = "view_case"
    EDIT_CASE = "edit_case"
    ADD_NOTE = "add_note"
    READ_PRIVATE_NOTES = "read_private_notes"
    TAKE_CASE = "take_case"
    # Choose or change a case's mediator (or, for an administrator, its officer).
    ASSIGN_CASE = "assign_case"
    MANAGE_CLOCK = "manage_clock"
    # Schedule, change, cancel and record meetings on a case.
    MANAGE_MEETINGS = "manage_meetings"
    # Record that a raised dispute was acknowledged (the Compact officer's step).
    ACKNOWLEDGE_CASE = "acknowledge_case"
    # Preview and generate a letter on a case, kept on it as a document.
    GENERATE_LETTER = "generate_letter"
    LIST_NOTICES = "list_notices"
    CREATE_NOTICE = "create_notice"
    EDIT_NOTICE = "edit_notice"
    VIEW_NOTICE = "view_notice"
    OPEN_CASE_FROM_NOTICE = "open_case_from_notice"
    CHECK_NOTICE = "check_notice"
    LIST_AGREEMENTS = "list_agreements"
    VIEW_AGREEMENT = "view_agreement"
    MANAGE_AGREEMENT = "manage_agreement"
    # A local third-sector organisation added from the case form, in the officer's region.
    ADD_LOCAL_ORGANISATION = "add_local_organisation"
    # Documents on a case, notice or agreement; who may open one is `scope_documents`.
    ADD_DOCUMENT = "add_document"
    VIEW_DOCUMENT = "view_document"
    REMOVE_DOCUMENT = "remove_document"
    # Erase a document's bytes for good (a data-subject request): administrators only.
    PURGE_DOCUMENT = "purge_document"
    ADMINISTER = "administer"
    # The regional summary by e-mail, monthly or quarterly.
    SUBSCRIBE_REPORTS = "subscribe_reports"
    VIEW_REPORTS = "view_reports"
    READ_LEARNING = "read_learning"
    # Everyone signed in has their own reminders inbox and calendar feed.
    READ_REMINDERS = "read_reminders"
    SUBSCRIBE_CALENDAR = "subscribe_calendar"
    # The annual self-assessment: a Compact's officer drafts and submits its return; the
    # region (mediators, viewers, administrators) reads every return and the roll-up; a
    # mediator or administrator may reopen a submitted return until the year closes.
    READ_SELF_ASSESSMENT = "read_self_assessment"
    FILE_SELF_ASSESSMENT = "file_self_assessment"
    REOPEN_SELF_ASSESSMENT = "reopen_self_assessment"
    READ_SELF_ASSESSMENT_ROLL_UP = "read_self_assessment_roll_up"
    # Bring records in from a spreadsheet: officers into their own Compact, administrators any.
    IMPORT_RECORDS = "import_records"
    # A case at the region's level, over several local Compacts; and referring a local one up.
    OPEN_REGIONAL_CASE = "open_regional_case"
    REFER_CASE = "refer_case"
    # A third-sector organisation's user raises a concern online: a new case in `raised`.
    RAISE_CONCERN = "raise_concern"
    # A party (a funder's or an organisation's user) adds a statement or response to its case.
    RESPOND_ON_CASE = "respond_on_case"
    # Invite a person of an organisation to make their account: officers for their Compacts'
    # organisations, administrators any, a party's user a colleague of its own organisation.
    INVITE_PEOPLE = "invite_people"


LOCAL_STATES = frozenset({State.RAISED, State.LOCAL_CONCILIATION})
LOCAL_EVENTS = frozenset(
    {Event.START_CONCILIATION, Event.ESCALATE, Event.RESOLVE, Event.WITHDRAW, Event.REOPEN}
)
MEDIATION_EVENTS = frozenset({Event.RESOLVE, Event.WITHDRAW, Event.REOPEN})
# A regional case is the region's from the start: its mediators move it from raised into
# regional mediation and on; it never goes to local conciliation.
REGIONAL_EVENTS = frozenset({Event.ESCALATE, *MEDIATION_EVENTS})
REGIONAL_STATES = frozenset({State.RAISED, State.REGIONAL_MEDIATION})
# What the region's mediators may do on a regional case beyond their usual actions, and all
# that the officers of its affected Compacts may do on it: read.
REGIONAL_OWNER_ACTIONS = frozenset({Action.EDIT_CASE})
REGIONAL_READER_ACTIONS = frozenset({Action.VIEW_CASE, Action.READ_PRIVATE_NOTES})

# What every role may do with its own things.
PERSONAL_ACTIONS = (Action.READ_REMINDERS, Action.SUBSCRIBE_CALENDAR)

# The Compact's own people add, open and remove documents; the parties only open them.
STAFF_DOCUMENT_ACTIONS = (Action.ADD_DOCUMENT, Action.VIEW_DOCUMENT, Action.REMOVE_DOCUMENT)

# What the people of either party may do on the cases of their organisation, and for it.
PARTY_ACTIONS = (
    Action.RESPOND_ON_CASE,
    Action.VIEW_DOCUMENT,
    Action.READ_LEARNING,
    Action.INVITE_PEOPLE,
    *PERSONAL_ACTIONS,
)

# The actions each role may take, on the records it can see, before any state rule.
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.OFFICER: frozenset(
        {
            Action.LIST_CASES,
            Action.CREATE_CASE,
            Action.VIEW_CASE,
            Action.EDIT_CASE,
            Action.ADD_NOTE,
            Action.READ_PRIVATE_NOTES,
            Action.MANAGE_CLOCK,
            Action.MANAGE_MEETINGS,
            Action.ACKNOWLEDGE_CASE,
            Action.GENERATE_LETTER,
            Action.LIST_NOTICES,
            Action.VIEW_NOTICE,
            Action.OPEN_CASE_FROM_NOTICE,
            Action.CHECK_NOTICE,
            Action.LIST_AGREEMENTS,
            Action.VIEW_AGREEMENT,
            Action.ADD_LOCAL_ORGANISATION,
            Action.IMPORT_RECORDS,
            Action.INVITE_PEOPLE,
            *STAFF_DOCUMENT_ACTIONS,
            Action.VIEW_REPORTS,
            Action.READ_LEARNING,
            Action.READ_SELF_ASSESSMENT,
            Action.FILE_SELF_ASSESSMENT,
            *PERSONAL_ACTIONS,
        }
    ),
    Role.MEDIATOR: frozenset(
        {
            Action.LIST_CASES,
            Action.VIEW_CASE,
            Action.ADD_NOTE,
            Action.READ_PRIVATE_NOTES,
            Action.TAKE_CASE,
            Action.SUBSCRIBE_REPORTS,
            Action.OPEN_REGIONAL_CASE,
            Action.REFER_CASE,
            # Only a lead mediator: see `can`.
            Action.ASSIGN_CASE,
            Action.MANAGE_CLOCK,
            Action.MANAGE_MEETINGS,
            Action.GENERATE_LETTER,
            Action.LIST_NOTICES,
            Action.VIEW_NOTICE,
            Action.CHECK_NOTICE,
            Action.LIST_AGREEMENTS,
            Action.VIEW_AGREEMENT,
            *STAFF_DOCUMENT_ACTIONS,
            Action.VIEW_REPORTS,
            Action.READ_LEARNING,
            Action.READ_SELF_ASSESSMENT,
            Action.REOPEN_SELF_ASSESSMENT,
            Action.READ_SELF_ASSESSMENT_ROLL_UP,
            *PERSONAL_ACTIONS,
        }
    ),
    # Reports are the panel's regional figures; a funder's own cases are its case list.
    Role.FUNDER: frozenset(
        {
            Action.LIST_CASES,
            Action.VIEW_CASE,
            Action.LIST_NOTICES,
            Action.CREATE_NOTICE,
            Action.EDIT_NOTICE,
            Action.VIEW_NOTICE,
            Action.CHECK_NOTICE,
            Action.LIST_AGREEMENTS,
            Action.VIEW_AGREEMENT,
            Action.MANAGE_AGREEMENT,
            *PARTY_ACTIONS,
        }
    ),
    # A third-sector organisation's people: a party to its cases, and the recipient of its
    # notices and agreements.
    Role.ORGANISATION: frozenset(
        {
            Action.LIST_CASES,
            Action.VIEW_CASE,
            Action.RAISE_CONCERN,
            Action.LIST_NOTICES,
            Action.VIEW_NOTICE,
            Action.CHECK_NOTICE,
            Action.LIST_AGREEMENTS,
            Action.VIEW_AGREEMENT,
            *PARTY_ACTIONS,
        }
    ),
    Role.VIEWER: frozenset(
        {
            Action.SUBSCRIBE_REPORTS,
            Action.LIST_NOTICES,
            Action.VIEW_NOTICE,
            Action.CHECK_NOTICE,
            Action.LIST_AGREEMENTS,
            Action.VIEW_AGREEMENT,
            Action.VIEW_DOCUMENT,
            Action.VIEW_REPORTS,
            Action.READ_LEARNING,
            Action.READ_SELF_ASSESSMENT,
            Action.READ_SELF_ASSESSMENT_ROLL_UP,
            *PERSONAL_ACTIONS,
        }
    ),
    # Administrators do everything but take a case (only a mediator mediates) and speak for
    # a party (only its own people do).
    Role.ADMIN: frozenset(Action)
    - {Action.TAKE_CASE, Action.RAISE_CONCERN, Action.RESPOND_ON_CASE},
}


_SCOPES = {
    Case: scope_cases,
    Notice: scope_notices,
    FundingAgreement: scope_agreements,
    Document: scope_documents,
}
Scoped = Case | Notice | FundingAgreement | Document


def _scope_answers() -> dict[tuple[int, str, int], bool]:
    """This request's one-record answers, keyed by (user, kind, record id); outside a
    request, a dict that is thrown away."""
    return g.setdefault("scope_answers", {}) if has_app_context() else {}


def _visible_ids(user: User, model: type[Scoped], ids: set[int]) -> set[int]:
    """Which of `ids` pass `model`'s scope rule for `user`, in one query, remembered for the
    rest of the request."""
    answers = _scope_answers()
    kind = model.__tablename__
    asked = {i for i in ids if (user.id, kind, i) not in answers}
    if asked:
        # A case's level comes with the answer: the read-only rule asks it next (`can`).
        level = [is_regional_case().label("regional")] if model is Case else []
        narrowed = _SCOPES[model](sa.select(model.id, *level).where(model.id.in_(asked)), user)
        found = {row[0]: row for row in db.session.execute(narrowed)}
        answers.update({(user.id, kind, i): i in found for i in asked})
        if model is Case:
            answers.update({(0, "regional", i): bool(row[1]) for i, row in found.items()})
    return {i for i in ids if answers[(user.id, kind, i)]}


def _regional(case: Case) -> bool:
    """Whether `case` is regional: from its loaded Compacts, else from the scope answer."""
    if "compact_rows" not in sa.inspect(case).unloaded:
        return case.is_regional
    known = _scope_answers().get((0, "regional", case.id))
    return case.is_regional if known is None else known


def _visible(user: User, record: Scoped) -> bool:
    # Unsaved changes may move the record in or out of scope, and a record made in this
    # request has no row yet: write them first (which also forgets answers they outdate).
    db.session.flush()
    if record.id is None:
        raise ValueError(f"{record!r} is not in the database session, so its scope is unknown")
    return record.id in _visible_ids(user, type(record), {record.id})


def sees_case(user: User, case: Case) -> bool:
    """Whether `scope_cases` lets `user` see `case`, asked of the database."""
    return _visible(user, case)


def sees_notice(user: User, notice: Notice) -> bool:
    """Whether `scope_notices` lets `user` see `notice`, asked of the database."""
    return _visible(user, notice)


def sees_agreement(user: User, agreement: FundingAgreement) -> bool:
    """Whether `scope_agreements` lets `user` see `agreement`, asked of the database."""
    return _visible(user, agreement)


def sees_document(user: User, document: Document) -> bool:
    """Whether `scope_documents` lets `user` open `document`, asked of the database."""
    return _visible(user, document)


def visible_case_ids(user: User, cases: Iterable[Case]) -> set[int]:
    """The ids of those of `cases` that `user` may see, in one query for the lot; later
    `sees_case` calls for them in the same request cost nothing."""
    db.session.flush()
    return _visible_ids(user, Case, {c.id for c in cases})


def visible_deadline_ids(user: User, deadlines: Iterable[Deadline]) -> set[int]:
    """The ids of those of `deadlines` (of records `user` sees) that `scope_deadlines` lets
    `user` see; a query only when one of them is an action agreed at a meeting."""
    deadlines = list(deadlines)
    ids = {d.id for d in deadlines}
    if all(d.kind is not DeadlineKind.MEETING_ACTION for d in deadlines):
        return ids
    return set(
        db.session.scalars(
            scope_deadlines(sa.select(Deadline.id), user).where(Deadline.id.in_(ids))
        )
    )


def _forget_scope_answers(*_args) -> None:
    """A write may move a record in or out of someone's scope: ask the database again."""
    if has_app_context() and "scope_answers" in g:
        g.scope_answers.clear()


for _moment in ("after_flush", "after_commit", "after_soft_rollback"):
    sa.event.listen(db.session, _moment, _forget_scope_answers)


def can(user: User | None, action: Action | str, record: Scoped | None = None) -> bool:
    """Whether `user` may take `action`, on `record` where the action concerns one."""
    if user is None or not user.is_authenticated or not user.active:
        return False
    try:
        action = Action(action)
    except ValueError:
        return False
    if isinstance(record, Case) and not sees_case(user, record):
        return False
    if isinstance(record, Notice | FundingAgreement | Document) and not _visible(user, record):
        return False
    allowed = action in ROLE_ACTIONS[user.role]
    if isinstance(record, Case) and _regional(record):
        if user.role is Role.OFFICER:
            return action in REGIONAL_READER_ACTIONS
        allowed = allowed or (user.role is Role.MEDIATOR and action in REGIONAL_OWNER_ACTIONS)
        if action is Action.REFER_CASE:
            return False
    if action is Action.ASSIGN_CASE and user.role is Role.MEDIATOR:
        allowed = allowed and user.lead_mediator
    if action in (Action.TAKE_CASE, Action.ASSIGN_CASE) and record is not None:
        # A mediator works on cases in regional mediation; an administrator may also change
        # the officer of any open case. Whether a case is already taken is the service's to
        # say (409, naming who has it), since that can change under the request.
        if user.role is Role.ADMIN and action is Action.ASSIGN_CASE:
            return allowed and record.state.is_open
        regional_open = _regional(record) and record.state in REGIONAL_STATES
        return allowed and (record.state is State.REGIONAL_MEDIATION or regional_open)
    return allowed


def may_fire(user: User | None, event: Event | str, case: Case) -> bool:
    """Whether `user`'s role may fire `event` on `case` (the workflow decides if it can now)."""
    if user is None or not user.is_authenticated or not sees_case(user, case):
        return False
    try:
        event = Event(event)
    except ValueError:
        return False
    if _regional(case):
        return _may_fire_regional(user, event, case)
    if user.role is Role.ADMIN:
        return True
    # Reopening belongs to whoever held the case at the stage it returns to.
    stage = case.previous_state if event is Event.REOPEN else case.state
    if user.role is Role.OFFICER:
        return event in LOCAL_EVENTS and stage in LOCAL_STATES
    if user.role is Role.MEDIATOR:
        return event in MEDIATION_EVENTS and stage is State.REGIONAL_MEDIATION
    return False


def _may_fire_regional(user: User, event: Event, case: Case) -> bool:
    """A regional case is moved by the region's mediators (or an administrator) only."""
    stage = case.previous_state if event is Event.REOPEN else case.state
    if user.role not in (Role.MEDIATOR, Role.ADMIN):
        return False
    return event in REGIONAL_EVENTS and stage in REGIONAL_STATES


def audit(event: str, **fields) -> None:
    """One structured line in the security log: what happened, to whom, from where."""
    record = {"event": event, **fields}
    if request:
        record.setdefault("address", request.remote_addr)
        record.setdefault("path", request.path)
    log.info(json.dumps(record, default=str, sort_keys=True))


def authorize(user: User, action: Action | str, record: Scoped | None = None) -> None:
    """Stop the request unless `user` may take `action` on `record`."""
    hidden = isinstance(record, Scoped) and not _visible(user, record)
    if hidden:
        audit("permission_refused", user_id=user.id, action=str(action), status=404)
        abort(404)
    if not can(user, action, record):
        audit("permission_refused", user_id=user.id, action=str(action), status=403)
        raise Forbidden(
            FORBIDDEN_MESSAGES.get(str(action), "You do not have permission to do that.")
        )


FORBIDDEN_MESSAGES = {
    Action.LIST_CASES: "Your account cannot see case details; reports are open to you.",
    Action.CREATE_CASE: "Only a local Compact officer can log a dispute.",
    Action.EDIT_CASE: "Only the Compact officer for this case can edit it.",
    Action.ADD_NOTE: "Only Compact officers and mediators can add notes.",
    Action.TAKE_CASE: "Only a regional mediator can take a case in regional mediation.",
    Action.ASSIGN_CASE: (
        "Only a lead mediator or an administrator can assign a case, and a mediator only to a "
        "case in regional mediation."
    ),
    Action.MANAGE_CLOCK: "Only the Compact officer or mediator can stop the clock or extend.",
    Action.MANAGE_MEETINGS: "Only the Compact officer or mediator can arrange or record meetings.",
    Action.ACKNOWLEDGE_CASE: "Only the Compact officer can record a dispute's acknowledgement.",
    Action.GENERATE_LETTER: "Only the Compact officer or mediator can write letters on a case.",
    Action.CREATE_NOTICE: "Only a funder can record its notices.",
    Action.EDIT_NOTICE: "Only the funder that gave a notice can change or withdraw it.",
    Action.ADD_LOCAL_ORGANISATION: "Only a Compact officer can add a local organisation.",
    Action.OPEN_CASE_FROM_NOTICE: "Only the Compact officer can open a case from a notice.",
    Action.MANAGE_AGREEMENT: "Only the funder can record and change its funding agreements.",
    Action.ADD_DOCUMENT: "Only Compact officers and mediators can add documents.",
    Action.REMOVE_DOCUMENT: "Only Compact officers and mediators can remove documents.",
    Action.PURGE_DOCUMENT: "Only an administrator can erase a document's file.",
    Action.ADMINISTER: "Only an administrator can do that.",
    Action.SUBSCRIBE_REPORTS: "Report e-mails are for mediators, the panel and administrators.",
    Action.OPEN_REGIONAL_CASE: "Only a regional mediator can open a regional case.",
    Action.REFER_CASE: (
        "Only a regional mediator or an administrator can refer a local case to the region."
    ),
    Action.VIEW_REPORTS: "Reports are for Compact officers, mediators and the regional panel.",
    Action.READ_SELF_ASSESSMENT: "Self-assessments are for Compact officers and the region.",
    Action.FILE_SELF_ASSESSMENT: "Only the Compact's officer can change its self-assessment.",
    Action.REOPEN_SELF_ASSESSMENT: "Only a mediator or an administrator can reopen a return.",
    Action.READ_SELF_ASSESSMENT_ROLL_UP: "The roll-up is for the regional panel.",
    Action.RAISE_CONCERN: "Only a voluntary organisation's own people can raise a concern here.",
    Action.RESPOND_ON_CASE: "Only the parties to a case can respond on it.",
    Action.INVITE_PEOPLE: (
        "Only Compact officers, administrators and an organisation's own people can invite."
    ),
}


def may_invite(user: User | None, organisation) -> bool:
    """Whether `user` may invite a person of `organisation` to make their account: an
    administrator for any organisation, an officer for those of its Compacts (and districts),
    a party's user for its own organisation only."""
    if not can(user, Action.INVITE_PEOPLE) or organisation is None:
        return False
    if user.role is Role.ADMIN:
        return True
    if user.role in PARTY_ROLES:
        return organisation.id == user.organisation_id
    if user.role is Role.OFFICER and organisation.compact_id is not None:
        mine = officer_compact_ids(user).subquery()
        found = sa.select(mine.c.id).where(mine.c.id == organisation.compact_id)
        return db.session.scalar(found) is not None
    return False

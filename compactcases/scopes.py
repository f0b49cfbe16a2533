"""The scope rules: which records each user may see, each written once as a SQL filter.

`scope_cases(query, user)` narrows a query to the cases the user may see, `scope_notices` to
the notices, `scope_documents` to the documents, `report_compact_ids` to the Compacts a user's
reports cover, and so on. `policy.py` asks the database whether one record passes its filter,
so a list and a single page can never disagree; everything here is importable from `policy`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from workflows.deadlines import DeadlineKind
from workflows.dispute import State

from .extensions import db
from .models import (
    Case,
    CaseCompact,
    CaseEvent,
    CaseEventKind,
    CaseParty,
    Compact,
    Deadline,
    Document,
    DocumentVisibility,
    FundingAgreement,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    Notice,
    Organisation,
    Role,
    User,
)

# Who may open a private document (on the records they can see); everyone else, the parties
# above all, sees only documents shared with the parties.
SEES_PRIVATE_DOCUMENTS = frozenset({Role.OFFICER, Role.MEDIATOR, Role.ADMIN})
# The roles that act for one organisation, a party to its cases: a statutory funder's people
# and a third-sector organisation's.
PARTY_ROLES = frozenset({Role.FUNDER, Role.ORGANISATION})


def officer_compact_ids(user: User) -> sa.Select:
    """The user's Compact and, for an upper-tier Compact, its districts."""
    return sa.select(Compact.id).where(
        sa.or_(Compact.id == user.compact_id, Compact.parent_id == user.compact_id)
    )


def region_compact_ids(region_id: int | None) -> sa.Select:
    """The Compacts of a region."""
    return sa.select(Compact.id).where(Compact.region_id == region_id)


# Each scope rule is written once, as a SQL filter; the one-record checks below ask the
# database whether the record passes it, so a list and a single page can never disagree.


Funded = Case | Notice | FundingAgreement


def organisation_sees(model: type[Funded], organisation_id) -> sa.ColumnElement[bool]:
    """The records of `model` an organisation sees: those it funds and, for cases, any case it
    is a party to, lead or not. The scope of its funder users and of its webhook endpoints."""
    if model is Case:
        # Correlated to every enclosing query (`organisation_id` may be a column of one, as
        # the webhooks' fan-out asks for each endpoint's organisation).
        party = (
            sa.select(CaseParty.case_id)
            .where(CaseParty.case_id == Case.id, CaseParty.organisation_id == organisation_id)
            .correlate_except(CaseParty)
            .exists()
        )
        return sa.or_(Case.funder_id == organisation_id, party)
    return model.funder_id == organisation_id


def organisation_sees_record(record: Funded, organisation_id) -> bool:
    """Whether `organisation_sees` lets the organisation see `record`, asked of the database."""
    model = type(record)
    found = sa.select(model.id).where(
        model.id == record.id, organisation_sees(model, organisation_id)
    )
    return db.session.scalar(found) is not None


def scope_cases(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the cases `user` may see."""
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.OFFICER and user.compact_id:
        # Its own cases, and the regional cases that affect its Compact (read-only).
        return query.where(
            sa.or_(
                Case.compact_id.in_(officer_compact_ids(user)),
                Case.id.in_(
                    sa.select(CaseCompact.case_id).where(
                        CaseCompact.compact_id.in_(officer_compact_ids(user))
                    )
                ),
            )
        )
    if user.role is Role.MEDIATOR and user.region_id:
        return query.where(
            Case.compact_id.in_(region_compact_ids(user.region_id)),
            sa.or_(
                Case.escalated_on.is_not(None),
                Case.state == State.REGIONAL_MEDIATION,
                is_regional_case(),
            ),
        )
    if user.role in PARTY_ROLES and user.organisation_id:
        return query.where(organisation_sees(Case, user.organisation_id))
    return query.where(sa.false())


def is_regional_case() -> sa.ColumnElement[bool]:
    """Whether the case in the query is regional: it has affected Compacts."""
    return sa.exists().where(CaseCompact.case_id == Case.id)


def scope_notices(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the notices `user` may see: a funder its own, an officer
    its Compact's (and districts'), a mediator or viewer the region's, an admin all."""
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.FUNDER and user.organisation_id:
        return query.where(organisation_sees(Notice, user.organisation_id))
    if user.role is Role.ORGANISATION and user.organisation_id:
        return query.where(Notice.recipient_id == user.organisation_id)
    if user.role is Role.OFFICER and user.compact_id:
        return query.where(Notice.compact_id.in_(officer_compact_ids(user)))
    if user.role in (Role.MEDIATOR, Role.VIEWER) and user.region_id:
        return query.where(Notice.compact_id.in_(region_compact_ids(user.region_id)))
    return query.where(sa.false())


def scope_agreements(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the funding agreements `user` may see: a funder its own
    organisation's, an officer its Compact's (and districts'), a mediator or viewer the
    region's, an admin all."""
    if user.role is Role.ADMIN:
        return query
    if user.role is Role.FUNDER and user.organisation_id:
        return query.where(organisation_sees(FundingAgreement, user.organisation_id))
    if user.role is Role.ORGANISATION and user.organisation_id:
        return query.where(FundingAgreement.organisation_id == user.organisation_id)
    if user.role is Role.OFFICER and user.compact_id:
        return query.where(FundingAgreement.compact_id.in_(officer_compact_ids(user)))
    if user.role in (Role.MEDIATOR, Role.VIEWER) and user.region_id:
        return query.where(FundingAgreement.compact_id.in_(region_compact_ids(user.region_id)))
    return query.where(sa.false())


def scope_documents(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the documents `user` may open: those on a case, notice or
    agreement the user may see, and, unless the user is one of the Compact's own people
    (`SEES_PRIVATE_DOCUMENTS`), only those shared with the parties and not removed."""
    query = query.where(
        sa.or_(
            Document.case_id.in_(scope_cases(sa.select(Case.id), user)),
            Document.notice_id.in_(scope_notices(sa.select(Notice.id), user)),
            Document.agreement_id.in_(scope_agreements(sa.select(FundingAgreement.id), user)),
        )
    )
    if user.role in SEES_PRIVATE_DOCUMENTS:
        return query
    return query.where(
        sa.or_(Document.visibility == DocumentVisibility.PARTIES, by_own_side(Document, user)),
        Document.removed_at.is_(None),
    )


def own_side_ids(user: User) -> sa.Select:
    """The people of the user's own organisation (the user included): what one of them gave
    "for officers only" their colleagues still see."""
    return sa.select(User.id).where(
        User.organisation_id == user.organisation_id, User.organisation_id.is_not(None)
    )


def by_own_side(model, user: User) -> sa.ColumnElement[bool]:
    """Whether a document or timeline entry was added by someone of the user's own side."""
    column = model.uploaded_by_id if model is Document else model.actor_id
    return column.in_(own_side_ids(user))


# The timeline entries a party may read, when not private: what happened to the case in the
# open. Reminders, assignments, letters (kept as private documents), document and meeting
# entries are the Compact's own record; a party sees its shared documents and the meetings it
# is invited to in their own lists.
PARTY_EVENT_KINDS = frozenset(
    {
        CaseEventKind.CREATED,
        CaseEventKind.TRANSITION,
        CaseEventKind.EDIT,
        CaseEventKind.NOTE,
        CaseEventKind.MEETING,
        CaseEventKind.PAUSE,
        CaseEventKind.RESUME,
        CaseEventKind.EXTENSION,
        CaseEventKind.ACKNOWLEDGEMENT,
        CaseEventKind.REFERRAL,
        CaseEventKind.RESPONSE,
    }
)


def scope_timeline(query: sa.Select, user: User) -> sa.Select:
    """`query` (over CaseEvent, on cases the user may see) narrowed, in SQL, to the entries
    `user` may read: every entry for the Compact's own people; for a party, the entries of
    `PARTY_EVENT_KINDS` that are not private, and its own side's responses whoever they were
    meant for."""
    if user.role in SEES_PRIVATE_DOCUMENTS:
        return query
    shared = sa.and_(CaseEvent.private.is_(False), CaseEvent.kind.in_(PARTY_EVENT_KINDS))
    own = sa.and_(CaseEvent.kind == CaseEventKind.RESPONSE, by_own_side(CaseEvent, user))
    return query.where(sa.or_(shared, own))


def scope_meetings(query: sa.Select, user: User) -> sa.Select:
    """`query` (over Meeting) narrowed, in SQL, to the meetings `user` may see: every meeting
    of the cases the user sees for the Compact's own people; for a party, only those one of its
    own people is invited to (never another meeting, its note or its actions)."""
    query = query.where(Meeting.case_id.in_(scope_cases(sa.select(Case.id), user)))
    if user.role in SEES_PRIVATE_DOCUMENTS:
        return query
    invited = sa.select(MeetingAttendee.meeting_id).where(
        MeetingAttendee.user_id.in_(own_side_ids(user))
    )
    return query.where(Meeting.id.in_(invited))


def scope_deadlines(query: sa.Select, user: User) -> sa.Select:
    """`query` (over Deadline, of records the user may see) narrowed, in SQL, to the deadlines
    `user` may see: all of them but an action agreed at a meeting the user may not see
    (`scope_meetings`: for a party, one none of its people was invited to), which stays
    hidden with its owner's name and date unless one of the user's own people took it on."""
    hidden = deadline_hidden_from(user)
    return query if hidden is None else query.where(~hidden)


def deadline_hidden_from(user: User | None) -> sa.ColumnElement[bool] | None:
    """The condition `scope_deadlines` leaves out, for the deadline in the enclosing query;
    None when nothing is hidden from `user` (the Compact's own people see every meeting of
    the cases they see), so their queries carry no extra condition."""
    if user is None or user.role in SEES_PRIVATE_DOCUMENTS:
        return None
    # An alias, so that a query over the actions themselves keeps its own.
    action = aliased(MeetingAction)
    # The kind first: any other deadline is decided without looking at the meetings.
    return sa.and_(
        Deadline.kind == DeadlineKind.MEETING_ACTION,
        sa.exists().where(
            action.deadline_id == Deadline.id,
            action.meeting_id.not_in(scope_meetings(sa.select(Meeting.id), user)),
            sa.or_(action.owner_id.is_(None), action.owner_id.not_in(own_side_ids(user))),
        ),
    )


def agreement_compact_ids(user: User) -> sa.Select:
    """The Compacts `user` may record funding agreements under: a funder those of its
    organisation's region, an administrator all, anyone else none."""
    if user.role is Role.ADMIN:
        return sa.select(Compact.id)
    if user.role is Role.FUNDER and user.organisation_id:
        return sa.select(Compact.id).where(
            Compact.region_id.in_(
                sa.select(Organisation.region_id).where(Organisation.id == user.organisation_id)
            )
        )
    return sa.select(Compact.id).where(sa.false())


def report_compact_ids(user: User) -> sa.Select | None:
    """The Compacts whose figures `user`'s reports cover, as a query of ids; None for all.

    Reports are aggregate figures, so a mediator or viewer covers every Compact of their
    region (not only the escalated cases a mediator may open), an officer their Compact and
    its districts, an administrator everything. Funders have no reports.
    """
    if user.role is Role.ADMIN:
        return None
    if user.role is Role.OFFICER and user.compact_id:
        return officer_compact_ids(user)
    if user.role in (Role.MEDIATOR, Role.VIEWER) and user.region_id:
        return region_compact_ids(user.region_id)
    return sa.select(Compact.id).where(sa.false())


def lookup_compact_ids(user: User) -> sa.Select | None:
    """The Compacts `user` may look up (codes, names, rules in force), as a query of ids;
    None for all. An officer its Compact and districts; a mediator or viewer the region's;
    a funder those of its organisation's region (funders work across Compacts); an
    administrator every one."""
    if user.role is Role.ADMIN:
        return None
    if user.role is Role.OFFICER and user.compact_id:
        return officer_compact_ids(user)
    if user.role in (Role.MEDIATOR, Role.VIEWER) and user.region_id:
        return region_compact_ids(user.region_id)
    if user.role in PARTY_ROLES and user.organisation_id:
        funder_region = (
            sa.select(Organisation.region_id)
            .where(Organisation.id == user.organisation_id)
            .scalar_subquery()
        )
        return region_compact_ids(funder_region)
    return sa.select(Compact.id).where(sa.false())


def scope_lookup_compacts(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the Compacts `user` may look up."""
    compact_ids = lookup_compact_ids(user)
    return query if compact_ids is None else query.where(Compact.id.in_(compact_ids))


def scope_lookup_organisations(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the organisations `user` may look up: those of the
    regions of the Compacts they may look up (all for an administrator)."""
    compact_ids = lookup_compact_ids(user)
    if compact_ids is None:
        return query
    regions = sa.select(Compact.region_id).where(Compact.id.in_(compact_ids))
    return query.where(Organisation.region_id.in_(regions))


def scope_report_cases(query: sa.Select, user: User) -> sa.Select:
    """`query` narrowed, in SQL, to the cases of the Compacts `user`'s reports cover."""
    compact_ids = report_compact_ids(user)
    return query if compact_ids is None else query.where(Case.compact_id.in_(compact_ids))


def scope_self_assessment_compacts(query: sa.Select, user: User) -> sa.Select:
    """`query` (over Compact) narrowed, in SQL, to the Compacts whose self-assessment returns
    `user` may read: those their reports cover (funders none)."""
    compact_ids = report_compact_ids(user)
    return query if compact_ids is None else query.where(Compact.id.in_(compact_ids))


def report_compacts(user: User) -> sa.Select:
    """The Compacts `user`'s reports cover, as a query of Compact rows."""
    compact_ids = report_compact_ids(user)
    query = sa.select(Compact)
    return query if compact_ids is None else query.where(Compact.id.in_(compact_ids))

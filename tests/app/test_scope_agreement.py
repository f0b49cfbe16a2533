"""Each scope rule has one source: on the demo data, for every user against every case and
notice, the list query and the one-record check agree; report scope matches report Compacts;
and each calendar feed lists exactly the open deadlines its owner is reminded of."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from compactcases import demo, policy
from compactcases.extensions import db
from compactcases.models import (
    Case,
    Compact,
    Deadline,
    FundingAgreement,
    Notice,
    Organisation,
    Region,
    Role,
    Tier,
    User,
)
from compactcases.policy import Action
from compactcases.reminders.feeds import deadlines_for
from compactcases.reminders.recipients import recipients_by_deadline
from tests.conftest import counting_statements
from workflows.deadlines import DeadlineStatus
from workflows.dispute import State

# The demo's upper-tier Compacts that have districts, by their officers' address.
DISTRICTS_OF = ("sts", "war", "wor")


class DemoWorld:
    """The standard demo data, plus the corners it leaves out: an account of another region,
    accounts without a scope, a deactivated mediator, a district funder's account, an
    escalated case no mediator has taken yet, and a notice with an open deadline."""

    def __init__(self) -> None:
        demo.seed()
        west = db.session.scalar(sa.select(Region).where(Region.code == "WM"))
        east = Region(code="EM", name="East Midlands")
        staffordshire = db.session.scalar(sa.select(Compact).where(Compact.code == "STS"))
        district_notice = db.session.scalars(
            sa.select(Notice)
            .join(Compact, Notice.compact_id == Compact.id)
            .where(Compact.tier == Tier.DISTRICT)
            .order_by(Notice.id)
        ).first()
        assert district_notice is not None, "the demo has no notice in a district Compact"
        funder = db.session.get(Organisation, district_notice.funder_id)
        extra = [
            User(email="mediator.em@example.org", name="Joan Fisher", role=Role.MEDIATOR),
            User(email="viewer.em@example.org", name="Ravi Patel", role=Role.VIEWER),
            User(email="officer.none@example.org", name="Ann Lowe", role=Role.OFFICER),
            User(email="funder.none@example.org", name="Bob Stone", role=Role.FUNDER),
            User(
                email="officer.sts2@example.org",
                name="Kate Moss",
                role=Role.OFFICER,
                compact=staffordshire,
                region=west,
            ),
            User(
                email="funder.district@example.org",
                name="Dev Anand",
                role=Role.FUNDER,
                organisation=funder,
                region=west,
            ),
        ]
        extra[0].region = extra[1].region = east
        self.gone = User(
            email="mediator.gone@example.org",
            name="Len Hart",
            role=Role.MEDIATOR,
            region=west,
            active=False,
        )
        db.session.add_all([east, *extra, self.gone])

        # An escalated case with an open deadline that no mediator has taken yet.
        self.untaken = db.session.scalars(
            sa.select(Case)
            .join(Deadline, Deadline.case_id == Case.id)
            .where(Case.state == State.REGIONAL_MEDIATION, Deadline.status == DeadlineStatus.OPEN)
            .order_by(Case.id)
        ).first()
        assert self.untaken is not None, "the demo has no open case in regional mediation"
        self.untaken.mediator_id = None
        # A notice deadline still open, so its funder's accounts are reminded of it.
        self.notice_deadline = district_notice.deadlines[0]
        self.notice_deadline.status = DeadlineStatus.OPEN
        self.notice_deadline.closed_on = None
        db.session.commit()

        self.users = db.session.scalars(sa.select(User).order_by(User.id)).all()
        self.cases = db.session.scalars(sa.select(Case).order_by(Case.id)).all()
        self.notices = db.session.scalars(sa.select(Notice).order_by(Notice.id)).all()
        self.agreements = db.session.scalars(
            sa.select(FundingAgreement).order_by(FundingAgreement.id)
        ).all()


@pytest.fixture
def demo_world(app, db) -> DemoWorld:
    return DemoWorld()


def disagreements(
    users: list[User],
    records: list,
    scope: Callable[[sa.Select, User], sa.Select],
    sees: Callable[[User, object], bool],
    view: Action,
) -> list[str]:
    """Where the list query and the one-record checks (`sees` and `can(view)`) differ."""
    found = []
    model = type(records[0])
    for user in users:
        listed = set(db.session.scalars(scope(sa.select(model.id), user)))
        for record in records:
            in_list = record.id in listed
            may_view = in_list and user.active and view in policy.ROLE_ACTIONS[user.role]
            if sees(user, record) != in_list or policy.can(user, view, record) != may_view:
                found.append(f"{user.email} and {model.__name__} {record.id}")
    return found


def forgot_districts(user: User, case: Case) -> bool:
    """A one-record check that forgets an upper-tier officer also sees its districts."""
    if user.role is Role.OFFICER:
        return case.compact_id == user.compact_id
    return policy.sees_case(user, case)


def test_the_case_list_and_the_case_check_agree_for_every_demo_user(demo_world):
    assert not disagreements(
        demo_world.users, demo_world.cases, policy.scope_cases, policy.sees_case, Action.VIEW_CASE
    )
    # The data reaches the rule's corners: an officer sees a district's case, a mediator
    # an escalated one, a funder its own, and someone sees nothing.
    seen = {
        u.email: {c.id for c in demo_world.cases if policy.sees_case(u, c)}
        for u in demo_world.users
    }
    district_cases = {c.id for c in demo_world.cases if c.compact.tier is Tier.DISTRICT}
    assert district_cases & seen["officer.sts@example.org"]
    assert seen["mediator.wm@example.org"] and seen["funder.bcc@example.org"]
    assert not seen["mediator.em@example.org"] and not seen["officer.none@example.org"]


def test_a_case_check_that_forgot_districts_would_be_caught(demo_world):
    assert disagreements(
        demo_world.users, demo_world.cases, policy.scope_cases, forgot_districts, Action.VIEW_CASE
    )


def test_the_notice_list_and_the_notice_check_agree_for_every_demo_user(demo_world):
    assert not disagreements(
        demo_world.users,
        demo_world.notices,
        policy.scope_notices,
        policy.sees_notice,
        Action.VIEW_NOTICE,
    )
    district = {n.id for n in demo_world.notices if n.compact.tier is Tier.DISTRICT}
    officer = next(u for u in demo_world.users if u.email == "officer.sts@example.org")
    assert district & {n.id for n in demo_world.notices if policy.sees_notice(officer, n)}


def test_the_agreement_list_and_the_agreement_check_agree_for_every_demo_user(demo_world):
    assert not disagreements(
        demo_world.users,
        demo_world.agreements,
        policy.scope_agreements,
        policy.sees_agreement,
        Action.VIEW_AGREEMENT,
    )
    # An upper-tier officer sees its district's agreement; the funder only its own.
    officer = next(u for u in demo_world.users if u.email == "officer.sts@example.org")
    seen = {a.funder_reference for a in demo_world.agreements if policy.sees_agreement(officer, a)}
    assert seen == {"SCC-DA-1107", "SCC-CC-2201"}
    funder = next(u for u in demo_world.users if u.email == "funder.bcc@example.org")
    seen = {a.funder_reference for a in demo_world.agreements if policy.sees_agreement(funder, a)}
    assert len(seen) == 6 and all(ref.startswith("BCC-") for ref in seen)


def test_report_scope_covers_exactly_the_cases_of_the_report_compacts(demo_world):
    for user in demo_world.users:
        compacts = {c.id for c in db.session.scalars(policy.report_compacts(user))}
        counted = set(db.session.scalars(policy.scope_report_cases(sa.select(Case.id), user)))
        assert counted == {c.id for c in demo_world.cases if c.compact_id in compacts}, user.email
    officer = next(u for u in demo_world.users if u.email == "officer.sts@example.org")
    codes = {c.code for c in db.session.scalars(policy.report_compacts(officer))}
    assert {"STS", "CAN", "LIC", "TAM", "EST"} <= codes and "BIR" not in codes


def feed_disagreements(users: list[User], feed: Callable[[User], list[Deadline]]) -> list[str]:
    recipients = recipients_by_deadline(Deadline.status == DeadlineStatus.OPEN)
    found = []
    for user in users:
        expected = {d for d, people in recipients.items() if user.id in people}
        listed = feed(user)
        if {d.id for d in listed} != expected:
            found.append(user.email)
        assert listed == sorted(listed, key=lambda d: (d.due_on, d.id)), user.email
    return found


def test_each_feed_lists_the_open_deadlines_its_user_is_reminded_of(demo_world):
    assert not feed_disagreements(demo_world.users, deadlines_for)
    recipients = recipients_by_deadline(Deadline.status == DeadlineStatus.OPEN)
    untaken = {p for d in demo_world.untaken.deadlines if d.is_open for p in recipients[d.id]}
    mediator = next(u for u in demo_world.users if u.email == "mediator.wm@example.org")
    # Every active mediator of the region until one takes the case; never another region's.
    assert mediator.id in untaken and demo_world.gone.id not in untaken
    district_funder = next(u for u in demo_world.users if u.email == "funder.district@example.org")
    assert recipients[demo_world.notice_deadline.id] == [district_funder.id]


def test_a_feed_that_forgot_the_untaken_cases_would_be_caught(demo_world):
    def without_untaken(user: User) -> list[Deadline]:
        return [
            d
            for d in deadlines_for(user)
            if d.case is None or user.id in (d.case.officer_id, d.case.mediator_id)
        ]

    # The region's mediator, reminded of an escalated case nobody has taken, and the
    # upper tiers' officers, reminded of their districts' open cases that no officer holds.
    found = feed_disagreements(demo_world.users, without_untaken)
    by_email = {u.email: u for u in demo_world.users}
    assert "mediator.wm@example.org" in found
    officers = [by_email[e] for e in found if e != "mediator.wm@example.org"]
    assert officers
    for officer in officers:
        assert officer.role is Role.OFFICER
        assert any(
            c.officer_id is None and c.state.is_open and c.compact.parent_id == officer.compact_id
            for c in demo_world.cases
        ), officer.email


def test_a_page_asking_about_one_case_several_times_costs_one_query(demo_world):
    case = next(c for c in demo_world.cases if c.compact.tier is Tier.DISTRICT)
    officer = next(u for u in demo_world.users if u.compact_id == case.compact.parent_id)
    with counting_statements(db.engine) as statements:
        assert policy.sees_case(officer, case)
        assert policy.can(officer, Action.VIEW_CASE, case)
        assert policy.can(officer, Action.EDIT_CASE, case)
    assert len(statements) == 1

    # A change not yet written is written first, and the database asked again.
    case.compact_id = db.session.scalar(sa.select(Compact.id).where(Compact.code == "BIR"))
    assert not policy.sees_case(officer, case)

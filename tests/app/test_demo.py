"""The demo data: the West Midlands reference data, the standard case set and bulk cases."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine

from compactcases import demo
from compactcases.cases import services
from compactcases.extensions import db
from compactcases.models import (
    Area,
    Case,
    CaseArea,
    CaseEvent,
    CaseEventKind,
    Compact,
    Organisation,
    OrganisationKind,
    Outcome,
    OutcomeKind,
    ReferenceCounter,
    Region,
    Side,
    Tier,
    User,
)
from workflows import dispute, outcomes, periods
from workflows.dispute import CLOSED_STATES, LEVEL_OF_STATE, State

UPPER_TIER = {
    "BIR": "Birmingham",
    "COV": "Coventry",
    "DUD": "Dudley",
    "HEF": "Herefordshire",
    "SAW": "Sandwell",
    "SHR": "Shropshire",
    "SOL": "Solihull",
    "STS": "Staffordshire",
    "STE": "Stoke-on-Trent",
    "TFW": "Telford and Wrekin",
    "WLL": "Walsall",
    "WAR": "Warwickshire",
    "WLV": "Wolverhampton",
    "WOR": "Worcestershire",
}
TABLES = (
    Region,
    Compact,
    Organisation,
    User,
    Case,
    CaseArea,
    CaseEvent,
    Outcome,
    ReferenceCounter,
)


@pytest.fixture
def demo_app(app, db):
    """The app on an empty test database, emptied again afterwards by the `db` fixture."""
    return app


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def counts() -> dict[str, int]:
    return {model.__tablename__: count(model) for model in TABLES}


def reference_parts(reference: str) -> tuple[str, int, int]:
    match = re.fullmatch(r"([A-Z]{3,8})-(\d{4})-(\d{4,})", reference)
    assert match, reference
    return match[1], int(match[2]), int(match[3])


def outcome_draft(outcome: Outcome | None) -> outcomes.OutcomeDraft | None:
    """A stored outcome as the form would have sent it."""
    if outcome is None or outcome.kind is not OutcomeKind.RESOLVED:
        return None

    def typed(value) -> str:
        return "" if value is None else str(value)

    return outcomes.OutcomeDraft(
        level=outcome.level.value,
        outcome_type=outcome.outcome_type.value,
        breach_found=outcome.breach_found.value,
        funding_protected=typed(outcome.funding_protected),
        jobs_safeguarded=typed(outcome.jobs_safeguarded),
        notice_days_gained=typed(outcome.notice_days_gained),
        service_users_affected=typed(outcome.service_users_affected),
        agreed_actions=outcome.agreed_actions or "",
        learning=outcome.learning or "",
        learning_shareable="yes" if outcome.learning_shareable else "no",
    )


def outcome_problems(case: Case) -> list[str]:
    """How a case's outcome and working days disagree with its state, as messages."""
    outcome = case.outcome
    if case.state.is_open:
        if outcome is not None or case.working_days_to_close is not None:
            return [f"{case.reference}: open with an outcome"]
        return []
    problems = []
    expected_days = periods.working_days_between(case.raised_on, case.closed_on)
    if case.working_days_to_close != expected_days:
        problems.append(f"{case.reference}: working days to close wrong")
    if outcome is None:
        return [*problems, f"{case.reference}: closed without an outcome"]
    if case.state is State.WITHDRAWN:
        if outcome.kind is not OutcomeKind.WITHDRAWN or not outcome.withdrawal_reason:
            problems.append(f"{case.reference}: withdrawal without its reason")
        if outcome.level is not LEVEL_OF_STATE[case.previous_state]:
            problems.append(f"{case.reference}: withdrawn at the wrong level")
    elif outcome.kind is not OutcomeKind.RESOLVED or not outcome.learning:
        problems.append(f"{case.reference}: resolved without a full outcome")
    return problems


def timeline_problems(cases: list[Case]) -> list[str]:
    """Every way a case's timeline disagrees with its state or the workflow, as messages."""
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in db.session.scalars(
        sa.select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.occurred_at, CaseEvent.id)
    ):
        events[event.case_id].append(event)
    problems = []
    for case in cases:
        problems += outcome_problems(case)
        timeline = events[case.id]
        first = timeline[0]
        if first.kind is not CaseEventKind.CREATED or first.to_state is not State.RAISED:
            problems.append(f"{case.reference}: does not start with its creation")
        times = [e.occurred_at for e in timeline]
        if any(t.utcoffset() is None for t in times) or times != sorted(set(times)):
            problems.append(f"{case.reference}: times not aware and increasing")
        if first.occurred_at.date() != case.raised_on:
            problems.append(f"{case.reference}: created on another day than raised")
        snapshot = dispute.CaseSnapshot(state=State.RAISED)
        last = None
        for event in (e for e in timeline if e.kind is CaseEventKind.TRANSITION):
            day = event.occurred_at.date()
            request = dispute.EventRequest(
                today=day, reason=event.reason or "", outcome=outcome_draft(case.outcome)
            )
            result = dispute.fire(snapshot, event.event, request)
            if (result.from_state, result.to_state) != (event.from_state, event.to_state):
                problems.append(f"{case.reference}: {event.event} recorded wrongly")
            closed = result.to_state in CLOSED_STATES
            snapshot = dispute.CaseSnapshot(
                state=result.to_state,
                previous_state=result.from_state if closed else None,
                closed_on=day if closed else None,
            )
            last = event
        if snapshot.state is not case.state:
            problems.append(f"{case.reference}: timeline ends {snapshot.state}, case {case.state}")
        if case.state in CLOSED_STATES:
            if (case.closed_on, case.previous_state) != (
                snapshot.closed_on,
                snapshot.previous_state,
            ):
                problems.append(f"{case.reference}: closed_on or previous_state wrong")
        elif case.closed_on or case.previous_state:
            problems.append(f"{case.reference}: open but marked closed")
        if last and last.to_state is not case.state:
            problems.append(f"{case.reference}: last transition does not reach the state")
        escalated = any(e.event == "escalate" for e in timeline)
        if escalated != (case.mediator_id is not None):
            problems.append(f"{case.reference}: mediator does not match escalation")
    return problems


def test_seed_creates_the_west_midlands_and_its_upper_tier_compacts(demo_app):
    report = demo.seed()

    region = db.session.scalar(sa.select(Region).filter_by(code="WM"))
    assert region.name == "West Midlands"
    upper = db.session.scalars(sa.select(Compact).filter_by(tier=Tier.UPPER)).all()
    assert {c.code: c.name for c in upper} == UPPER_TIER
    assert all(c.region_id == region.id and c.parent_id is None for c in upper)
    districts = db.session.scalars(sa.select(Compact).filter_by(tier=Tier.DISTRICT)).all()
    parents = {d.code: d.parent.code for d in districts}
    assert parents.items() >= {"CAN": "STS", "RUG": "WAR", "RED": "WOR"}.items()
    assert all(len(c.code) <= 8 for c in upper + districts)
    assert report.regions == 1
    assert report.compacts == len(upper) + len(districts)
    assert report.organisations == count(Organisation)
    assert report.users == count(User)
    # The standard set, and the regional dispute.
    assert report.cases_added == count(Case) == 62

    officer = db.session.scalar(sa.select(User).filter_by(email="officer.bir@example.org"))
    assert (officer.name, officer.role.value, officer.compact.code) == (
        "Priya Shah",
        "officer",
        "BIR",
    )
    funder = db.session.scalar(sa.select(User).filter_by(email="funder.bcc@example.org"))
    assert funder.organisation.name == "Birmingham City Council"
    # The region's mediator leads (assigns cases); no one else is a lead.
    leads = db.session.scalars(sa.select(User.email).filter_by(lead_mediator=True)).all()
    assert leads == ["mediator.wm@example.org"]
    regional = db.session.scalar(
        sa.select(Organisation).filter_by(name="West Midlands Combined Authority")
    )
    assert regional.is_statutory and regional.compact_id is None


def test_standard_set_covers_every_state_across_several_compacts(demo_app):
    demo.seed()
    cases = db.session.scalars(sa.select(Case)).all()

    by_state = Counter(case.state for case in cases)
    assert all(by_state[state] >= 3 for state in State), by_state
    by_compact = Counter(case.compact.code for case in cases)
    assert by_compact["BIR"] >= 5 and by_compact["WAR"] >= 5
    assert len(by_compact) >= 8
    for code in ("BIR", "WAR"):
        assert {c.state for c in cases if c.compact.code == code} == set(State)
    resolved = Counter(c.previous_state for c in cases if c.state is State.RESOLVED)
    assert resolved[State.LOCAL_CONCILIATION] > resolved[State.REGIONAL_MEDIATION]
    assert Counter(area for case in cases for area in case.areas).most_common(1)[0][0] is (
        Area.FUNDING
    )
    assert all(c.raised_on < demo.ANCHOR for c in cases)
    assert min(c.raised_on for c in cases) >= date(2025, 4, 1)
    bir = [c for c in cases if c.compact.code == "BIR"]
    assert all(c.officer.email == "officer.bir@example.org" for c in bir)


def test_seeding_again_adds_nothing(demo_app):
    demo.seed()
    before = counts()

    report = demo.seed()

    assert report.cases_added == 0
    assert counts() == before


def test_every_timeline_matches_its_case_and_the_workflow(demo_app):
    demo.seed()
    cases = db.session.scalars(sa.select(Case)).all()

    assert timeline_problems(cases) == []
    assert count(CaseEvent) > 2 * len(cases)
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(CaseEvent).filter_by(kind=CaseEventKind.NOTE)
    )


def test_references_follow_raised_order_and_new_cases_continue_them(demo_app):
    demo.seed()
    cases = db.session.scalars(sa.select(Case).order_by(Case.raised_on, Case.id)).all()
    numbers: dict[tuple[str, int], list[int]] = defaultdict(list)
    for case in cases:
        code, year, number = reference_parts(case.reference)
        assert (code, year) == (case.compact.code, case.raised_on.year)
        numbers[(code, year)].append(number)
    assert all(found == list(range(1, len(found) + 1)) for found in numbers.values())

    existing = {case.reference for case in cases}
    for (code, year), found in numbers.items():
        compact = db.session.scalar(sa.select(Compact).filter_by(code=code))
        reference = services.allocate_reference(compact, year)
        assert reference == f"{code}-{year}-{len(found) + 1:04d}"
        assert reference not in existing
    db.session.rollback()


def test_generated_cases_are_added_in_batches_every_time(demo_app, monkeypatch):
    demo.seed()
    monkeypatch.setattr(demo, "BATCH_SIZE", 200)
    calls = []

    report = demo.seed(cases=500, progress=lambda done, total: calls.append((done, total)))

    assert report.cases_added == 500
    assert calls == [(200, 500), (400, 500), (500, 500)]
    assert count(Case) == 562
    assert demo.seed(cases=20).cases_added == 20
    assert count(Case) == 582

    cases = db.session.scalars(sa.select(Case)).all()
    assert len({case.reference for case in cases}) == len(cases)
    statutory = set(
        db.session.scalars(sa.select(Organisation.id).filter_by(kind=OrganisationKind.STATUTORY))
    )
    for case in cases:
        assert case.funder_id in statutory
        assert case.third_sector_id not in statutory
        assert case.areas and case.title and case.summary
        # Bulk rows start at version 1; the standard set's cases were saved by the services,
        # once for each step that changed them.
        generated = case.summary.endswith("Generated case for load testing.")
        assert case.version == 1 if generated else case.version >= 1
    assert timeline_problems(cases) == []
    assert Counter(case.state for case in cases).keys() == set(State)

    highest: dict[tuple[int, int], int] = defaultdict(int)
    for case in cases:
        _, year, number = reference_parts(case.reference)
        highest[(case.compact_id, year)] = max(highest[(case.compact_id, year)], number)
    counters = {
        (row.compact_id, row.year): row.last
        for row in db.session.scalars(sa.select(ReferenceCounter))
    }
    assert counters == highest


def test_cases_logged_after_bulk_seeding_get_fresh_ids_and_references(demo_app):
    if db.session.get_bind().dialect.name == "postgresql":
        # As on a fresh database: the id sequences start again from 1.
        for table in ("cases", "case_events"):
            db.session.execute(
                sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")
            )
        db.session.commit()
    demo.seed(cases=50)
    compact = db.session.scalar(sa.select(Compact).filter_by(code="BIR"))
    funder = db.session.scalar(sa.select(Organisation).filter_by(name="Birmingham City Council"))
    group = db.session.scalar(sa.select(Organisation).filter_by(name="Sparkbrook Youth Project"))
    officer = db.session.scalar(sa.select(User).filter_by(email="officer.bir@example.org"))
    highest = db.session.scalar(sa.select(sa.func.max(Case.id)))

    case = services.create_case(
        services.CaseDetails(
            compact_id=compact.id,
            title="Youth grant cut with six weeks' notice",
            summary="The council ended the grant giving six weeks' notice.",
            funder_id=funder.id,
            third_sector_id=group.id,
            raised_by=Side.THIRD_SECTOR,
            areas=(Area.FUNDING,),
            amount_at_stake=30_000,
            raised_on=date(2026, 10, 20),
        ),
        officer,
    )

    assert case.id > highest
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 51
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(Case).filter_by(reference=case.reference)
        )
        == 1
    )


def test_demo_notices_mix_verdicts_and_kinds_and_follow_local_rules(demo_app):
    from compactcases.models import CompactRule, Notice, NoticeKind

    demo.seed()
    notices = db.session.scalars(sa.select(Notice)).all()
    assert {n.kind for n in notices} == set(NoticeKind)
    assert {n.compliant for n in notices} == {True, False}
    by_title = {n.title: n for n in notices}
    # Four months' notice breaks Staffordshire's six-month rule, and Cannock Chase inherits it.
    assert not by_title["Carers' breaks grant ends"].compliant
    assert by_title["Carers' breaks grant ends"].required_period == "6 calendar months"
    assert by_title["Community grants halved"].required_period == "6 calendar months"
    assert by_title["Community grants halved"].compliant
    assert count(CompactRule) == len(demo.RULE_OVERRIDES)

    demo.seed()
    assert count(Notice) == len(notices)
    assert count(CompactRule) == len(demo.RULE_OVERRIDES)


def test_demo_cases_have_deadlines_consistent_with_their_state(demo_app):
    from compactcases.models import Deadline
    from workflows.deadlines import DeadlineKind, DeadlineStatus
    from workflows.dispute import STAGE_DEADLINES

    demo.seed()
    cases = db.session.scalars(sa.select(Case)).all()
    open_by_case = defaultdict(list)
    for deadline in db.session.scalars(sa.select(Deadline).where(Deadline.case_id.isnot(None))):
        if deadline.kind is DeadlineKind.MEETING_ACTION:
            continue  # agreed at a meeting, whatever the stage (see the meetings' test)
        if deadline.status is DeadlineStatus.OPEN:
            open_by_case[deadline.case_id].append(deadline.kind)
        else:
            assert deadline.closed_on is not None
    # A raised case whose acknowledgement was recorded has met its acknowledgement deadline.
    acknowledged = set(
        db.session.scalars(
            sa.select(CaseEvent.case_id).filter_by(kind=CaseEventKind.ACKNOWLEDGEMENT)
        )
    )
    for case in cases:
        expected = [STAGE_DEADLINES[case.state]] if case.state.is_open else []
        if case.state is State.RAISED and case.id in acknowledged:
            expected = []
        assert open_by_case[case.id] == expected, case.reference
    raised = {case.id for case in cases if case.state is State.RAISED}
    assert raised & acknowledged and raised - acknowledged


def test_demo_officers_generated_acknowledgement_letters_kept_on_their_cases(demo_app):
    import io

    import docx

    from compactcases.documents.services import read_content
    from compactcases.models import Document, DocumentVisibility

    demo.seed()
    letters = db.session.scalars(
        sa.select(Document).where(Document.filename.like("%acknowledgement%.docx"))
    ).all()
    assert letters
    letter = letters[0]
    assert letter.visibility is DocumentVisibility.PRIVATE
    body = "\n".join(p.text for p in docx.Document(io.BytesIO(read_content(letter))).paragraphs)
    case = db.session.get(Case, letter.case_id)
    assert case.reference in body and case.third_sector.name in body
    # The parties' addresses, where the demo's organisations have one.
    for line in case.funder.address_lines + case.third_sector.address_lines:
        assert line in body
    assert any(
        c.third_sector.address_lines for c in (db.session.get(Case, d.case_id) for d in letters)
    )


def test_a_demo_case_has_a_meeting_coming_up_and_one_recorded_with_an_action(demo_app, anonymous):
    from compactcases.models import Meeting
    from workflows.deadlines import DeadlineKind
    from workflows.meetings import MeetingStatus

    demo.seed()
    demo.seed()  # again: nothing added twice
    found = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    assert [m.status for m in found] == [MeetingStatus.HELD, MeetingStatus.SCHEDULED]
    held, upcoming = found
    assert held.case_id == upcoming.case_id
    assert [a.deadline.kind for a in held.actions if a.deadline] == [DeadlineKind.MEETING_ACTION]
    from tests.conftest import PASSWORD

    demo.set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    db.session.commit()
    anonymous.sign_in(db.session.get(User, held.case.officer_id))
    page = anonymous.get(f"/cases/{held.case.reference}").get_data(as_text=True)
    assert 'id="upcoming-meetings"' in page and 'id="past-meetings"' in page
    assert "Send a revised notice with a phased reduction" in page


def test_the_demo_funder_sees_its_agreements_with_their_windows(demo_app, anonymous):
    from compactcases.models import FundingAgreement
    from compactcases.reminders.sending import sweep
    from tests.conftest import PASSWORD

    demo.seed()
    demo.set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    db.session.commit()
    assert count(FundingAgreement) == 10
    # Three weeks after the demo's day.
    with time_machine.travel(datetime(2026, 11, 22, 9, tzinfo=UTC), tick=False):
        anonymous.sign_in(
            db.session.scalar(sa.select(User).filter_by(email="funder.bcc@example.org"))
        )
        page = anonymous.get("/funding-agreements").get_data(as_text=True)
        # Birmingham City Council's six, soonest window first, none of the others.
        assert page.count("BCC-") == 6 and "SCC-" not in page and "BSOL-" not in page
        assert (
            page.index("Dial-a-ride")
            < page.index("Food bank core costs")
            < page.index("Lunch club")
            < page.index("Detached youth work")
        )
        assert 'app-window-missed">Missed' in page
        assert "8 days left" in page  # the food bank's window closes on 30 November
        assert ">Renewed<" in page
        # The first sweep sends the missed window's alert to the funder.
        report = sweep()
        assert report.sent_inbox > 0
        inbox = anonymous.get("/inbox").get_data(as_text=True)
        assert "Agreement BCC-TR-0031: notice window missed (31 October 2026)" in inbox


def test_the_demo_funder_has_a_webhook_endpoint_with_its_events_and_the_viewer_report_emails(
    demo_app, anonymous
):
    from compactcases.models import ReportSubscription, WebhookDelivery, WebhookEndpoint
    from tests.conftest import PASSWORD

    demo.seed()
    demo.set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    db.session.commit()
    [endpoint] = db.session.scalars(sa.select(WebhookEndpoint)).all()
    assert endpoint.organisation.name == "Birmingham City Council"
    assert endpoint.url.startswith("http://127.0.0.1:")
    # The council's cases, notices and agreements as they were recorded.
    types = Counter(d.event.type.value for d in db.session.scalars(sa.select(WebhookDelivery)))
    assert types["case.created"] > 0 and types["case.state_changed"] > 0
    assert types["notice.recorded"] > 0
    [subscription] = db.session.scalars(sa.select(ReportSubscription)).all()
    assert subscription.user.email == "viewer.wm@example.org"
    assert subscription.frequency.value == "monthly"
    anonymous.sign_in(db.session.scalar(sa.select(User).filter_by(email="admin@example.org")))
    page = anonymous.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True)
    assert "case.created" in page and "Waiting to be sent" in page
    # Seeding again adds no second endpoint or subscription.
    demo.seed()
    assert count(WebhookEndpoint) == 1 and count(ReportSubscription) == 1


def test_a_demo_case_shows_its_papers_to_the_officer_and_the_shared_ones_to_the_funder(
    demo_app, anonymous
):
    from compactcases.documents import services as documents
    from compactcases.models import Document
    from tests.conftest import PASSWORD

    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    demo.seed()
    demo.set_demo_passwords(PASSWORD, "pbkdf2:sha256:1000")
    db.session.commit()
    # The papers added by hand (letters generated on cases are Word files; see the letters test).
    papers = db.session.scalars(
        sa.select(Document).where(Document.content_type != DOCX).order_by(Document.id)
    ).all()
    assert [p.content_type for p in papers] == ["application/pdf", "text/plain", "text/plain"]
    assert documents.read_content(papers[0]).startswith(b"%PDF-")
    case = papers[0].case
    officer = db.session.scalar(sa.select(User).filter_by(email="officer.bir@example.org"))
    anonymous.sign_in(officer)
    page = anonymous.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert all(p.filename in page for p in papers)
    assert "Document added" in page
    anonymous.sign_out()
    anonymous.sign_in(db.session.scalar(sa.select(User).filter_by(email="funder.bcc@example.org")))
    page = anonymous.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert papers[0].filename in page and papers[1].filename in page
    assert "Call notes.txt" not in page
    documents_before = count(Document)
    demo.seed()
    assert count(Document) == documents_before


def test_the_demo_has_a_regional_dispute_with_a_regional_funder_across_three_compacts(demo_app):
    demo.seed()
    regional = [case for case in db.session.scalars(sa.select(Case)) if case.is_regional]
    assert len(regional) == 1
    case = regional[0]
    funder = case.funder
    assert funder.is_statutory and funder.compact_id is None
    assert [c.code for c in case.affected_compacts] == ["COV", "BIR", "SOL"]
    third_sector = [p.organisation for p in case.parties if p.side.value == "third_sector"]
    assert len(third_sector) >= 3
    assert {o.compact.code for o in third_sector} == {"COV", "BIR", "SOL"}
    assert case.state is State.REGIONAL_MEDIATION

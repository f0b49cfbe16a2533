"""Case deadlines on the case page: opened and closed by the workflow, the clock stopped and
restarted, extensions by agreement, and the case list's deadline filters.

Dates by hand: 5 October 2026 is a Monday; 25 December 2026 is a Friday.
"""

from __future__ import annotations

from datetime import date

import time_machine

from compactcases.cases import deadlines as case_deadlines
from compactcases.cases import services, workflow
from compactcases.models import CaseEvent, CaseEventKind, Deadline, DeadlinePause
from tests.app.test_case_pages import _request, field_error, text
from tests.workflows.test_dispute import OUTCOME
from workflows.deadlines import DeadlineKind, DeadlineStatus

K = DeadlineKind
S = DeadlineStatus


def deadlines_of(db, case) -> list[tuple[DeadlineKind, date, DeadlineStatus]]:
    db.session.expire_all()
    return [
        (d.kind, d.due_on, d.status)
        for d in db.session.scalars(
            db.select(Deadline).filter_by(case_id=case.id).order_by(Deadline.id)
        )
    ]


def deadlines_section(response) -> str:
    page = text(response)
    return page[page.index("Deadlines") : page.index("Timeline")]


def clock_post(browser, case, action: str, prefix: str, **fields):
    page = f"/cases/{case.reference}"
    data = {}
    for name, value in fields.items():
        data[f"{prefix}-{name}"] = value
    return browser.submit(page, f"{page}/{action}", data, f"{prefix}-csrf_token")


# -- opened and closed with the workflow -----------------------------------------------------------


@time_machine.travel(date(2026, 10, 8), tick=False)
def test_a_new_case_must_be_acknowledged_within_five_working_days(browser, make_case, db):
    case = make_case(raised_on=date(2026, 10, 5))
    assert deadlines_of(db, case) == [(K.ACKNOWLEDGE, date(2026, 10, 12), S.OPEN)]
    section = deadlines_section(browser.get(f"/cases/{case.reference}"))
    # Thursday 8 October: Friday 9 and Monday 12 are left.
    assert "Acknowledge the dispute 5 working days 12 October 2026 2 working days left" in section


@time_machine.travel(date(2026, 10, 14), tick=False)
def test_an_overdue_deadline_is_shown_in_red(browser, make_case):
    case = make_case(raised_on=date(2026, 10, 5))
    html = browser.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert '<strong class="govuk-tag govuk-tag--red">2 working days overdue</strong>' in html


def test_deadlines_follow_the_case_through_the_workflow(browser, make_case, world, db):
    case = make_case(raised_on=date(2026, 10, 5))
    with time_machine.travel(date(2026, 10, 9), tick=False):
        workflow.fire_event(case, "start_conciliation", _request(), world.officer)
    # Acknowledged on time; 20 working days from Friday 9 October end on Friday 6 November.
    assert deadlines_of(db, case) == [
        (K.ACKNOWLEDGE, date(2026, 10, 12), S.MET),
        (K.CONCLUDE_CONCILIATION, date(2026, 11, 6), S.OPEN),
    ]
    with time_machine.travel(date(2026, 11, 10), tick=False):
        case = services.get_case(case.reference)
        workflow.fire_event(case, "escalate", _request(reason="No agreement"), world.officer)
    # Conciliation ran past its due date; 40 working days from Tuesday 10 November, skipping
    # 25 and 28 December and 1 January, end on Friday 8 January 2027.
    assert deadlines_of(db, case)[1:] == [
        (K.CONCLUDE_CONCILIATION, date(2026, 11, 6), S.MISSED),
        (K.CONCLUDE_MEDIATION, date(2027, 1, 8), S.OPEN),
    ]
    with time_machine.travel(date(2026, 12, 1), tick=False):
        case = services.get_case(case.reference)
        workflow.fire_event(case, "withdraw", _request(reason="Settled"), world.officer)
    assert deadlines_of(db, case)[2] == (K.CONCLUDE_MEDIATION, date(2027, 1, 8), S.CANCELLED)
    with time_machine.travel(date(2026, 12, 2), tick=False):
        case = services.get_case(case.reference)
        workflow.fire_event(case, "reopen", _request(reason="Funder went back on it"), None)
        page = deadlines_section(browser.get(f"/cases/{case.reference}"))
    # Reopened into mediation: a new 40 working days from Wednesday 2 December 2026.
    assert deadlines_of(db, case)[3] == (K.CONCLUDE_MEDIATION, date(2027, 2, 1), S.OPEN)
    assert "Conclude regional mediation" in page and "Cancelled" in page
    # The conciliation deadline ended with the escalation, late: not "met", and not a plain
    # "missed" as if nothing had happened.
    assert (
        "Conclude local conciliation 20 working days 6 November 2026 Escalated to regional "
        "mediation 10 November 2026, after the due date"
    ) in page


def resolving():
    from compactcases import localtime
    from workflows.dispute import EventRequest

    return EventRequest(today=localtime.today(), outcome=OUTCOME)


def test_resolving_meets_the_open_deadline(make_case, world, db):
    case = make_case(raised_on=date(2026, 10, 5))
    with time_machine.travel(date(2026, 10, 7), tick=False):
        workflow.fire_event(case, "resolve", resolving(), world.officer)
    assert deadlines_of(db, case) == [(K.ACKNOWLEDGE, date(2026, 10, 12), S.MET)]


# -- the clock -----------------------------------------------------------------------------------


def test_stopping_then_restarting_the_clock_moves_the_due_date_by_the_paused_working_days(
    browser, make_case, db
):
    case = make_case(raised_on=date(2026, 10, 5))
    with time_machine.travel(date(2026, 10, 7), tick=False):
        stopped = clock_post(
            browser,
            case,
            "clock/pause",
            "pause",
            started_on=["7", "10", "2026"],
            reason="Waiting for the funder's papers",
        )
        assert stopped.status_code == 302
        page = text(browser.get(f"/cases/{case.reference}"))
        assert "Clock stopped since 7 October 2026: Waiting for the funder's papers" in page
    with time_machine.travel(date(2026, 10, 9), tick=False):
        restarted = clock_post(
            browser, case, "clock/resume", "resume", ended_on=["9", "10", "2026"], reason=""
        )
        assert restarted.status_code == 302
        page = text(browser.get(f"/cases/{case.reference}"))
    # 7 and 8 October were not counted: Monday 12 becomes Wednesday 14 October.
    assert deadlines_of(db, case) == [(K.ACKNOWLEDGE, date(2026, 10, 14), S.OPEN)]
    assert "Clock restarted" in page and "Clock stopped by Priya Shah" in page
    assert (
        "The clock is running again; it had stopped from 7 October 2026. "
        "“Acknowledge the dispute” is now due 14 October 2026 (it was 12 October 2026)."
    ) in page
    kinds = [
        e.kind
        for e in db.session.scalars(
            db.select(CaseEvent).filter_by(case_id=case.id).order_by(CaseEvent.id)
        )
    ]
    assert kinds == [CaseEventKind.CREATED, CaseEventKind.PAUSE, CaseEventKind.RESUME]


@time_machine.travel(date(2026, 10, 9), tick=False)
def test_a_restart_before_the_clock_stopped_is_refused(browser, make_case, world, db):
    case = make_case(raised_on=date(2026, 10, 5))
    case_deadlines.pause_clock(case, date(2026, 10, 7), "Waiting", world.officer, date(2026, 10, 9))
    response = clock_post(browser, case, "clock/resume", "resume", ended_on=["6", "10", "2026"])
    assert response.status_code == 422
    assert field_error(response, "resume-ended_on") == (
        "A pause cannot end (6 October 2026) before it starts (7 October 2026)"
    )
    db.session.expire_all()
    assert db.session.scalar(db.select(DeadlinePause)).ended_on is None


@time_machine.travel(date(2026, 10, 9), tick=False)
def test_the_clock_cannot_be_stopped_twice(browser, make_case, world):
    case = make_case(raised_on=date(2026, 10, 5))
    case_deadlines.pause_clock(case, date(2026, 10, 7), "Waiting", world.officer, date(2026, 10, 9))
    # The page now offers a restart only; a stop posted from a page left open is refused.
    response = browser.submit(
        "/cases/new",
        f"/cases/{case.reference}/clock/pause",
        {"pause-started_on": ["8", "10", "2026"], "pause-reason": "Again"},
        "pause-csrf_token",
    )
    assert response.status_code == 422
    assert field_error(response, "pause-started_on").startswith("Only one pause can be open")


@time_machine.travel(date(2026, 10, 20), tick=False)
def test_a_stop_overlapping_an_earlier_one_and_a_future_stop_are_refused(
    browser, make_case, world, db
):
    case = make_case(raised_on=date(2026, 10, 5))
    case_deadlines.pause_clock(
        case, date(2026, 10, 7), "Waiting", world.officer, date(2026, 10, 20)
    )
    case_deadlines.resume_clock(case, date(2026, 10, 12), "", world.officer, date(2026, 10, 20))
    overlapping = clock_post(
        browser, case, "clock/pause", "pause", started_on=["9", "10", "2026"], reason="Again"
    )
    assert field_error(overlapping, "pause-started_on") == (
        "The pause from 7 October 2026 to 12 October 2026 overlaps the open pause that started "
        "on 9 October 2026"
    )
    future = clock_post(
        browser, case, "clock/pause", "pause", started_on=["21", "10", "2026"], reason="Later"
    )
    assert field_error(future, "pause-started_on") == (
        "The date the clock stopped must be today or in the past"
    )
    no_reason = clock_post(
        browser, case, "clock/pause", "pause", started_on=["20", "10", "2026"], reason=" "
    )
    assert field_error(no_reason, "pause-reason") == "Enter why the clock is stopped"
    assert db.session.scalar(db.select(db.func.count(DeadlinePause.id))) == 1


@time_machine.travel(date(2026, 10, 8), tick=False)
def test_a_deadline_is_extended_by_agreement_with_a_reason(browser, make_case, db):
    case = make_case(raised_on=date(2026, 10, 5))
    deadline_id = db.session.scalar(db.select(Deadline.id).filter_by(case_id=case.id))
    action = f"deadlines/{deadline_id}/extend"
    key = f"extend-{deadline_id}"
    refused = clock_post(browser, case, action, key, days="0", reason="")
    assert refused.status_code == 422
    assert field_error(refused, f"{key}-days") == "Enter a whole number of days from 1 to 999"
    done = clock_post(browser, case, action, key, days="3", reason="Agreed with both parties")
    assert done.status_code == 302
    # Three more working days: Monday 12 becomes Thursday 15 October.
    assert deadlines_of(db, case) == [(K.ACKNOWLEDGE, date(2026, 10, 15), S.OPEN)]
    page = text(browser.get(f"/cases/{case.reference}"))
    assert "5 working days, extended by 3 working days" in page
    assert "Deadline extended by Priya Shah" in page
    assert "Agreed with both parties" in page


# -- the case list's deadline filters ------------------------------------------------------------


@time_machine.travel(date(2026, 10, 20), tick=False)
def test_case_list_filters_overdue_and_due_soon(browser, make_case, world):
    make_case(title="Late acknowledgement", raised_on=date(2026, 10, 5))  # due 12 October
    make_case(title="Raised yesterday", raised_on=date(2026, 10, 19))  # due 26 October
    in_talks = make_case(title="In talks", raised_on=date(2026, 10, 12))
    workflow.fire_event(in_talks, "start_conciliation", _request(), world.officer)  # 17 Nov
    paused = make_case(title="Clock stopped", raised_on=date(2026, 10, 1))
    case_deadlines.pause_clock(
        paused, date(2026, 10, 2), "Waiting", world.officer, date(2026, 10, 20)
    )
    closed = make_case(title="Withdrawn early", raised_on=date(2026, 10, 1))
    workflow.fire_event(closed, "withdraw", _request(reason="Settled"), world.officer)

    overdue = text(browser.get("/cases?due=overdue"))
    assert "1 case" in overdue and "Late acknowledgement" in overdue
    soon = text(browser.get("/cases?due=soon"))
    assert "1 case" in soon and "Raised yesterday" in soon
    assert "5 cases" in text(browser.get("/cases"))

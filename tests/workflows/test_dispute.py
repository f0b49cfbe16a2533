"""The dispute workflow table: every state against every event, without Flask or a database."""

import dataclasses
from datetime import date, timedelta

import pytest

from workflows.dispute import (
    REOPEN_WINDOW_DAYS,
    CaseSnapshot,
    Event,
    EventRequest,
    State,
    TransitionRefused,
    allowed_events,
    fire,
    split_next_steps,
)
from workflows.outcomes import Breach, Level, OutcomeDraft, OutcomeType

TODAY = date(2026, 11, 28)
OUTCOME = OutcomeDraft(
    level="before_conciliation",
    outcome_type="agreement_reached",
    breach_found="partly",
    funding_protected="£67,000",
    jobs_safeguarded="3",
    notice_days_gained="",
    service_users_affected="0",
    agreed_actions="Agreed",
    learning="Talk early",
    learning_shareable="yes",
)
FULL = EventRequest(today=TODAY, reason="The funder will not meet", outcome=OUTCOME)

# (state, previous state) -> {event: destination}; an event missing from a row is refused.
TABLE = {
    (State.RAISED, None): {
        Event.START_CONCILIATION: State.LOCAL_CONCILIATION,
        Event.ESCALATE: State.REGIONAL_MEDIATION,
        Event.RESOLVE: State.RESOLVED,
        Event.WITHDRAW: State.WITHDRAWN,
    },
    (State.LOCAL_CONCILIATION, None): {
        Event.ESCALATE: State.REGIONAL_MEDIATION,
        Event.RESOLVE: State.RESOLVED,
        Event.WITHDRAW: State.WITHDRAWN,
    },
    (State.REGIONAL_MEDIATION, None): {
        Event.RESOLVE: State.RESOLVED,
        Event.WITHDRAW: State.WITHDRAWN,
    },
    (State.RESOLVED, State.RAISED): {Event.REOPEN: State.RAISED},
    (State.RESOLVED, State.LOCAL_CONCILIATION): {Event.REOPEN: State.LOCAL_CONCILIATION},
    (State.RESOLVED, State.REGIONAL_MEDIATION): {Event.REOPEN: State.REGIONAL_MEDIATION},
    (State.WITHDRAWN, State.RAISED): {Event.REOPEN: State.RAISED},
    (State.WITHDRAWN, State.LOCAL_CONCILIATION): {Event.REOPEN: State.LOCAL_CONCILIATION},
    (State.WITHDRAWN, State.REGIONAL_MEDIATION): {Event.REOPEN: State.REGIONAL_MEDIATION},
}

CELLS = [(state, prev, event) for (state, prev) in TABLE for event in Event]


def snapshot(state: State, previous: State | None) -> CaseSnapshot:
    closed_on = TODAY - timedelta(days=10) if state in (State.RESOLVED, State.WITHDRAWN) else None
    return CaseSnapshot(state=state, previous_state=previous, closed_on=closed_on)


@pytest.mark.parametrize(("state", "previous", "event"), CELLS)
def test_every_state_and_event(state, previous, event):
    case = snapshot(state, previous)
    expected = TABLE[(state, previous)].get(event)
    if expected is None:
        with pytest.raises(TransitionRefused) as refused:
            fire(case, event.value, FULL)
        assert refused.value.allowed_events == tuple(
            e for e in Event if e in TABLE[(state, previous)]
        )
        assert "is not allowed while the case is" in refused.value.message
        assert refused.value.field_errors == {}
    else:
        result = fire(case, event.value, FULL)
        assert (result.from_state, result.to_state) == (state, expected)


@pytest.mark.parametrize(("state", "previous"), list(TABLE))
def test_allowed_events_match_the_table(state, previous):
    assert set(allowed_events(snapshot(state, previous), TODAY)) == set(TABLE[(state, previous)])


def test_refusal_names_the_allowed_events():
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.REGIONAL_MEDIATION), "start_conciliation", FULL)
    assert refused.value.message == (
        "“Start local conciliation” is not allowed while the case is regional mediation. "
        "Allowed now: “Resolve”, “Withdraw”."
    )


def test_unknown_event_is_refused_with_the_allowed_ones():
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.RAISED), "explode", FULL)
    assert refused.value.allowed_events == (
        Event.START_CONCILIATION,
        Event.ESCALATE,
        Event.RESOLVE,
        Event.WITHDRAW,
    )
    assert refused.value.message.startswith("The event “explode” is not allowed")


def test_escalation_from_raised_without_reason_is_refused():
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.RAISED), "escalate", EventRequest(today=TODAY, reason="  "))
    assert refused.value.field_errors == {
        "reason": "Enter why the case cannot be conciliated locally"
    }


def test_escalation_from_conciliation_needs_no_reason():
    result = fire(CaseSnapshot(State.LOCAL_CONCILIATION), "escalate", EventRequest(today=TODAY))
    assert result.to_state is State.REGIONAL_MEDIATION


def test_resolve_without_an_outcome_is_refused_naming_every_missing_field():
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.LOCAL_CONCILIATION), "resolve", EventRequest(today=TODAY))
    assert refused.value.field_errors == {
        "level": "Select the level the dispute reached",
        "outcome_type": "Select the type of outcome",
        "breach_found": "Select whether a Compact breach was found",
        "agreed_actions": "Enter the actions agreed, or what was decided",
        "learning": "Enter the learning from the case",
        "learning_shareable": "Select whether the learning may be shared anonymised",
    }
    assert Event.RESOLVE in refused.value.allowed_events


def test_resolve_returns_the_checked_outcome_with_figures_as_whole_numbers():
    result = fire(CaseSnapshot(State.LOCAL_CONCILIATION), "resolve", FULL)
    outcome = result.outcome
    assert (outcome.level, outcome.outcome_type, outcome.breach_found) == (
        Level.BEFORE_CONCILIATION,
        OutcomeType.AGREEMENT_REACHED,
        Breach.PARTLY,
    )
    # Blank is "not known"; 0 is "none"; pounds may be typed with £ and commas.
    assert (
        outcome.funding_protected,
        outcome.jobs_safeguarded,
        outcome.notice_days_gained,
        outcome.service_users_affected,
    ) == (67000, 3, None, 0)
    assert outcome.learning_shareable is True


@pytest.mark.parametrize("typed", ["-5", "1.5", "lots", "3 jobs"])
def test_resolve_with_a_figure_that_is_not_a_whole_number_is_refused(typed):
    outcome = dataclasses.replace(OUTCOME, jobs_safeguarded=typed)
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.RAISED), "resolve", EventRequest(today=TODAY, outcome=outcome))
    assert refused.value.field_errors == {
        "jobs_safeguarded": "Enter jobs safeguarded as a whole number, like 45000, or leave it "
        "blank"
    }


def test_resolve_at_a_level_the_case_has_not_reached_is_refused():
    outcome = dataclasses.replace(OUTCOME, level="regional_mediation")
    request = EventRequest(today=TODAY, outcome=outcome)
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.LOCAL_CONCILIATION), "resolve", request)
    assert refused.value.field_errors == {
        "level": "The case has not reached regional mediation; select a lower level"
    }
    assert fire(CaseSnapshot(State.REGIONAL_MEDIATION), "resolve", request).outcome.level is (
        Level.REGIONAL_MEDIATION
    )


def test_withdraw_without_reason_is_refused():
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.RAISED), "withdraw", EventRequest(today=TODAY))
    assert refused.value.field_errors == {"reason": "Enter why the case is being withdrawn"}


def test_too_long_reason_is_refused():
    request = EventRequest(today=TODAY, reason="x" * 2001)
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.RAISED), "withdraw", request)
    assert refused.value.field_errors == {"reason": "Enter no more than 2000 characters"}


@pytest.mark.parametrize(
    ("days_since_closing", "allowed"),
    [
        (0, True),
        (1, True),
        (REOPEN_WINDOW_DAYS - 1, True),
        (REOPEN_WINDOW_DAYS, True),
        (REOPEN_WINDOW_DAYS + 1, False),
        (400, False),
    ],
)
def test_reopen_only_within_the_window(days_since_closing, allowed):
    closed_on = date(2026, 1, 31)
    case = CaseSnapshot(State.RESOLVED, State.LOCAL_CONCILIATION, closed_on)
    today = closed_on + timedelta(days=days_since_closing)
    request = EventRequest(today=today, reason="New evidence")
    if allowed:
        assert fire(case, "reopen", request).to_state is State.LOCAL_CONCILIATION
    else:
        with pytest.raises(TransitionRefused) as refused:
            fire(case, "reopen", request)
        assert "within 90 days of closing" in refused.value.message
        assert refused.value.allowed_events == ()
        assert refused.value.message.endswith("No events are allowed now.")


def test_reopen_window_spans_a_leap_day():
    # Closed 1 December 2027: 30 days to 31 December, 61 to 31 January, 90 to 29 February
    # 2028 (a leap year), so the last day to reopen is 29 February, not 1 March.
    case = CaseSnapshot(State.WITHDRAWN, State.RAISED, date(2027, 12, 1))
    assert Event.REOPEN in allowed_events(case, date(2028, 2, 29))
    assert Event.REOPEN not in allowed_events(case, date(2028, 3, 1))


def test_reopen_without_reason_is_refused():
    case = CaseSnapshot(State.RESOLVED, State.RAISED, TODAY)
    with pytest.raises(TransitionRefused) as refused:
        fire(case, "reopen", EventRequest(today=TODAY))
    assert refused.value.field_errors == {"reason": "Enter why the case is being reopened"}


def test_firing_does_not_touch_the_snapshot():
    case = CaseSnapshot(State.RAISED)
    fire(case, "start_conciliation", FULL)
    assert case.state is State.RAISED


# -- which step is the page's main button -----------------------------------------------------


@pytest.mark.parametrize(
    ("state", "allowed", "main", "others"),
    [
        (
            State.RAISED,
            (Event.WITHDRAW, Event.RESOLVE, Event.ESCALATE, Event.START_CONCILIATION),
            Event.START_CONCILIATION,
            (Event.ESCALATE, Event.RESOLVE, Event.WITHDRAW),
        ),
        (
            State.LOCAL_CONCILIATION,
            (Event.ESCALATE, Event.RESOLVE, Event.WITHDRAW),
            Event.RESOLVE,
            (Event.ESCALATE, Event.WITHDRAW),
        ),
        (
            State.REGIONAL_MEDIATION,
            (Event.RESOLVE, Event.WITHDRAW),
            Event.RESOLVE,
            (Event.WITHDRAW,),
        ),
        # A person who may not take the usual step still sees the others, none as the main one.
        (State.RAISED, (Event.WITHDRAW,), None, (Event.WITHDRAW,)),
        # A closed case has no usual next step: reopening is a way back, not the next step.
        (State.RESOLVED, (Event.REOPEN,), None, (Event.REOPEN,)),
        (State.WITHDRAWN, (), None, ()),
    ],
)
def test_the_usual_next_step_is_the_main_one_and_the_ways_out_follow(state, allowed, main, others):
    assert split_next_steps(state, allowed) == (main, others)

"""The dispute workflow table: every state against every event, without Flask or a database."""

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
)

TODAY = date(2026, 11, 28)
FULL = EventRequest(today=TODAY, reason="The funder will not meet", outcome_summary="Agreed")

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


def test_resolve_without_outcome_summary_is_refused():
    with pytest.raises(TransitionRefused) as refused:
        fire(CaseSnapshot(State.LOCAL_CONCILIATION), "resolve", EventRequest(today=TODAY))
    assert refused.value.field_errors == {"outcome_summary": "Enter a summary of the outcome"}
    assert Event.RESOLVE in refused.value.allowed_events


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

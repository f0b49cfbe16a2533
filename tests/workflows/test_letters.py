"""Which letter a case may have in each state, and when an acknowledgement may be recorded.

Dates by hand: 5 October 2026 is a Monday."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dispute import Event, State
from workflows.letters import (
    AcknowledgementRefused,
    LetterKind,
    allowed_letters,
    check_acknowledgement,
    letter_refusal,
    step_acknowledges,
)

K = LetterKind
RAISED_ON = date(2026, 10, 5)
TODAY = date(2026, 10, 8)


@pytest.mark.parametrize(
    ("state", "breach_notices", "expected"),
    [
        (State.RAISED, 0, (K.ACKNOWLEDGEMENT, K.INVITATION)),
        (State.LOCAL_CONCILIATION, 1, (K.ACKNOWLEDGEMENT, K.INVITATION, K.BREACH)),
        (State.REGIONAL_MEDIATION, 0, (K.ACKNOWLEDGEMENT, K.ESCALATION)),
        (State.RESOLVED, 0, (K.OUTCOME,)),
        (State.RESOLVED, 2, (K.OUTCOME, K.BREACH)),
        (State.WITHDRAWN, 0, ()),
    ],
)
def test_the_letters_each_state_allows(state, breach_notices, expected):
    assert allowed_letters(state, breach_notices) == expected


def test_a_refused_letter_says_when_it_can_be_written():
    assert letter_refusal(K.OUTCOME, State.LOCAL_CONCILIATION, 0) == (
        "Outcome letter can only be written once the case is resolved; this case is local "
        "conciliation."
    )
    assert "has none" in letter_refusal(K.BREACH, State.RAISED, 0)


@pytest.mark.parametrize("on", [RAISED_ON, date(2026, 10, 7), TODAY])
def test_an_acknowledgement_is_dated_from_the_day_raised_to_today(on):
    assert check_acknowledgement(State.RAISED, True, RAISED_ON, on, TODAY) == on


@pytest.mark.parametrize(
    ("on", "field_error"),
    [
        (date(2026, 10, 9), "must be today or in the past"),
        (date(2026, 10, 2), "on or after 5 October 2026"),
    ],
)
def test_an_acknowledgement_dated_outside_that_is_refused_on_the_date(on, field_error):
    with pytest.raises(AcknowledgementRefused) as refused:
        check_acknowledgement(State.RAISED, True, RAISED_ON, on, TODAY)
    assert field_error in refused.value.field_errors["acknowledged_on"]


@pytest.mark.parametrize(
    ("state", "awaiting", "why"),
    [
        (State.RAISED, False, "already been acknowledged"),
        (State.LOCAL_CONCILIATION, False, "it is local conciliation"),
        (State.RESOLVED, False, "it is resolved"),
    ],
)
def test_only_a_raised_case_awaiting_it_can_be_acknowledged(state, awaiting, why):
    with pytest.raises(AcknowledgementRefused, match=why) as refused:
        check_acknowledgement(state, awaiting, RAISED_ON, TODAY, TODAY)
    assert refused.value.field_errors == {}


@pytest.mark.parametrize(
    ("event", "from_state", "acknowledges"),
    [
        (Event.START_CONCILIATION, State.RAISED, True),
        (Event.ESCALATE, State.RAISED, True),
        (Event.RESOLVE, State.RAISED, True),
        (Event.WITHDRAW, State.RAISED, False),
        (Event.ESCALATE, State.LOCAL_CONCILIATION, False),
    ],
)
def test_which_steps_record_an_acknowledgement_not_yet_recorded(event, from_state, acknowledges):
    assert step_acknowledges(event, from_state) is acknowledges

"""The dispute state machine: states, events, guards and what each event needs recorded first.

One `transitions.Machine` is built when this module is imported and serves every case: a case
is passed through it as a small token holding its state, so no machine is built per request.
The machine answers which events a case may take now (`allowed_events`) and fires one
(`fire`); a refused event raises `TransitionRefused`, naming the events that are allowed, and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from transitions import EventData, Machine


class State(StrEnum):
    RAISED = "raised"
    LOCAL_CONCILIATION = "local_conciliation"
    REGIONAL_MEDIATION = "regional_mediation"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


class Event(StrEnum):
    START_CONCILIATION = "start_conciliation"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


STATE_LABELS: Mapping[State, str] = {
    State.RAISED: "Raised",
    State.LOCAL_CONCILIATION: "Local conciliation",
    State.REGIONAL_MEDIATION: "Regional mediation",
    State.RESOLVED: "Resolved",
    State.WITHDRAWN: "Withdrawn",
}

EVENT_LABELS: Mapping[Event, str] = {
    Event.START_CONCILIATION: "Start local conciliation",
    Event.ESCALATE: "Escalate to regional mediation",
    Event.RESOLVE: "Resolve",
    Event.WITHDRAW: "Withdraw",
    Event.REOPEN: "Reopen",
}

OPEN_STATES: frozenset[State] = frozenset(
    {State.RAISED, State.LOCAL_CONCILIATION, State.REGIONAL_MEDIATION}
)
CLOSED_STATES: frozenset[State] = frozenset({State.RESOLVED, State.WITHDRAWN})

# A closed case may be reopened for this many calendar days after it closed.
REOPEN_WINDOW_DAYS = 90

# The order buttons are offered in: the usual next step first, the ways out last.
EVENT_ORDER: tuple[Event, ...] = (
    Event.START_CONCILIATION,
    Event.ESCALATE,
    Event.RESOLVE,
    Event.WITHDRAW,
    Event.REOPEN,
)


@dataclass(frozen=True)
class CaseSnapshot:
    """What the machine needs to know of a case: plain values, no database row."""

    state: State
    previous_state: State | None = None
    closed_on: date | None = None


@dataclass(frozen=True)
class EventRequest:
    """What the person firing an event supplied with it."""

    today: date
    reason: str = ""
    outcome_summary: str = ""


@dataclass(frozen=True)
class TransitionResult:
    event: Event
    from_state: State
    to_state: State


@dataclass
class TransitionRefused(Exception):
    """An event that may not happen now; nothing changed.

    `field_errors` names the missing or invalid inputs when the event itself is allowed but was
    asked for without what it needs; it is empty when the event is not allowed at all.
    """

    event: str
    state: State
    allowed_events: tuple[Event, ...]
    message: str
    field_errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


# What an event needs recorded before it may fire, by the state it leaves. A missing entry
# means nothing is required.
_REQUIREMENTS: Mapping[tuple[Event, State | None], Mapping[str, str]] = {
    (Event.ESCALATE, State.RAISED): {
        "reason": "Enter why the case cannot be conciliated locally",
    },
    (Event.RESOLVE, None): {"outcome_summary": "Enter a summary of the outcome"},
    (Event.WITHDRAW, None): {"reason": "Enter why the case is being withdrawn"},
    (Event.REOPEN, None): {"reason": "Enter why the case is being reopened"},
}

MAX_REASON_LENGTH = 2000


class _Token:
    """The stand-in the machine moves between states for one call."""

    __slots__ = ("previous_state", "state")

    def __init__(self, state: State, previous_state: State | None) -> None:
        self.state = state.value
        self.previous_state = previous_state


def _returns_to(dest: State):
    def condition(event_data: EventData) -> bool:
        return event_data.model.previous_state == dest

    condition.__name__ = f"left_from_{dest.value}"
    return condition


def _build_machine() -> Machine:
    open_states = [s.value for s in State if s.is_open]
    closed_states = [s.value for s in State if not s.is_open]
    transitions = [
        {
            "trigger": Event.START_CONCILIATION.value,
            "source": State.RAISED.value,
            "dest": State.LOCAL_CONCILIATION.value,
        },
        {
            "trigger": Event.ESCALATE.value,
            "source": [State.RAISED.value, State.LOCAL_CONCILIATION.value],
            "dest": State.REGIONAL_MEDIATION.value,
        },
        {"trigger": Event.RESOLVE.value, "source": open_states, "dest": State.RESOLVED.value},
        {"trigger": Event.WITHDRAW.value, "source": open_states, "dest": State.WITHDRAWN.value},
    ]
    # Reopening returns a case to the state it left: one transition per possible destination,
    # each guarded by where the case came from.
    transitions += [
        {
            "trigger": Event.REOPEN.value,
            "source": closed_states,
            "dest": dest.value,
            "conditions": [_returns_to(dest)],
        }
        for dest in State
        if dest.is_open
    ]
    return Machine(
        model=None,
        states=[s.value for s in State],
        transitions=transitions,
        initial=None,
        auto_transitions=False,
        send_event=True,
    )


MACHINE = _build_machine()
_TRIGGERS_BY_STATE: Mapping[State, frozenset[Event]] = {
    state: frozenset(Event(t) for t in MACHINE.get_triggers(state.value)) for state in State
}


def allowed_events(case: CaseSnapshot, today: date) -> tuple[Event, ...]:
    """The events the case may take now, in the order a page should offer them."""
    triggers = _TRIGGERS_BY_STATE[case.state]
    return tuple(
        event for event in EVENT_ORDER if event in triggers and _available(event, case, today)
    )


def _available(event: Event, case: CaseSnapshot, today: date) -> bool:
    if event is Event.REOPEN:
        return (
            case.previous_state is not None
            and case.previous_state.is_open
            and case.closed_on is not None
            and today <= case.closed_on + timedelta(days=REOPEN_WINDOW_DAYS)
        )
    return True


def missing_information(event: Event, state: State, request: EventRequest) -> dict[str, str]:
    """Field errors for what the event needs and the request lacks (empty when complete)."""
    required = {
        **_REQUIREMENTS.get((event, None), {}),
        **_REQUIREMENTS.get((event, state), {}),
    }
    errors = {
        name: message for name, message in required.items() if not getattr(request, name).strip()
    }
    for name in ("reason", "outcome_summary"):
        if len(getattr(request, name)) > MAX_REASON_LENGTH:
            errors[name] = f"Enter no more than {MAX_REASON_LENGTH} characters"
    return errors


def fire(case: CaseSnapshot, event: str, request: EventRequest) -> TransitionResult:
    """Fire `event` on `case`, or raise `TransitionRefused` saying why and what is allowed."""
    allowed = allowed_events(case, request.today)
    try:
        chosen = Event(event)
    except ValueError:
        chosen = None
    if chosen is None or chosen not in allowed:
        raise TransitionRefused(
            event=event,
            state=case.state,
            allowed_events=allowed,
            message=_not_allowed_message(event, case, allowed, request.today),
        )
    errors = missing_information(chosen, case.state, request)
    if errors:
        raise TransitionRefused(
            event=event,
            state=case.state,
            allowed_events=allowed,
            message=f"{chosen.label} needs more information: " + "; ".join(errors.values()) + ".",
            field_errors=errors,
        )
    token = _Token(case.state, case.previous_state)
    MACHINE.events[chosen.value].trigger(token)
    return TransitionResult(event=chosen, from_state=case.state, to_state=State(token.state))


def _not_allowed_message(
    event: str, case: CaseSnapshot, allowed: tuple[Event, ...], today: date
) -> str:
    name = EVENT_LABELS.get(Event(event)) if event in Event._value2member_map_ else None
    what = f"“{name}”" if name else f"The event “{event}”"
    why = f"is not allowed while the case is {case.state.label.lower()}"
    if (
        event == Event.REOPEN
        and case.state in CLOSED_STATES
        and case.closed_on is not None
        and today > case.closed_on + timedelta(days=REOPEN_WINDOW_DAYS)
    ):
        why = (
            f"is no longer possible: a case can be reopened within {REOPEN_WINDOW_DAYS} days "
            "of closing"
        )
    if allowed:
        allowed_text = ", ".join(f"“{e.label}”" for e in allowed)
        return f"{what} {why}. Allowed now: {allowed_text}."
    return f"{what} {why}. No events are allowed now."

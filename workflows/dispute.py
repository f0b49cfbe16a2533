"""The dispute state machine: states, events, guards and what each event needs recorded first.

One `transitions.Machine` is built when this module is imported and serves every case: a case
is passed through it as a small token holding its state, so no machine is built per request.
The machine answers which events a case may take now (`allowed_events`) and fires one
(`fire`); a refused event raises `TransitionRefused`, naming the events that are allowed, and
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from transitions import EventData, Machine

from .deadlines import DeadlineKind, DeadlineStatus
from .labels import LabelledEnum
from .outcomes import MAX_REASON_LENGTH, Level, OutcomeDraft, OutcomeRecord, check_outcome
from .periods import working_days_between


class State(LabelledEnum):
    RAISED = "raised", "Raised"
    LOCAL_CONCILIATION = "local_conciliation", "Local conciliation"
    REGIONAL_MEDIATION = "regional_mediation", "Regional mediation"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


class Event(LabelledEnum):
    START_CONCILIATION = "start_conciliation", "Start local conciliation"
    ESCALATE = "escalate", "Escalate to regional mediation"
    RESOLVE = "resolve", "Resolve"
    WITHDRAW = "withdraw", "Withdraw"
    REOPEN = "reopen", "Reopen"


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


# The step a case in each open state usually takes next: the page's one main button. Every
# other allowed step is a way out of the usual course (escalating past a stage, withdrawing,
# resolving before conciliation has begun) and is offered beside it as a secondary button.
USUAL_NEXT_STEP: Mapping[State, Event] = {
    State.RAISED: Event.START_CONCILIATION,
    State.LOCAL_CONCILIATION: Event.RESOLVE,
    State.REGIONAL_MEDIATION: Event.RESOLVE,
}


def split_next_steps(
    state: State, allowed: Sequence[Event]
) -> tuple[Event | None, tuple[Event, ...]]:
    """The usual next step if it is among `allowed`, and the other allowed steps in
    EVENT_ORDER."""
    usual = USUAL_NEXT_STEP.get(state)
    main = usual if usual in allowed else None
    others = tuple(event for event in EVENT_ORDER if event in allowed and event is not main)
    return main, others


@dataclass(frozen=True)
class CaseSnapshot:
    """What the machine needs to know of a case: plain values, no database row."""

    state: State
    previous_state: State | None = None
    closed_on: date | None = None
    # Needed to work out what a step changes, not whether it may happen.
    raised_on: date | None = None
    escalated_on: date | None = None
    has_outcome: bool = False
    # The day the case's clock stopped, while it is stopped.
    paused_since: date | None = None


# The level a case reaches by being in each open state.
LEVEL_OF_STATE: Mapping[State, Level] = {
    State.RAISED: Level.BEFORE_CONCILIATION,
    State.LOCAL_CONCILIATION: Level.LOCAL_CONCILIATION,
    State.REGIONAL_MEDIATION: Level.REGIONAL_MEDIATION,
}

# The deadline each open stage of a dispute runs against: entering a stage opens it, leaving
# the stage closes it (met, or missed if late; cancelled when the case is withdrawn).
STAGE_DEADLINES: Mapping[State, DeadlineKind] = {
    State.RAISED: DeadlineKind.ACKNOWLEDGE,
    State.LOCAL_CONCILIATION: DeadlineKind.CONCLUDE_CONCILIATION,
    State.REGIONAL_MEDIATION: DeadlineKind.CONCLUDE_MEDIATION,
}

CASE_DEADLINES: frozenset[DeadlineKind] = frozenset(STAGE_DEADLINES.values())


@dataclass(frozen=True)
class DeadlineChanges:
    """What one workflow step does to a case's deadlines.

    ``close``: the kind of the stage deadline that closes and the status it closes with (before
    lateness is taken into account, see `workflows.deadlines.closing_status`), or None.
    ``open``: the kind of deadline that opens from the day of the step, or None.
    """

    close: tuple[DeadlineKind, DeadlineStatus] | None
    open: DeadlineKind | None


def on_create() -> DeadlineKind:
    """The deadline a newly logged dispute starts with, counted from the day it was raised."""
    return STAGE_DEADLINES[State.RAISED]


def on_transition(event: Event, from_state: State, to_state: State) -> DeadlineChanges:
    """The deadlines that close and open when ``event`` moves a case between the states."""
    close = None
    leaving = STAGE_DEADLINES.get(from_state)
    if leaving is not None:
        status = DeadlineStatus.CANCELLED if event is Event.WITHDRAW else DeadlineStatus.MET
        close = (leaving, status)
    return DeadlineChanges(close=close, open=STAGE_DEADLINES.get(to_state))


def reopen_window_open(closed_on: date | None, today: date) -> bool:
    """Whether a case closed on `closed_on` may still be reopened on `today`."""
    return closed_on is not None and today <= closed_on + timedelta(days=REOPEN_WINDOW_DAYS)


@dataclass(frozen=True)
class EventRequest:
    """What the person firing an event supplied with it."""

    today: date
    reason: str = ""
    outcome: OutcomeDraft | None = None


@dataclass(frozen=True)
class Closing:
    """How a closing step ends the case: the level it left at and, for `resolve`, the checked
    outcome; for `withdraw`, the reason."""

    level: Level
    outcome: OutcomeRecord | None = None
    withdrawal_reason: str | None = None


@dataclass(frozen=True)
class TransitionResult:
    """Everything one step changes on a case, for the service to apply as it stands."""

    event: Event
    from_state: State
    to_state: State
    # The case's dates and figures after the step.
    previous_state: State | None
    closed_on: date | None
    escalated_on: date | None
    working_days_to_close: int | None
    # Set when the step closes the case; `remove_outcome` when reopening drops the old one.
    closing: Closing | None
    remove_outcome: bool
    # The day an open clock stop ends because the case closed, or None.
    pause_ends_on: date | None
    deadlines: DeadlineChanges
    # What the timeline entry says: the reason given, or the actions agreed on resolving.
    reason: str

    @property
    def outcome(self) -> OutcomeRecord | None:
        """The checked outcome, for `resolve`."""
        return self.closing.outcome if self.closing else None


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
    (Event.WITHDRAW, None): {"reason": "Enter why the case is being withdrawn"},
    (Event.REOPEN, None): {"reason": "Enter why the case is being reopened"},
}


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
            and reopen_window_open(case.closed_on, today)
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
    if len(request.reason) > MAX_REASON_LENGTH:
        errors["reason"] = f"Enter no more than {MAX_REASON_LENGTH} characters"
    if event is Event.RESOLVE:
        errors.update(
            check_outcome(request.outcome or OutcomeDraft(), LEVEL_OF_STATE.get(state))[1]
        )
    return errors


def refusal(case: CaseSnapshot, event: str, today: date) -> TransitionRefused | None:
    """Why `event` may not happen now whatever is supplied with it, or None if it may."""
    allowed = allowed_events(case, today)
    if event in Event._value2member_map_ and Event(event) in allowed:
        return None
    return TransitionRefused(
        event=event,
        state=case.state,
        allowed_events=allowed,
        message=_not_allowed_message(event, case, allowed, today),
    )


def fire(case: CaseSnapshot, event: str, request: EventRequest) -> TransitionResult:
    """Fire `event` on `case`, or raise `TransitionRefused` saying why and what is allowed."""
    not_now = refusal(case, event, request.today)
    if not_now is not None:
        raise not_now
    chosen = Event(event)
    allowed = allowed_events(case, request.today)
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
    if not MACHINE.events[chosen.value].trigger(token):
        # The guards above mirror the machine's conditions; a machine that still says no is
        # refused the same way rather than half-applied.
        raise TransitionRefused(
            event=event,
            state=case.state,
            allowed_events=allowed,
            message=_not_allowed_message(event, case, allowed, request.today),
        )
    return _consequences(case, chosen, State(token.state), request)


def _consequences(
    case: CaseSnapshot, event: Event, to_state: State, request: EventRequest
) -> TransitionResult:
    """What moving `case` by `event` to `to_state` changes, as of `request.today`."""
    today = request.today
    reason = request.reason.strip()
    escalated_on = case.escalated_on
    if to_state is State.REGIONAL_MEDIATION and escalated_on is None:
        escalated_on = today
    if to_state in CLOSED_STATES:
        level = LEVEL_OF_STATE[case.state]
        if event is Event.RESOLVE:
            record = check_outcome(request.outcome or OutcomeDraft(), level)[0]
            closing = Closing(level=record.level, outcome=record)
            reason = record.agreed_actions
        else:
            closing = Closing(level=level, withdrawal_reason=reason)
        raised_on = case.raised_on or today
        return TransitionResult(
            event=event,
            from_state=case.state,
            to_state=to_state,
            previous_state=case.state,
            closed_on=today,
            escalated_on=escalated_on,
            working_days_to_close=working_days_between(raised_on, today),
            closing=closing,
            remove_outcome=False,
            # A closed case has no clock to keep stopped.
            pause_ends_on=max(today, case.paused_since) if case.paused_since else None,
            deadlines=on_transition(event, case.state, to_state),
            reason=reason,
        )
    return TransitionResult(
        event=event,
        from_state=case.state,
        to_state=to_state,
        previous_state=None,
        closed_on=None,
        escalated_on=escalated_on,
        working_days_to_close=None,
        closing=None,
        remove_outcome=case.has_outcome,
        pause_ends_on=None,
        deadlines=on_transition(event, case.state, to_state),
        reason=reason,
    )


def _not_allowed_message(
    event: str, case: CaseSnapshot, allowed: tuple[Event, ...], today: date
) -> str:
    name = Event(event).label if event in Event._value2member_map_ else None
    what = f"“{name}”" if name else f"The event “{event}”"
    why = f"is not allowed while the case is {case.state.label.lower()}"
    if (
        event == Event.REOPEN
        and case.state in CLOSED_STATES
        and case.closed_on is not None
        and not reopen_window_open(case.closed_on, today)
    ):
        why = (
            f"is no longer possible: a case can be reopened within {REOPEN_WINDOW_DAYS} days "
            "of closing"
        )
    if allowed:
        allowed_text = ", ".join(f"“{e.label}”" for e in allowed)
        return f"{what} {why}. Allowed now: {allowed_text}."
    return f"{what} {why}. No events are allowed now."

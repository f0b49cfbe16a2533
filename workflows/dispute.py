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


class Level(StrEnum):
    """How far a dispute went before it ended."""

    BEFORE_CONCILIATION = "before_conciliation"
    LOCAL_CONCILIATION = "local_conciliation"
    REGIONAL_MEDIATION = "regional_mediation"

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


class OutcomeType(StrEnum):
    AGREEMENT_REACHED = "agreement_reached"
    FUNDING_REINSTATED = "funding_reinstated"
    NOTICE_EXTENDED = "notice_extended"
    DECISION_UPHELD = "decision_upheld"
    PARTIALLY_RESOLVED = "partially_resolved"
    NO_AGREEMENT = "no_agreement"
    REFERRED_NATIONAL = "referred_national"

    @property
    def label(self) -> str:
        return OUTCOME_TYPE_LABELS[self]


class Breach(StrEnum):
    YES = "yes"
    NO = "no"
    PARTLY = "partly"

    @property
    def label(self) -> str:
        return BREACH_LABELS[self]


LEVEL_LABELS: Mapping[Level, str] = {
    Level.BEFORE_CONCILIATION: "Before conciliation",
    Level.LOCAL_CONCILIATION: "Local conciliation",
    Level.REGIONAL_MEDIATION: "Regional mediation",
}
OUTCOME_TYPE_LABELS: Mapping[OutcomeType, str] = {
    OutcomeType.AGREEMENT_REACHED: "Agreement reached",
    OutcomeType.FUNDING_REINSTATED: "Funding reinstated or phased",
    OutcomeType.NOTICE_EXTENDED: "Notice extended",
    OutcomeType.DECISION_UPHELD: "Decision upheld",
    OutcomeType.PARTIALLY_RESOLVED: "Partially resolved",
    OutcomeType.NO_AGREEMENT: "No agreement",
    OutcomeType.REFERRED_NATIONAL: "Referred for national advice",
}
BREACH_LABELS: Mapping[Breach, str] = {
    Breach.YES: "Yes",
    Breach.NO: "No",
    Breach.PARTLY: "Partly",
}

# The level a case reaches by being in each open state.
LEVEL_OF_STATE: Mapping[State, Level] = {
    State.RAISED: Level.BEFORE_CONCILIATION,
    State.LOCAL_CONCILIATION: Level.LOCAL_CONCILIATION,
    State.REGIONAL_MEDIATION: Level.REGIONAL_MEDIATION,
}
_LEVEL_ORDER: tuple[Level, ...] = tuple(Level)

# The largest figure an outcome may carry: far beyond any real dispute, small enough for SQL.
MAX_FIGURE = 10_000_000_000


@dataclass(frozen=True)
class OutcomeDraft:
    """An outcome as typed into the form: every value the text the person entered."""

    level: str = ""
    outcome_type: str = ""
    breach_found: str = ""
    funding_protected: str = ""
    jobs_safeguarded: str = ""
    notice_days_gained: str = ""
    service_users_affected: str = ""
    agreed_actions: str = ""
    learning: str = ""
    learning_shareable: str = ""


@dataclass(frozen=True)
class OutcomeRecord:
    """A complete outcome, checked: the figures are whole numbers, None where not known."""

    level: Level
    outcome_type: OutcomeType
    breach_found: Breach
    funding_protected: int | None
    jobs_safeguarded: int | None
    notice_days_gained: int | None
    service_users_affected: int | None
    agreed_actions: str
    learning: str
    learning_shareable: bool


# The figures an outcome counts, with the words an error message uses for each.
OUTCOME_FIGURES: Mapping[str, str] = {
    "funding_protected": "funding protected, in whole pounds",
    "jobs_safeguarded": "jobs safeguarded",
    "notice_days_gained": "days of notice gained",
    "service_users_affected": "service users affected",
}


@dataclass(frozen=True)
class EventRequest:
    """What the person firing an event supplied with it."""

    today: date
    reason: str = ""
    outcome: OutcomeDraft | None = None


@dataclass(frozen=True)
class TransitionResult:
    event: Event
    from_state: State
    to_state: State
    # The checked outcome, for `resolve`.
    outcome: OutcomeRecord | None = None


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
    if len(request.reason) > MAX_REASON_LENGTH:
        errors["reason"] = f"Enter no more than {MAX_REASON_LENGTH} characters"
    if event is Event.RESOLVE:
        errors.update(check_outcome(request.outcome or OutcomeDraft(), state)[1])
    return errors


def check_outcome(draft: OutcomeDraft, state: State) -> tuple[OutcomeRecord | None, dict[str, str]]:
    """The outcome `draft` describes for a case resolved from `state`, or field errors.

    A resolved case needs its level, type, whether a breach was found, what was agreed, the
    learning and whether it may be shared. The figures may be left blank where not known (0
    means none), but what is typed must be a whole number from 0 upwards. The level cannot be
    beyond the stage the case has reached.
    """
    errors: dict[str, str] = {}
    level = _choice(Level, draft.level)
    reached = LEVEL_OF_STATE.get(state)
    if level is None:
        errors["level"] = "Select the level the dispute reached"
    elif reached is not None and _LEVEL_ORDER.index(level) > _LEVEL_ORDER.index(reached):
        errors["level"] = f"The case has not reached {level.label.lower()}; select a lower level"
    outcome_type = _choice(OutcomeType, draft.outcome_type)
    if outcome_type is None:
        errors["outcome_type"] = "Select the type of outcome"
    breach = _choice(Breach, draft.breach_found)
    if breach is None:
        errors["breach_found"] = "Select whether a Compact breach was found"
    figures: dict[str, int | None] = {}
    for name, words in OUTCOME_FIGURES.items():
        figures[name], error = _figure(getattr(draft, name), words)
        if error:
            errors[name] = error
    for name, missing in (
        ("agreed_actions", "Enter the actions agreed, or what was decided"),
        ("learning", "Enter the learning from the case"),
    ):
        text = getattr(draft, name).strip()
        if not text:
            errors[name] = missing
        elif len(text) > MAX_REASON_LENGTH:
            errors[name] = f"Enter no more than {MAX_REASON_LENGTH} characters"
    if draft.learning_shareable not in ("yes", "no"):
        errors["learning_shareable"] = "Select whether the learning may be shared anonymised"
    if errors:
        return None, errors
    return (
        OutcomeRecord(
            level=level,
            outcome_type=outcome_type,
            breach_found=breach,
            agreed_actions=draft.agreed_actions.strip(),
            learning=draft.learning.strip(),
            learning_shareable=draft.learning_shareable == "yes",
            **figures,
        ),
        {},
    )


def _choice(kind, value: str):
    try:
        return kind(value)
    except ValueError:
        return None


def _figure(text: str, words: str) -> tuple[int | None, str | None]:
    """A typed figure as a whole number (None when blank), or the error to show."""
    cleaned = text.strip().replace(",", "").removeprefix("£").strip()
    if not cleaned:
        return None, None
    # ASCII only: str.isdigit() also accepts digits such as "²" that int() cannot read.
    if not (cleaned.isascii() and cleaned.isdigit()):
        return None, f"Enter {words} as a whole number, like 45000, or leave it blank"
    # Compared as text first: int() refuses strings of more than a few thousand digits.
    if len(cleaned.lstrip("0")) > len(str(MAX_FIGURE)) or int(cleaned) > MAX_FIGURE:
        return None, f"Enter {words} of no more than {MAX_FIGURE:,}"
    return int(cleaned), None


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
    MACHINE.events[chosen.value].trigger(token)
    outcome = None
    if chosen is Event.RESOLVE:
        outcome = check_outcome(request.outcome or OutcomeDraft(), case.state)[0]
    return TransitionResult(
        event=chosen, from_state=case.state, to_state=State(token.state), outcome=outcome
    )


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

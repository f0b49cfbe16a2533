"""Letters and the acknowledgement of a dispute: which letter a case may have now, and whether
an acknowledgement may be recorded on a given day.

Plain values only. A refused letter or acknowledgement says why in a sentence a page and the
API both show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from .dispute import OPEN_STATES, Event, State
from .labels import LabelledEnum
from .periods import format_date


class LetterKind(LabelledEnum):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement of the dispute"
    INVITATION = "invitation", "Invitation to a conciliation meeting"
    ESCALATION = "escalation", "Notice of escalation to regional mediation"
    OUTCOME = "outcome", "Outcome letter"
    BREACH = "breach", "Breach letter to the funder"


# The states in which each kind of letter can be written, and how a refusal names them.
LETTER_STATES: Mapping[LetterKind, tuple[frozenset[State], str]] = {
    LetterKind.ACKNOWLEDGEMENT: (frozenset(OPEN_STATES), "while the case is open"),
    LetterKind.INVITATION: (
        frozenset({State.RAISED, State.LOCAL_CONCILIATION}),
        "while the case is raised or in local conciliation",
    ),
    LetterKind.ESCALATION: (
        frozenset({State.REGIONAL_MEDIATION}),
        "once the case is in regional mediation",
    ),
    LetterKind.OUTCOME: (frozenset({State.RESOLVED}), "once the case is resolved"),
    LetterKind.BREACH: (frozenset(State), "at any stage"),
}


def letter_refusal(kind: LetterKind, state: State, breach_notices: int) -> str | None:
    """Why a letter of `kind` cannot be written for a case in `state` with `breach_notices`
    non-compliant notices, or None if it can."""
    states, when = LETTER_STATES[kind]
    if state not in states:
        return f"{kind.label} can only be written {when}; this case is {state.label.lower()}."
    if kind is LetterKind.BREACH and breach_notices == 0:
        return (
            f"{kind.label} quotes a notice found not compliant, and this case has none: "
            "record the funder's notice on the case first."
        )
    return None


def allowed_letters(state: State, breach_notices: int) -> tuple[LetterKind, ...]:
    """The kinds of letter a case in `state` may have now, in the order a page offers them."""
    return tuple(k for k in LetterKind if letter_refusal(k, state, breach_notices) is None)


@dataclass
class AcknowledgementRefused(Exception):
    """An acknowledgement that cannot be recorded; nothing changed. `field_errors` names the
    input at fault (the date) when the case itself could be acknowledged."""

    message: str
    field_errors: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


def check_acknowledgement(
    state: State, awaiting: bool, raised_on: date, on: date, today: date
) -> date:
    """The day an acknowledgement of a case in `state` is recorded for, or
    `AcknowledgementRefused`.

    Only a raised case still awaiting acknowledgement (its acknowledgement deadline open) can
    be acknowledged, on a day from the day it was raised up to today, never in the future.
    """
    if state is not State.RAISED or not awaiting:
        why = (
            "it has already been acknowledged"
            if state is State.RAISED
            else f"it is {state.label.lower()}"
        )
        raise AcknowledgementRefused(
            f"The acknowledgement cannot be recorded: {why}. A dispute is acknowledged once, "
            "while it is raised."
        )
    if on > today:
        raise AcknowledgementRefused(
            "The date is in the future",
            {"acknowledged_on": "The date of the acknowledgement must be today or in the past"},
        )
    if on < raised_on:
        raise AcknowledgementRefused(
            "The date is before the dispute was raised",
            {
                "acknowledged_on": (
                    "The date of the acknowledgement must be on or after "
                    f"{format_date(raised_on)}, when the dispute was raised"
                )
            },
        )
    return on


def step_acknowledges(event: Event, from_state: State) -> bool:
    """Whether a workflow step taken on a raised case that was never acknowledged records the
    acknowledgement with it: any step that carries the dispute forward (starting conciliation,
    escalating, resolving) answers the parties, so the timeline says so in its own entry;
    withdrawing does not."""
    return from_state is State.RAISED and event is not Event.WITHDRAW

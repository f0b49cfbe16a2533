"""Whose move it is on a case, in one plain sentence: the next open deadline and who is to meet
it, or, with none open, who holds the case; and how a closed case ended.

A function of plain values, so the case page, the parties' home page and the API all say the
same thing (`compactcases.cases.progress` gathers the values from a case).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .deadlines import DeadlineKind
from .dispute import State


class Mover(StrEnum):
    """Who is to make the next move."""

    OFFICER = "officer"
    MEDIATOR = "mediator"
    FUNDER = "funder"
    THIRD_SECTOR = "third_sector"
    # An action agreed at a meeting: its owner is named in the sentence when known.
    AGREED = "agreed"
    NOBODY = "nobody"


@dataclass(frozen=True)
class OpenDeadline:
    kind: DeadlineKind
    due_on: date
    # For an action agreed at a meeting: who took it on, and which side that person is on.
    owner_name: str = ""
    owner_side: Mover | None = None


@dataclass(frozen=True)
class CaseMove:
    """What a case is waiting for."""

    sentence: str
    mover: Mover
    due_on: date | None = None


# What each kind of deadline asks, and of whom (the mediator when the case is in mediation).
_TO_DO = {
    DeadlineKind.ACKNOWLEDGE: "acknowledge the dispute",
    DeadlineKind.CONCLUDE_CONCILIATION: "conclude local conciliation",
    DeadlineKind.CONCLUDE_MEDIATION: "conclude regional mediation",
}


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _holder(state: State, regional: bool, mediator_name: str) -> tuple[Mover, str]:
    """Who holds an open case: the region's mediator in mediation or on a regional case, the
    Compact officer otherwise."""
    if state is State.REGIONAL_MEDIATION or regional:
        if mediator_name:
            return Mover.MEDIATOR, f"The regional mediator ({mediator_name})"
        return Mover.MEDIATOR, "The region's mediators"
    return Mover.OFFICER, "The Compact officer"


def next_move(
    state: State,
    deadlines: Sequence[OpenDeadline],
    *,
    regional: bool = False,
    mediator_name: str = "",
    clock_stopped_on: date | None = None,
    closed_on: date | None = None,
) -> CaseMove:
    """The case's next move: the earliest open deadline and who is to meet it."""
    if not state.is_open:
        how = "resolved" if state is State.RESOLVED else "withdrawn"
        when = f" on {long_date(closed_on)}" if closed_on else ""
        return CaseMove(f"This case was {how}{when}. It is closed.", Mover.NOBODY, closed_on)
    mover, holder = _holder(state, regional, mediator_name)
    if clock_stopped_on is not None:
        return CaseMove(
            f"The clock has been stopped since {long_date(clock_stopped_on)}: no deadline runs "
            f"until it restarts. {holder} holds the case.",
            mover,
        )
    if not deadlines:
        return CaseMove(f"{holder} is to take the next step.", mover)
    first = min(deadlines, key=lambda d: (d.due_on, d.kind.value))
    due = long_date(first.due_on)
    if first.kind is DeadlineKind.MEETING_ACTION:
        who = first.owner_name or "Someone at the meeting"
        return CaseMove(
            f"{who} is to complete an action agreed at a meeting by {due}.",
            first.owner_side or Mover.AGREED,
            first.due_on,
        )
    to_do = _TO_DO.get(first.kind)
    if to_do is None:
        return CaseMove(f"{first.kind.label}: {due}.", mover, first.due_on)
    return CaseMove(f"{holder} is to {to_do} by {due}.", mover, first.due_on)

"""Whose move it is on a case, in one plain sentence: the next open deadline and who is to meet
it (or was to, once it is overdue), or, with none open, who holds the case; with the clock
stopped, who holds it and any action agreed at a meeting, which falls due all the same; and
how a closed case ended.

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


@dataclass(frozen=True)
class _Holder:
    """Who holds an open case, with the verbs that agree with it."""

    mover: Mover
    name: str
    plural: bool = False

    @property
    def holds(self) -> str:
        return "hold" if self.plural else "holds"

    def to(self, overdue: bool) -> str:
        """ "is to" or "are to", or "was to" or "were to" once the day has passed."""
        if overdue:
            return "were to" if self.plural else "was to"
        return "are to" if self.plural else "is to"


def _holder(state: State, regional: bool, mediator_name: str) -> _Holder:
    """Who holds an open case: the region's mediator in mediation or on a regional case, the
    Compact officer otherwise."""
    if state is State.REGIONAL_MEDIATION or regional:
        if mediator_name:
            return _Holder(Mover.MEDIATOR, f"The regional mediator ({mediator_name})")
        return _Holder(Mover.MEDIATOR, "The region's mediators", plural=True)
    return _Holder(Mover.OFFICER, "The Compact officer")


def _by(due_on: date, today: date) -> str:
    """ "by <date>", and that it is overdue once the day has passed."""
    if due_on < today:
        return f"by {long_date(due_on)}: it is overdue"
    return f"by {long_date(due_on)}"


def _agreed_action(action: OpenDeadline, today: date) -> str:
    who = action.owner_name or "Someone at the meeting"
    verb = "was to" if action.due_on < today else "is to"
    return f"{who} {verb} complete an action agreed at a meeting {_by(action.due_on, today)}."


def _earliest(deadlines: Sequence[OpenDeadline]) -> OpenDeadline:
    return min(deadlines, key=lambda d: (d.due_on, d.kind.value))


def next_move(
    state: State,
    deadlines: Sequence[OpenDeadline],
    *,
    today: date,
    regional: bool = False,
    mediator_name: str = "",
    clock_stopped_on: date | None = None,
    closed_on: date | None = None,
) -> CaseMove:
    """The case's next move on `today`: the earliest open deadline and who is to meet it (or
    was to, when its day has passed)."""
    if not state.is_open:
        how = "resolved" if state is State.RESOLVED else "withdrawn"
        when = f" on {long_date(closed_on)}" if closed_on else ""
        return CaseMove(f"This case was {how}{when}. It is closed.", Mover.NOBODY, closed_on)
    holder = _holder(state, regional, mediator_name)
    if clock_stopped_on is not None:
        stopped = (
            f"The clock has been stopped since {long_date(clock_stopped_on)}: the dispute's "
            f"deadlines do not run until it restarts. {holder.name} {holder.holds} the case."
        )
        # An action agreed at a meeting keeps its own date whatever the clock does.
        agreed = [d for d in deadlines if not d.kind.follows_clock]
        if not agreed:
            return CaseMove(stopped, holder.mover)
        first = _earliest(agreed)
        return CaseMove(
            f"{stopped} {_agreed_action(first, today)}",
            first.owner_side or Mover.AGREED,
            first.due_on,
        )
    if not deadlines:
        return CaseMove(f"{holder.name} {holder.to(False)} take the next step.", holder.mover)
    first = _earliest(deadlines)
    overdue = first.due_on < today
    if first.kind is DeadlineKind.MEETING_ACTION:
        return CaseMove(
            _agreed_action(first, today), first.owner_side or Mover.AGREED, first.due_on
        )
    to_do = _TO_DO.get(first.kind)
    if to_do is None:
        late = ": it is overdue" if overdue else ""
        return CaseMove(
            f"{first.kind.label}: {long_date(first.due_on)}{late}.", holder.mover, first.due_on
        )
    return CaseMove(
        f"{holder.name} {holder.to(overdue)} {to_do} {_by(first.due_on, today)}.",
        holder.mover,
        first.due_on,
    )
